import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.js';
import {
  decodeDirect,
  decodeLinear11,
  decodeLinear16,
  encodeLinear11,
  encodeLinear16,
} from '../../../../src/regmap/index.js';
import { BbuState } from '../../../../sim/physics/bbu.js';
import { PsuState } from '../../../../sim/physics/psu.js';
import { CML_INVALID_COMMAND, CML_INVALID_DATA, PmbusError } from '../../../../sim/facade/index.js';
import type { PmbusFacade } from '../../../../sim/facade/index.js';
import { maps, rig, stepMs } from './fixture.js';

const ext = maps.pmbus['pmbus-fastlane-ext'].byName;
const std = maps.pmbus['pmbus-psu'].byName;
const code = (name: string): number => (std.get(name) ?? ext.get(name))!.code;
const extBit = (flag: string): number =>
  1 << ext.get('EXT_STATUS')!.flags.find((f) => f.name === flag)!.bit;

function pmbusError(fn: () => unknown): PmbusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PmbusError) return e;
    throw e;
  }
  throw new Error('expected a PmbusError');
}

const extStatus = (d: PmbusFacade): number => d.readWord(code('EXT_STATUS'));

describe('PmbusFacade: a PSU', () => {
  it('reads telemetry in LINEAR11 and READ_VOUT in LINEAR16 with VOUT_MODE', () => {
    const r = rig();
    const d = r.psu.pmbus;
    const p = r.zone.psus[0]!;
    const vin = decodeLinear11(d.readWord(code('READ_VIN')));
    expect(Math.abs(vin - p.vacV)).toBeLessThanOrEqual(0.5);
    const pout = decodeLinear11(d.readWord(code('READ_POUT')));
    expect(Math.abs(pout - p.poutW) / p.poutW).toBeLessThan(0.002);
    const exp = d.readByte(code('VOUT_MODE')) - 32;
    expect(exp).toBe(-9);
    const vout = decodeLinear16(d.readWord(code('READ_VOUT')), exp);
    expect(Math.abs(vout - r.zone.busV)).toBeLessThanOrEqual(2 ** exp);
    const bus = decodeLinear16(d.readWord(code('EXT_READ_BUS_VOLTAGE')), exp);
    expect(Math.abs(bus - r.zone.busV)).toBeLessThanOrEqual(2 ** exp);
    expect(d.readByte(code('PMBUS_REVISION'))).toBe(0x33);
    expect(new TextDecoder().decode(d.readBlock(code('MFR_SERIAL')))).toBe('SIMHPRPSU00000');
    d.writeBlock(code('MFR_ID'), new TextEncoder().encode('ACME'));
    expect(new TextDecoder().decode(d.readBlock(code('MFR_ID')))).toBe('ACME');
  });

  it('an unsupported command or wrong transaction throws and sets STATUS_CML invalid command', () => {
    const d = rig().psu.pmbus;
    const e = pmbusError(() => d.readWord(0xfe));
    expect(e.code).toBe(ErrorCode.UnsupportedCommand);
    expect(e.cmlBit).toBe(CML_INVALID_COMMAND);
    expect(d.readByte(code('STATUS_CML')) & CML_INVALID_COMMAND).not.toBe(0);
    expect(d.readWord(code('STATUS_WORD')) & 0x02).toBe(0x02);
    d.sendByte(code('CLEAR_FAULTS'));
    expect(d.readByte(code('STATUS_CML'))).toBe(0);
    // READ_VIN is a word read: a byte read of it is the wrong transaction.
    expect(pmbusError(() => d.readByte(code('READ_VIN'))).code).toBe(ErrorCode.UnsupportedCommand);
    expect(pmbusError(() => d.writeWord(code('READ_VIN'), 0)).cmlBit).toBe(CML_INVALID_COMMAND);
    expect(d.counters.errors).toBe(3);
  });

  it('VOUT_COMMAND within bounds moves the setpoint; outside sets STATUS_CML invalid data', () => {
    const r = rig();
    const d = r.psu.pmbus;
    d.writeWord(code('VOUT_COMMAND'), encodeLinear16(49.5, -9));
    expect(r.zone.psus[0]!.vsetV).toBeCloseTo(49.5, 3);
    const e = pmbusError(() => d.writeWord(code('VOUT_COMMAND'), encodeLinear16(53, -9)));
    expect(e.code).toBe(ErrorCode.IllegalValue);
    expect(d.readByte(code('STATUS_CML'))).toBe(CML_INVALID_DATA);
    expect(r.zone.psus[0]!.vsetV).toBeCloseTo(49.5, 3);
  });

  it('OPERATION turns the output off and on; WRITE_PROTECT blocks it', () => {
    const r = rig();
    const d = r.psu.pmbus;
    const p = r.zone.psus[0]!;
    d.writeByte(code('OPERATION'), 0x00);
    stepMs(r, 5);
    expect(p.state).toBe(PsuState.OffCommanded);
    expect(d.readWord(code('STATUS_WORD')) & 0x40).toBe(0x40);
    d.writeByte(code('OPERATION'), 0x80);
    stepMs(r, 300);
    expect(p.state).toBe(PsuState.Running);
    d.writeByte(code('WRITE_PROTECT'), 0x80);
    expect(pmbusError(() => d.writeByte(code('OPERATION'), 0)).cmlBit).toBe(CML_INVALID_DATA);
    expect(p.commandedOff).toBe(false);
    expect(pmbusError(() => d.writeByte(code('OPERATION'), 0xc0)).code).toBe(
      ErrorCode.IllegalValue,
    );
  });

  it('latches STATUS_INPUT through an AC fault until CLEAR_FAULTS', () => {
    const r = rig();
    const d = r.psu.pmbus;
    r.zone.psus[0]!.alarms.acUvp = true;
    expect(d.readByte(code('STATUS_INPUT')) & 0x10).toBe(0x10);
    r.zone.psus[0]!.alarms.acUvp = false;
    expect(d.readByte(code('STATUS_INPUT')) & 0x10).toBe(0x10);
    expect(d.readWord(code('STATUS_WORD')) & 0x2000).toBe(0x2000);
    d.sendByte(code('CLEAR_FAULTS'));
    expect(d.readByte(code('STATUS_INPUT'))).toBe(0);
  });

  it('output power limit with expiry reverts to native after the lease', () => {
    const r = rig();
    const d = r.psu.pmbus;
    const p = r.zone.psus[0]!;
    d.writeWord(code('EXT_PSU_POUT_LIMIT_EXPIRY_MS'), 300);
    d.writeWord(code('EXT_PSU_POUT_LIMIT_W'), encodeLinear11(1000));
    stepMs(r, 100);
    expect(p.poutW).toBeLessThan(1010);
    expect(extStatus(d) & extBit('POUT_LIMIT_ACTIVE')).not.toBe(0);
    stepMs(r, 300);
    expect(p.powerLimitW).toBeNull();
    expect(p.poutW).toBeGreaterThan(2500);
    expect(extStatus(d) & extBit('COMMAND_EXPIRED')).not.toBe(0);
  });

  it('hold-on-aux arms the physics; restart outside RESTART_PENDING latches COMMAND_REJECTED', () => {
    const r = rig();
    const d = r.psu.pmbus;
    d.writeByte(code('EXT_PSU_HOLD_CONTROLLER_ON_AUX'), 1);
    expect(r.zone.psus[0]!.auxHold).toBe(true);
    expect(extStatus(d) & extBit('HOLD_ARMED')).not.toBe(0);
    d.sendByte(code('EXT_PSU_RESTART'));
    expect(extStatus(d) & extBit('COMMAND_REJECTED')).not.toBe(0);
    d.writeWord(code('EXT_PSU_HOLD_EXPIRY_MS'), 0);
    expect(r.zone.psus[0]!.auxHold).toBe(false);
    const e = pmbusError(() => d.writeByte(code('EXT_PSU_HOLD_CONTROLLER_ON_AUX'), 1));
    expect(e.cmlBit).toBe(CML_INVALID_DATA);
  });
});

