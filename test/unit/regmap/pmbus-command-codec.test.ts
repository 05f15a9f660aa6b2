import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { decodePmbus, encodePmbus, loadBuiltinMaps } from '../../../src/regmap/index.js';
import type { FlagsValue, PmbusCommandDef } from '../../../src/regmap/index.js';

const { pmbus } = loadBuiltinMaps();
const cmd = (name: string): PmbusCommandDef =>
  pmbus['pmbus-psu'].byName.get(name) ?? pmbus['pmbus-fastlane-ext'].byName.get(name)!;
const code = (c: string) => expect.objectContaining({ code: c });

describe('data-driven PMBus values', () => {
  it('decodes status words into the PMBus bit names', () => {
    // 0x0840: bit 11 POWER_GOOD# and bit 6 OFF — a PSU that is off
    const v = decodePmbus(cmd('STATUS_WORD'), 0x0840) as FlagsValue;
    expect(v.raw).toBe(0x0840);
    expect(v.bits).toMatchObject({ 'POWER_GOOD#': true, OFF: true, VOUT: false, BUSY: false });
    expect(encodePmbus(cmd('STATUS_WORD'), { 'POWER_GOOD#': true, OFF: true })).toBe(0x0840);
    expect(() => decodePmbus(cmd('STATUS_BYTE'), 0x100)).toThrow(code(ErrorCode.CodecFormat));
  });

  it('uses the device VOUT_MODE for LINEAR16 commands', () => {
    const ctx = { voutMode: 0x17 };
    expect(decodePmbus(cmd('READ_VOUT'), 0x6000, ctx)).toBe(48);
    expect(decodePmbus(cmd('EXT_READ_BUS_VOLTAGE'), 0x6400, ctx)).toBe(50);
    expect(encodePmbus(cmd('VOUT_COMMAND'), 50, ctx)).toBe(0x6400);
    expect(() => decodePmbus(cmd('READ_VOUT'), 0x6000)).toThrow(code(ErrorCode.CodecFormat));
    expect(decodePmbus(cmd('VOUT_MODE'), 0x17)).toMatchObject({ mode: 'linear', exponent: -9 });
  });

  it('encodes bounded extension setpoints and refuses out-of-range ones', () => {
    // 3000 W in LINEAR11 = 750·2^2 = 0x12EE
    expect(encodePmbus(cmd('EXT_BBU_DISCHARGE_W'), 3000)).toBe(0x12ee);
    expect(decodePmbus(cmd('EXT_BBU_DISCHARGE_W'), 0x12ee)).toBe(3000);
    expect(() => encodePmbus(cmd('EXT_BBU_DISCHARGE_W'), 7000)).toThrow(
      /command "EXT_BBU_DISCHARGE_W" \(0xD1\): value 7000 W is outside the allowed range \[0, 6000\]/,
    );
    // DIRECT m=1 b=0 R=0: 5000 ms = 0x1388
    expect(encodePmbus(cmd('EXT_BBU_DISCHARGE_EXPIRY_MS'), 5000)).toBe(0x1388);
    expect(() => encodePmbus(cmd('EXT_BBU_DISCHARGE_EXPIRY_MS'), 5001)).toThrow(
      code(ErrorCode.CodecRange),
    );
    expect(encodePmbus(cmd('EXT_PSU_HOLD_CONTROLLER_ON_AUX'), 1)).toBe(1);
    expect(() => encodePmbus(cmd('EXT_PSU_HOLD_CONTROLLER_ON_AUX'), 2)).toThrow(
      code(ErrorCode.CodecRange),
    );
    // SoC in 0.01 % steps: raw 5000 = 50.00 %
    expect(decodePmbus(cmd('EXT_READ_BBU_SOC'), 5000)).toBe(50);
  });

  it('handles block strings and send-byte commands', () => {
    const id = cmd('MFR_ID');
    expect(encodePmbus(id, 'ACME')).toEqual(Uint8Array.of(0x41, 0x43, 0x4d, 0x45));
    expect(decodePmbus(id, Uint8Array.of(0x41, 0x43, 0x4d, 0x45, 0x20, 0))).toBe('ACME');
    expect(() => encodePmbus(id, 'x'.repeat(33))).toThrow(code(ErrorCode.CodecRange));
    expect(() => decodePmbus(cmd('CLEAR_FAULTS'), 0)).toThrow(code(ErrorCode.CodecFormat));
    expect(() => encodePmbus(cmd('EXT_PSU_RESTART'), 0)).toThrow(code(ErrorCode.CodecFormat));
  });
});
