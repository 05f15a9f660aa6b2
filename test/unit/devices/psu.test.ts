import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/index.js';
import { Psu } from '../../../src/devices/index.js';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import { maps, shelf } from '../../support/fake-buses.js';

function orv3() {
  const s = shelf('orv3-18kw');
  const clock = new VirtualClock();
  const psu = new Psu(s.modbus, 200, maps.modbus['orv3-psu'], clock);
  return { ...s, clock, psu, sim: s.zone.psus[0]! };
}

function hpr() {
  const s = shelf('orv3-hpr-33kw');
  const clock = new VirtualClock();
  const psu = new Psu(s.modbus, 144, maps.modbus['hpr-psu'], clock);
  return { ...s, clock, psu, sim: s.zone.psus[0]! };
}

async function refused(
  p: Promise<unknown>,
  code: ErrorCode = ErrorCode.CommandOutOfBounds,
): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isOrv3Error(e, code), String(e)).toBe(true);
  return (e as Error).message;
}

describe('Psu telemetry', () => {
  it('reads an HPR PSU in SI units, in the few merged transactions of its plan', async () => {
    const { psu, sim, modbus, clock } = hpr();
    clock.advance(1234);
    const t = await psu.readTelemetry();
    expect(t.kind).toBe('psu');
    expect(t.identity.model).toBe('SIM-HPR-PSU-5K5');
    expect(t.input.voltageV).toBeCloseTo(sim.vacV, 1);
    expect(t.input.frequencyHz).toBeCloseTo(sim.freqHz, 0);
    expect(t.output.voltageV).toBeCloseTo(sim.voutV, 2);
    expect(t.output.currentA).toBeCloseTo(sim.ioutA, 1);
    expect(t.output.powerW).toBeCloseTo(sim.poutW, -1);
    expect(t.input.powerW).toBeCloseTo(sim.pinW, -1);
    expect(t.thermal.fanRpm).toHaveLength(2);
    expect(t.settings.select51V).toBeNull();
    expect(t.settings.voutSetpointV).toBeCloseTo(sim.vsetV, 2);
    expect(t.alarms.active).toEqual([]);
    expect(t.input.sampledAtMs).toBe(1234);
    expect(Object.isFrozen(t) && Object.isFrozen(t.output)).toBe(true);
    // identity (1 read) + the plan; HPR telemetry is 3 transactions
    expect(psu.telemetryPlan.transactions).toHaveLength(3);
    expect(modbus.requestsTo(144, 0x03)).toHaveLength(4);
    expect(modbus.log.every((r) => r.priority === 'telemetry')).toBe(true);
    await psu.readTelemetry();
    expect(modbus.requestsTo(144, 0x03)).toHaveLength(7); // identity read once
  });

  it('reads an ORv3 PSU and decodes the 51 V range select and its setpoint', async () => {
    const { psu, sim } = orv3();
    const t = await psu.readTelemetry();
    expect(psu.telemetryPlan.transactions).toHaveLength(4);
    expect(t.identity.serial).toMatch(/^SIM/);
    expect(t.settings.select51V).toBe(sim.vsel51);
    expect(t.settings.voutSetpointV).toBeCloseTo(sim.vsel51 ? sim.vsetHighV : sim.vsetLowV, 2);
    expect(t.output.voltageV).toBeCloseTo(sim.voutV, 2);
    expect(t.counters.faults).toBe(sim.faultCount);
  });
});

