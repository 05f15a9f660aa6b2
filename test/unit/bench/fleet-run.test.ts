/**
 * bench:fleet end to end at toy size: 2 gateways, a 3 s window, a real mosquitto. Checks that
 * the bench counts what happened — births, data and deaths consistent between the gateways and
 * the consumer, latencies for exactly the data messages of the window — never how fast it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutMosquitto, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { findChildPid } from '../../bench/fleet-proc.js';
import { runFleet, type FleetResult } from '../../bench/fleet-run.js';
import { DEVICES_PER_SHELF } from '../../bench/fleet-shelf.js';

const skip = skipWithoutMosquitto('bench:fleet 2-gateway run');

describe.skipIf(skip)('bench:fleet, 2 gateways for 3 s', () => {
  let broker: Mosquitto;
  let r: FleetResult;

  beforeAll(async () => {
    broker = await startMosquitto();
    r = await runFleet({
      url: broker.url,
      n: 2,
      processes: 2,
      warmupMs: 500,
      windowMs: 3000,
      brokerPid: findChildPid('mosquitto'),
    });
  }, 90_000);

  afterAll(async () => {
    await broker?.dispose();
  });

  it('received exactly what was published, in seq order, every payload decodable', () => {
    expect(r.problems).toEqual([]);
    expect(r.consistent).toBe(true);
    expect(r.totals.received).toEqual(r.totals.published);
  });

  it('counts one NBIRTH, a DBIRTH per device and one NDEATH per gateway', () => {
    const t = r.totals.received;
    expect(t['NBIRTH']).toBe(2);
    expect(t['DBIRTH']).toBe(2 * DEVICES_PER_SHELF);
    expect(t['NDEATH']).toBe(2);
    expect(t['DDEATH'] ?? 0).toBe(0);
  });

  it('sees data consistent with the ticks: an NDATA per gateway per period, at most one DDATA per device', () => {
    const w = r.window.received;
    const ndata = w['NDATA'] ?? 0;
    const ddata = w['DDATA'] ?? 0;
    // Gateway/Uptime moves every period, so each tick of each gateway carries one NDATA; a
    // 3 s window at 1 s holds 2 to 4 ticks per gateway however the ticks fall.
    expect(ndata).toBeGreaterThanOrEqual(2 * 2);
    expect(ndata).toBeLessThanOrEqual(2 * 4);
    expect(ddata).toBeLessThanOrEqual(ndata * DEVICES_PER_SHELF);
    // No births or deaths inside the window: everything in it is report-by-exception data.
    expect(
      Object.keys(w)
        .filter((k) => (w[k] ?? 0) > 0)
        .sort(),
    ).toEqual(['DDATA', 'NDATA']);
  });

  it('takes one latency per data message of the window, none before its sample was taken', () => {
    const w = r.window.received;
    expect(r.latency.count).toBe((w['NDATA'] ?? 0) + (w['DDATA'] ?? 0));
    expect(r.wire.count).toBe(r.latency.count);
    // Timestamps are whole ms (±0.5 ms) on clocks aligned to within 1 ms: a message cannot
    // arrive earlier than that before its sample.
    expect(r.latency.minMs).toBeGreaterThan(-1.5);
    expect(r.processes).toBe(2);
  });
});
