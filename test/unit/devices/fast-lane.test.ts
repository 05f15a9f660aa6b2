import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/index.js';
import { Bbu, Psu } from '../../../src/devices/index.js';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import { maps, shelf, simulatedPmbus } from '../../support/fake-buses.js';
import { settle } from './drive.js';

function rig() {
  const s = shelf('orv3-hpr-33kw', {}, 70);
  const clock = new VirtualClock();
  const pmbus = simulatedPmbus(s.dir, 0, clock, 400_000);
  const psu = new Psu(s.modbus, 144, maps.modbus['hpr-psu'], clock, {
    pmbus,
    pmbusAddress: 0x58,
  });
  const bbu = new Bbu(s.modbus, 48, maps.modbus['hpr-bbu'], clock, { pmbus, pmbusAddress: 0x40 });
  const run = <T>(p: Promise<T>): Promise<T> => settle(clock, p);
  const tx = (addr: number): number => pmbus.counters(addr).transactions;
  return {
    ...s,
    clock,
    pmbus,
    psu,
    bbu,
    run,
    tx,
    simPsu: s.zone.psus[0]!,
    simBbu: s.zone.bbus[0]!,
  };
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isOrv3Error(e) && e.code === code, String(e)).toBe(true);
}

describe('fast lane (PMBus over the simulated SMBus twin)', () => {
  it('PSU: READ_VIN/IOUT/VOUT/PIN in engineering units, VOUT_MODE read once', async () => {
    const { psu, run, tx, simPsu, clock } = rig();
    const a = await run(psu.readFast());
    expect(a.acInputV).toBeCloseTo(simPsu.vacV, 0);
    expect(a.outputA).toBeCloseTo(simPsu.ioutA, 0);
    expect(a.outputV).toBeCloseTo(simPsu.voutV, 2);
    expect(a.inputW / simPsu.pinW).toBeCloseTo(1, 2);
    expect(tx(0x58)).toBe(5); // VOUT_MODE + 4 reads
    // 4 word reads with PEC at 400 kHz + one byte read ≈ 0.7 ms of modelled bus time
    expect(a.sampledAtMs).toBeGreaterThan(0.5);
    expect(a.sampledAtMs).toBeLessThan(1);
    await run(psu.readFast());
    expect(tx(0x58)).toBe(9);
    expect(clock.nowMs()).toBeGreaterThan(a.sampledAtMs);
  });

  it('BBU: bus voltage and SoC', async () => {
    const { bbu, run, zone, simBbu } = rig();
    const s = await run(bbu.readFast());
    expect(s.busV).toBeCloseTo(zone.busV, 1);
    expect(s.socPct).toBeCloseTo(simBbu.socPct, 1);
  });

  it('discharge setpoint with its lease; the lease length is sent only when it changes', async () => {
    const { bbu, run, tx, simBbu } = rig();
    await run(bbu.setDischargeSetpoint(3000, 500));
    expect(tx(0x40)).toBe(2);
    expect(simBbu.forcedW).toBe(3000);
    const status = await run(bbu.readExtStatus());
    expect(status['BBU_DISCHARGE_ACTIVE']).toBe(true);
    const n = tx(0x40);
    await run(bbu.setDischargeSetpoint(2500, 500));
    expect(tx(0x40)).toBe(n + 1);
    await run(bbu.endDischargeLease());
    await run(bbu.setDischargeSetpoint(2500, 500));
    expect(tx(0x40)).toBe(n + 4); // expiry 0, then expiry 500 again + setpoint
  });

  it('refuses extension values outside the command data; nothing is sent', async () => {
    const { bbu, psu, run, tx } = rig();
    await rejects(run(bbu.setDischargeSetpoint(7000, 500)), ErrorCode.CommandOutOfBounds);
    await rejects(run(bbu.setDischargeSetpoint(3000, 6000)), ErrorCode.CommandOutOfBounds);
    await rejects(run(bbu.setChargeLimit(2500, 100)), ErrorCode.CommandOutOfBounds);
    await rejects(run(psu.setPowerLimit(-1, 100)), ErrorCode.CommandOutOfBounds);
    await rejects(run(psu.setPowerLimit(100, 1.5)), ErrorCode.CommandOutOfBounds);
    expect(tx(0x40) + tx(0x58)).toBe(0);
  });

  it('PSU power limit and aux hold reach the device; a restart outside RESTART_PENDING is rejected', async () => {
    const { psu, run, simPsu } = rig();
    await run(psu.setPowerLimit(4000, 1000));
    expect(simPsu.powerLimitW).toBe(4000);
    await run(psu.holdControllerOnAux(true, 2000));
    expect(simPsu.auxHold).toBe(true);
    await run(psu.restart());
    expect((await run(psu.readExtStatus()))['COMMAND_REJECTED']).toBe(true);
    await run(psu.clearFaultsFast());
    expect((await run(psu.readExtStatus()))['COMMAND_REJECTED']).toBe(false);
  });

  it('a driver without a PMBus link says so', async () => {
    const s = shelf('orv3-hpr-33kw');
    const psu = new Psu(s.modbus, 144, maps.modbus['hpr-psu'], new VirtualClock());
    expect(psu.hasFastLane).toBe(false);
    await rejects(psu.readFast(), ErrorCode.UnsupportedCommand);
  });
});