describe('Psu commands', () => {
  it('sets the ORv3 setpoint of the selected range with the write-enable sequence', async () => {
    const { psu, sim, modbus } = orv3();
    sim.vsel51 = true;
    await psu.setOutputVoltage(50.5);
    expect(sim.vsetHighV).toBeCloseTo(50.5, 2);
    const seq = modbus.log.map((r) => [r.fc, r.start, r.values?.[0]]);
    const bit9 = 1 << 9;
    expect(seq[0]).toEqual([0x03, 94, undefined]);
    expect(seq[1]![0]).toBe(0x06);
    expect(seq[1]![2]! & 1).toBe(1); // unlock, range bit kept
    expect(seq[1]![2]! & bit9).toBe(bit9);
    expect(seq[2]!.slice(0, 2)).toEqual([0x06, 103]);
    expect(seq[3]![1]).toBe(94);
    expect(seq[3]![2]! & 1).toBe(0); // locked again
    expect(modbus.log.every((r) => r.priority === 'control')).toBe(true);
    await psu.setOutputVoltage(48.5, { range: 'low' });
    expect(sim.vsetLowV).toBeCloseTo(48.5, 2);
  });

  it('writes the HPR Vout_Setpoint and the result reads back', async () => {
    const { psu, sim } = hpr();
    await psu.setOutputVoltage(49.25);
    expect(sim.vsetV).toBeCloseTo(49.25, 2);
    expect((await psu.readTelemetry()).settings.voutSetpointV).toBeCloseTo(49.25, 2);
  });

  it('refuses out-of-bounds setpoints before anything goes on the wire', async () => {
    const { psu, modbus } = orv3();
    const msg = await refused(psu.setOutputVoltage(52));
    expect(msg).toContain('Vout_Setpoint_H');
    expect(msg).toContain('52');
    expect(msg).toContain('[48, 51]');
    await refused(psu.setOutputVoltage(47.9, { range: 'low' }));
    await refused(psu.setOutputVoltage(Number.NaN));
    expect(modbus.log).toHaveLength(0);
  });

  it('selects the 48 V range on ORv3 and refuses it on HPR', async () => {
    const o = orv3();
    await o.psu.selectOutputVoltage(48);
    expect(o.sim.vsel51).toBe(false);
    await o.psu.selectOutputVoltage(51);
    expect(o.sim.vsel51).toBe(true);
    const h = hpr();
    await refused(h.psu.selectOutputVoltage(48), ErrorCode.UnsupportedCommand);
    expect(h.modbus.log).toHaveLength(0);
  });

  it('clears faults with bit 14 and locks without repeating it', async () => {
    const { psu, modbus } = orv3();
    await psu.clearFaults();
    const writes = modbus.log.filter((r) => r.fc === 0x06).map((r) => r.values![0]!);
    expect(writes).toHaveLength(2);
    expect(writes[0]! & ((1 << 14) | 1)).toBe((1 << 14) | 1);
    expect(writes[1]! & ((1 << 14) | 1)).toBe(0);
  });

  it('power-cycles only when confirmed, and not twice within the guard', async () => {
    const { psu, sim, modbus, clock } = hpr();
    // @ts-expect-error the guard is required
    await refused(psu.powerCycle({}));
    expect(modbus.log).toHaveLength(0);
    await psu.powerCycle({ confirm: true });
    expect(sim.commandedOff).toBe(true);
    const n = modbus.log.length;
    await refused(psu.powerCycle({ confirm: true }));
    expect(modbus.log).toHaveLength(n);
    clock.advance(10_000);
    await psu.powerCycle({ confirm: true });
  });

  it('writes Unix time to the map register every hour of the clock', async () => {
    const { psu, modbus, clock } = orv3();
    const handle = psu.startTimeSync();
    await clock.advanceAsync(3 * 3600_000 + 1000, 60_000);
    handle.stop();
    await clock.advanceAsync(2 * 3600_000, 60_000);
    const writes = modbus.log.filter((r) => r.fc === 0x10 && r.start === 98);
    expect(writes).toHaveLength(4); // at start, +1 h, +2 h, +3 h
    const epochS = Math.floor(clock.epochMs() / 1000) - 5 * 3600 - 1;
    const written = writes.map((w) => (w.values![0]! << 16) | w.values![1]!);
    expect(written[1]! - written[0]!).toBe(3600);
    expect(Math.abs(written[3]! - (epochS + 3 * 3600))).toBeLessThanOrEqual(1);
    expect(handle.failures).toBe(0);
    expect(handle.lastSyncUnixS).toBe(written[3]);
  });
});
