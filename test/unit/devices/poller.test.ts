import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/index.js';
import {
  Bbu,
  defaultFastPoints,
  DeviceRegistry,
  planSchedule,
  Poller,
  Psu,
} from '../../../src/devices/index.js';
import type { Driver, PsuTelemetry } from '../../../src/devices/index.js';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import { FakeModbusClient, maps, shelf, simulatedPmbus } from '../../support/fake-buses.js';
import { runFor, settle } from './drive.js';

/** One shelf on a time-charging fake Modbus line and a simulated PMBus segment. */
function stack(preset = 'orv3-hpr-33kw', pmbusHz = 1_000_000) {
  const clock = new VirtualClock();
  const s = shelf(preset, { clock });
  const dead = new Set<number>();
  const pmbus = simulatedPmbus(s.dir, 0, clock, pmbusHz, dead);
  const fam = s.zone.spec.family;
  const devices: Driver[] = s.dir.list().map((e) => {
    const opts = { pmbus, pmbusAddress: e.pmbusAddress };
    return e.kind === 'psu'
      ? new Psu(s.modbus, e.modbusAddress, maps.modbus[`${fam}-psu`], clock, opts)
      : new Bbu(s.modbus, e.modbusAddress, maps.modbus[`${fam}-bbu`], clock, opts);
  });
  return { ...s, clock, pmbus, dead, devices };
}

function overCapacity(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    expect(isOrv3Error(e, ErrorCode.ScheduleOverCapacity), String(e)).toBe(true);
    return { message: (e as Error).message, ...(e as { context: object }).context };
  }
  throw new Error('schedule was accepted');
}

