/**
 * bench:fleet's measurement arithmetic: percentiles, seq continuity, /proc parsing, the clock
 * alignment and how the children's reports become one result. No broker, no wall-clock figures.
 */
import { describe, expect, it } from 'vitest';
import {
  parseProcStat,
  percentile,
  SeqTracker,
  summarise,
  WallClock,
} from '../../bench/fleet-stats.js';
import { assemble, checkTotals, split, type FleetResult } from '../../bench/fleet-run.js';
import type {
  ConsumerFinal,
  ConsumerWindow,
  GatewaysFinal,
  GatewaysWindow,
} from '../../bench/fleet-protocol.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns observed values: p50 of 1..100 is 50, p99 is 99, p100 the maximum', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
  });

  it('rounds the rank up, so a small sample reports its worst values at p99', () => {
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([1, 2, 3], 99)).toBe(3);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarise sorts numerically, not as strings', () => {
    const s = summarise([10, 9, 100, 2, 1.5]);
    expect(s).toEqual({ count: 5, minMs: 1.5, p50Ms: 9, p99Ms: 100, maxMs: 100 });
    expect(summarise([]).count).toBe(0);
  });
});

describe('SeqTracker', () => {
  it('accepts NBIRTH 0, +1 per message, the wrap at 255, and NDEATH without seq', () => {
    const t = new SeqTracker();
    expect(t.accept('gw-1', 'NBIRTH', 0)).toBe(true);
    for (let s = 1; s <= 255; s++)
      expect(t.accept('gw-1', s % 2 ? 'DDATA' : 'NDATA', s)).toBe(true);
    expect(t.accept('gw-1', 'DDATA', 0)).toBe(true);
    expect(t.accept('gw-1', 'NDEATH', undefined)).toBe(true);
    // A rebirth on a new connection starts over at 0.
    expect(t.accept('gw-1', 'NBIRTH', 0)).toBe(true);
    expect(t.gaps).toBe(0);
  });

  it('counts a lost message, a data message before any birth and a missing seq as gaps', () => {
    const t = new SeqTracker();
    t.accept('a', 'NBIRTH', 0);
    expect(t.accept('a', 'DBIRTH', 2)).toBe(false);
    expect(t.accept('a', 'DDATA', 3)).toBe(true); // back in step after the gap
    expect(t.accept('b', 'NDATA', 5)).toBe(false);
    expect(t.accept('a', 'DDATA', undefined)).toBe(false);
    expect(t.accept('a', 'NBIRTH', 1)).toBe(false);
    expect(t.gaps).toBe(4);
  });

  it('keeps edge nodes apart', () => {
    const t = new SeqTracker();
    t.accept('a', 'NBIRTH', 0);
    t.accept('b', 'NBIRTH', 0);
    expect(t.accept('a', 'NDATA', 1)).toBe(true);
    expect(t.accept('b', 'NDATA', 1)).toBe(true);
    expect(t.gaps).toBe(0);
  });
});

describe('parseProcStat', () => {
  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const line =
      '4242 (my (odd) proc) S 17 4242 4242 0 -1 4194560 120 0 0 0 250 75 0 0 20 0 1 0 9 1 1\n';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'my (odd) proc',
      ppid: 17,
      cpuTicks: 325,
    });
  });

  it('returns null for something that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('1 (x) S')).toBeNull();
  });
});

describe('WallClock', () => {
  it('never reads more than 1 ms behind Date.now() read just before it', () => {
    // Calibration may only err low, by less than the 1 ms Date.now() resolution: a later fine
    // reading is at least the earlier coarse one minus 1 ms, however the process is scheduled.
    const w = new WallClock(2);
    for (let i = 0; i < 1000; i++) {
      const coarse = Date.now();
      expect(w.nowMs()).toBeGreaterThanOrEqual(coarse - 1);
    }
  });
});

describe('split', () => {
  it('spreads N over k processes, never more processes than gateways', () => {
    expect(split(100, 1)).toEqual([100]);
    expect(split(10, 3)).toEqual([4, 3, 3]);
    expect(split(2, 4)).toEqual([1, 1]);
  });
});

describe('assemble', () => {
  const counts = (ndata: number, ddata: number) => ({ NBIRTH: 0, NDATA: ndata, DDATA: ddata });
  const gw = (cpuMs: number, heap: number, ndata: number, ddata: number): GatewaysWindow => ({
    type: 'gw-window',
    cpuMs,
    wallMs: 2000,
    heapUsed: heap,
    rss: 2 * heap,
    published: counts(ndata, ddata),
  });
  const final = (n: number): GatewaysFinal => ({
    type: 'gw-final',
    published: { NBIRTH: n, DBIRTH: 13 * n, NDATA: 10, DDATA: 90, NDEATH: n },
    disconnects: 0,
    publishRefused: 0,
    droppedNoStore: 0,
  });
  const cw: ConsumerWindow = {
    type: 'consumer-window',
    cpuMs: 100,
    wallMs: 4000,
    heapUsed: 1,
    rss: 1,
    received: counts(8, 72),
    bytes: 8000,
    metrics: 160,
    latenciesMs: [3, 1, 2],
    wireMs: [1, 1, 1],
  };
  const cf: ConsumerFinal = {
    type: 'consumer-final',
    received: { NBIRTH: 3, DBIRTH: 39, NDATA: 20, DDATA: 180, NDEATH: 3 },
    seqGaps: 0,
    undecodable: 0,
    birthBytes: 30_000,
  };

  const r: FleetResult = assemble({
    o: { url: 'mqtt://x', n: 3 },
    processes: 2,
    periodMs: 1000,
    qos: 0,
    aligned: false,
    ready: [
      { type: 'ready', baselineHeap: 1000, baselineRss: 4096 },
      { type: 'ready', baselineHeap: 1000, baselineRss: 4096 },
    ],
    gw: [gw(40, 1000 + 2 * 1024, 4, 36), gw(20, 1000 + 1024, 2, 18)],
    gf: [final(2), final(1)],
    cw,
    cf,
    broker: 1.5,
  });

  it('turns each process window into rates by its own duration and sums the processes', () => {
    expect(r.publishedPerS).toBe(30); // (40 + 20) messages over 2 s
    expect(r.receivedPerS).toBe(20); // 80 messages over 4 s
    expect(r.metricsPerS).toBe(40);
    expect(r.bytesPerS).toBe(2000);
    expect(r.birthBytesPerGateway).toBe(10_000);
    expect(r.window.published).toEqual({ NBIRTH: 0, NDATA: 6, DDATA: 54 });
  });

  it('divides CPU and memory growth over the baseline by N', () => {
    expect(r.cpu.gatewaysTotal).toBe(3); // 60 ms CPU over 2 s = 3 % of a core
    expect(r.cpu.perGateway).toBe(1);
    expect(r.cpu.consumer).toBe(2.5);
    expect(r.memory.heapPerGatewayKiB).toBe(1); // 3 KiB over 3 gateways
    expect(r.latency).toMatchObject({ count: 3, p50Ms: 2, maxMs: 3 });
  });

  it('is consistent when the consumer received exactly what was published', () => {
    expect(r.totals.published).toEqual(cf.received);
    expect(r.consistent).toBe(true);
  });

  it('names every discrepancy', () => {
    const problems = checkTotals({
      ...r.totals,
      received: { ...cf.received, DDATA: 179 },
      seqGaps: 1,
      disconnects: 2,
    });
    expect(problems).toEqual([
      'DDATA: published 180, received 179',
      '1 seq gaps',
      '2 gateway disconnects',
    ]);
  });
});
