import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/index.js';
import { Bbu } from '../../../src/devices/index.js';
import type { BbuOptions } from '../../../src/devices/index.js';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import { maps, shelf } from '../../support/fake-buses.js';

function rig(family: 'orv3' | 'hpr', socPct = 100, opts: BbuOptions = {}) {
  const s = shelf(family === 'hpr' ? 'orv3-hpr-33kw' : 'orv3-18kw', {}, socPct);
  const clock = new VirtualClock();
  const unit = family === 'hpr' ? 48 : 64;
  const bbu = new Bbu(s.modbus, unit, maps.modbus[`${family}-bbu`], clock, opts);
  return { ...s, clock, bbu, unit, sim: s.zone.bbus[0]! };
}

async function refused(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isOrv3Error(e, ErrorCode.CommandOutOfBounds), String(e)).toBe(true);
  return (e as Error).message;
}

describe('Bbu telemetry', () => {
  for (const family of ['orv3', 'hpr'] as const) {
    it(`${family}: SoC, pack, bus and status in SI units (map units honoured)`, async () => {
      const { bbu, sim, zone, step } = rig(family, 60);
      step(500); // charging from 60 %: a pack current worth checking
      const t = await bbu.readTelemetry();
      expect(t.charge.socPct).toBe(Math.round(sim.socPct));
      expect(t.pack.voltageV).toBeCloseTo(sim.packV, 2);
      // ORv3 counts 10 mA, HPR decodes mA: both must come out in A
      expect(sim.packA).toBeGreaterThan(1);
      expect(t.pack.currentA).toBeCloseTo(sim.packA, 1);
      expect(t.bus.voltageV).toBeCloseTo(zone.busV, 2);
      expect(t.status.charging).toBe(true);
      expect(t.status.discharging).toBe(false);
      expect(t.charge.runTimeToEmptyS).toBeNull(); // SBS 65535: not discharging
      expect(t.charge.fullChargeAh).toBeGreaterThan(t.charge.remainingAh);
      expect(t.thermal.cellTempsC[0]).toBeGreaterThan(10);
      expect(t.thermal.cellTempsC[0]).toBeLessThan(60);
      expect(t.control.systemControlMode).toBe(0);
      expect(t.identity.manufacturer).toBe('ORV3GW-SIM');
      expect(Object.isFrozen(t.charge)).toBe(true);
    });
  }
});

describe('Bbu commands', () => {
  it('forced discharge: enables system control first, then the time, in separate requests', async () => {
    const { bbu, sim, modbus, step } = rig('orv3');
    await bbu.forceDischarge(30);
    const seq = modbus.log.map((r) => [r.fc, r.start, r.values?.[0]]);
    expect(seq).toEqual([
      [0x03, 306, undefined],
      [0x06, 306, 1],
      [0x06, 305, 30],
    ]);
    expect(modbus.log.every((r) => r.priority === 'control')).toBe(true);
    expect(sim.systemControlMode).toBe(1);
    step(300);
    const t = await bbu.readTelemetry();
    expect(t.status.discharging).toBe(true);
    expect(t.control.forcedDischargeRemainingS).toBe(30);
    expect(t.pack.currentA).toBeLessThan(-10);
    expect(t.charge.runTimeToEmptyS).toBeGreaterThan(60);
    // mode already on: no second mode write; 0 cancels
    modbus.log.length = 0;
    await bbu.forceDischarge(0);
    expect(modbus.log.map((r) => r.start)).toEqual([305]);
    step(300);
    expect((await bbu.readTelemetry()).control.forcedDischargeRemainingS).toBe(0);
  });

  it('bounds the discharge time by the map, the driver limit and the call limit', async () => {
    const { bbu, modbus } = rig('hpr', 100, { maxForcedDischargeS: 120 });
    const msg = await refused(bbu.forceDischarge(400));
    expect(msg).toContain('Forced_Discharge_Time');
    expect(msg).toContain('400');
    expect(msg).toContain('[0, 300]');
    expect(await refused(bbu.forceDischarge(150))).toContain('limit 120');
    expect(await refused(bbu.forceDischarge(90, { limitS: 60 }))).toContain('limit 60');
    await refused(bbu.forceDischarge(1.5));
    await refused(bbu.forceDischarge(10, { mode: 7 }));
    await refused(bbu.setSystemControlMode(4));
    await refused(bbu.setMaxDischargeTime(601));
    expect(modbus.log).toHaveLength(0);
    await bbu.forceDischarge(60, { limitS: 60 });
    expect(modbus.log.at(-1)!.values).toEqual([60]);
  });

  it('sets mode, maximum discharge time and clears faults', async () => {
    const { bbu, sim, modbus } = rig('hpr');
    await bbu.setSystemControlMode(2);
    await bbu.setMaxDischargeTime(240);
    sim.alarms.maxTimeReached = true;
    await bbu.clearFaults();
    expect(sim.systemControlMode).toBe(2);
    expect(sim.maxDischargeS).toBe(240);
    expect(sim.alarms.maxTimeReached).toBe(false);
    expect(modbus.log.map((r) => r.start)).toEqual([306, 289, 313]);
  });

  it('time sync goes to the map register (HPR Wall_Clock_Time 101)', async () => {
    const { bbu, modbus, clock, dir, unit } = rig('hpr');
    clock.advance(5000);
    const s = await bbu.syncTime();
    expect(modbus.log[0]).toMatchObject({ fc: 0x10, start: 101, priority: 'control' });
    const words = dir.modbus(unit)!.readHoldingRegisters(101, 2);
    expect((words[0]! << 16) | words[1]!).toBe(s);
  });
});