describe('Poller capacity accounting', () => {
  it('refuses full telemetry of 12 devices at 10 Hz on 19200 baud, with the numbers', () => {
    const { devices, clock } = stack('orv3-18kw');
    const err = overCapacity(() => new Poller({ clock, slow: { devices, periodMs: 100 } }));
    expect(err['message']).toMatch(/slow lane on modbus#0 \(sim, 19200 baud\): 48 transactions/);
    expect(err['message']).toMatch(/per 100 ms period \(\d+\.\d %/);
    const [load] = err['over'] as { busyMs: number; utilisation: number; minPeriodMs: number }[];
    // 48 RTU transactions of ≥ 10.6 ms each at 19200 baud: over a second of line time
    expect(load!.busyMs).toBeGreaterThan(1000);
    expect(load!.utilisation).toBeGreaterThan(10);
    expect(load!.minPeriodMs).toBeCloseTo(load!.busyMs / 0.9, 6);
  });

  it('accepts a feasible schedule and reports its utilisation', () => {
    const { devices, clock } = stack('orv3-18kw');
    const poller = new Poller({ clock, slow: { devices, periodMs: 2000 } });
    const [load] = poller.schedule.loads;
    expect(poller.schedule.feasible).toBe(true);
    expect(load!.utilisation).toBeGreaterThan(0.5);
    expect(load!.utilisation).toBeLessThan(0.9);
    // the cap is configurable: the same schedule under a 50 % cap is refused
    overCapacity(
      () => new Poller({ clock, slow: { devices, periodMs: 2000 }, utilisationCap: 0.5 }),
    );
  });

  it('fast lane: 13 control points at 1 kHz fit a 1 MHz SMBus, not a 400 kHz one', () => {
    const fast = stack('orv3-hpr-33kw', 1_000_000);
    const points = defaultFastPoints(fast.devices);
    expect(points.map((p) => p.id)).toContain('bbu48.busV');
    expect(points).toHaveLength(13);
    const ok = planSchedule({ fast: { points, periodMs: 1 } });
    expect(ok.loads[0]!.utilisation).toBeGreaterThan(0.6);
    expect(ok.feasible).toBe(true);
    const slow = stack('orv3-hpr-33kw', 400_000);
    const pts = defaultFastPoints(slow.devices);
    const err = overCapacity(
      () => new Poller({ clock: slow.clock, fast: { points: pts, periodMs: 1 } }),
    );
    expect(err['message']).toMatch(/fast lane on pmbus#0 \(400 kHz\): 13 transactions/);
  });
});

describe('Poller lanes', () => {
  it('runs both lanes at their rates on simulated time and exposes ages', async () => {
    const { devices, clock, zone } = stack();
    const poller = new Poller({
      clock,
      slow: { devices, periodMs: 1000 },
      fast: { points: defaultFastPoints(devices), periodMs: 1 },
    });
    poller.start();
    await runFor(clock, 2000);
    const { slow, fast } = poller.stats();
    await settle(clock, poller.stop());
    expect(fast!.achievedHz).toBeGreaterThan(990);
    expect(fast!.overruns).toBe(0);
    expect(fast!.errors).toBe(0);
    expect(fast!.sampleAgeP99Ms).toBeLessThan(2);
    expect(fast!.tickP99Ms).toBeLessThan(1);
    expect(slow!.completed).toBe(2);
    expect(slow!.errors).toBe(0);
    expect(slow!.tickP50Ms).toBeGreaterThan(300); // 48 transactions at 115200 baud
    const bus = poller.point('bbu48.busV')!;
    expect(bus.value).toBeCloseTo(zone.busV, 1);
    const psu = poller.telemetry('psu', 144)!;
    expect((psu.value as PsuTelemetry).output.voltageV).toBeGreaterThan(45);
    expect(poller.freshness()).toHaveLength(12 + 13);
    // values age with the clock once nobody refreshes them
    const before = poller.freshness('psu144.acInputV')!.ageMs;
    clock.advance(500);
    expect(poller.freshness('psu144.acInputV')!.ageMs).toBeCloseTo(before + 500, 6);
  });

  it('survives failures: counts them, marks values, registry goes dormant, lane continues', async () => {
    const { devices, clock, modbus, dead } = stack();
    const registry = new DeviceRegistry(modbus, Object.values(maps.modbus), clock);
    await settle(clock, registry.scan());
    const errors: string[] = [];
    const poller = new Poller({
      clock,
      registry,
      slow: { devices, periodMs: 1000 },
      fast: { points: defaultFastPoints(devices), periodMs: 1 },
      onError: (lane, key) => errors.push(`${lane}:${key}`),
    });
    poller.start();
    await runFor(clock, 1500);
    modbus.silence(145);
    dead.add(0x59); // the same PSU's PMBus side (slot 1)
    await runFor(clock, 4000);
    const { slow, fast } = poller.stats();
    expect(registry.get(145)!.state).toBe('dormant');
    expect(slow!.errors).toBe(3);
    expect(slow!.skipped).toBeGreaterThanOrEqual(1);
    expect(fast!.errors).toBeGreaterThan(1000);
    expect(fast!.achievedHz).toBeGreaterThan(900);
    const stale = poller.freshness('psu145.acInputV')!;
    expect(stale.failures).toBeGreaterThan(1000);
    expect(stale.ageMs).toBeGreaterThan(3900);
    expect(poller.freshness('psu144.acInputV')!.ageMs).toBeLessThan(2);
    expect(errors).toContain('slow:psu145');
    await settle(clock, poller.stop());
  });

  it('counts overruns instead of queueing work, and stops cleanly', async () => {
    const { devices, clock, modbus } = stack();
    const poller = new Poller({ clock, slow: { devices, periodMs: 500 } });
    for (const u of [144, 145, 146]) modbus.silence(u); // +300 ms of timeouts a sweep
    poller.start();
    await runFor(clock, 5000);
    const stopping = poller.stop();
    await runFor(clock, 1000);
    await stopping;
    const s = poller.stats().slow!;
    expect(s.overruns).toBeGreaterThan(3);
    // every tick either completed, overran, or was the one cut short by stop()
    expect(s.ticks - s.completed - s.overruns).toBeLessThanOrEqual(1);
    expect(s.errors).toBeGreaterThanOrEqual(3 * s.completed);
    expect(s.errors).toBeLessThanOrEqual(3 * (s.completed + 1));
    const n = modbus.log.length;
    await runFor(clock, 3000);
    expect(modbus.log).toHaveLength(n);
  });

  it('abandons a tick whose request never settles (a stall) and keeps polling', async () => {
    const { clock, dir } = stack();
    let hang = true;
    class HangingClient extends FakeModbusClient {
      override readHoldingRegisters(unit: number, start: number, count: number) {
        if (hang) return new Promise<Uint16Array>(() => undefined);
        return super.readHoldingRegisters(unit, start, count);
      }
    }
    const client = new HangingClient((u) => dir.modbus(u), { clock, baudRate: 115200 });
    const psu = new Psu(client, 144, maps.modbus['hpr-psu'], clock);
    const poller = new Poller({ clock, slow: { devices: [psu], periodMs: 100 } });
    poller.start();
    await runFor(clock, 2500);
    expect(poller.stats().slow!.stalls).toBe(1); // after 20 periods
    hang = false;
    await runFor(clock, 2500);
    const s = poller.stats().slow!;
    expect(s.completed).toBeGreaterThan(0);
    expect(poller.telemetry('psu', 144)!.ageMs).toBeLessThan(100);
    await settle(clock, poller.stop());
  });
});