describe('PmbusFacade: a BBU', () => {
  it('answers only the extension and a minimal identity subset', () => {
    const d = rig().bbu.pmbus;
    const names = d.commands().map((c) => c.name);
    expect(names).toContain('EXT_BBU_DISCHARGE_W');
    expect(names).toContain('MFR_SERIAL');
    expect(names).not.toContain('EXT_PSU_RESTART');
    expect(pmbusError(() => d.readWord(code('READ_VIN'))).code).toBe(ErrorCode.UnsupportedCommand);
    expect(decodeDirect(d.readWord(code('EXT_READ_BBU_SOC')), { m: 1, b: 0, R: 2 })).toBeCloseTo(
      100,
      1,
    );
  });

  it('a discharge setpoint with expiry discharges, then reverts after the expiry', () => {
    const r = rig();
    const d = r.bbu.pmbus;
    const b = r.zone.bbus[0]!;
    d.writeWord(code('EXT_BBU_DISCHARGE_EXPIRY_MS'), 250);
    d.writeWord(code('EXT_BBU_DISCHARGE_W'), encodeLinear11(2000));
    stepMs(r, 50);
    expect(b.state).toBe(BbuState.Forced);
    expect(b.poutW).toBeGreaterThan(1500);
    expect(b.poutW).toBeLessThan(2050);
    expect(extStatus(d) & extBit('BBU_DISCHARGE_ACTIVE')).not.toBe(0);
    expect(d.readWord(code('STATUS_WORD')) & 0x40).toBe(0);
    stepMs(r, 250);
    expect(b.state).toBe(BbuState.Standby);
    expect(b.poutW).toBe(0);
    expect(extStatus(d) & extBit('BBU_DISCHARGE_ACTIVE')).toBe(0);
    expect(extStatus(d) & extBit('COMMAND_EXPIRED')).not.toBe(0);
    d.sendByte(code('CLEAR_FAULTS'));
    expect(extStatus(d)).toBe(0);
  });

  it('an out-of-range setpoint is refused with invalid data and COMMAND_REJECTED', () => {
    const r = rig();
    const d = r.bbu.pmbus;
    const e = pmbusError(() => d.writeWord(code('EXT_BBU_DISCHARGE_W'), encodeLinear11(7000)));
    expect(e.code).toBe(ErrorCode.IllegalValue);
    expect(d.readByte(code('STATUS_CML'))).toBe(CML_INVALID_DATA);
    expect(extStatus(d) & extBit('COMMAND_REJECTED')).not.toBe(0);
    expect(r.zone.bbus[0]!.forcedW).toBe(0);
  });

  it('a charge limit caps recharge for its lease', () => {
    const r = rig(undefined, undefined, 60);
    const d = r.bbu.pmbus;
    const b = r.zone.bbus[0]!;
    expect(b.chargeW).toBeGreaterThan(100);
    d.writeWord(code('EXT_BBU_CHARGE_LIMIT_W'), encodeLinear11(100));
    stepMs(r, 20);
    expect(b.chargeW).toBeLessThanOrEqual(100);
    expect(extStatus(d) & extBit('CHARGE_LIMIT_ACTIVE')).not.toBe(0);
  });
});
