import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import {
  decodeFlags,
  decodeRegister,
  encodableRange,
  encodeRegister,
  loadBuiltinMaps,
} from '../../../src/regmap/index.js';
import type { RegisterDef } from '../../../src/regmap/index.js';

const { modbus } = loadBuiltinMaps();
const psu = modbus['orv3-psu'].byName;
const hprBbu = modbus['hpr-bbu'].byName;
const get = (m: ReadonlyMap<string, RegisterDef>, name: string): RegisterDef => m.get(name)!;

/** A register definition for formats the built-in maps do not use (LONG, little endian, RAW). */
function def(over: Partial<RegisterDef> & Pick<RegisterDef, 'format' | 'length'>): RegisterDef {
  return {
    name: 'Test',
    begin: 0,
    end: over.length,
    endian: 'B',
    precision: 0,
    scale: 1,
    shift: 0,
    signed: false,
    flags: [],
    writable: true,
    keep: 1,
    changesOnly: false,
    ...over,
  };
}

const code = (c: string) => expect.objectContaining({ code: c });

describe('FLOAT (fixed point, then ·scale + shift)', () => {
  it('decodes the real ORv3 PSU registers', () => {
    // PSU_Output_Voltage, precision 10: 0xC800 = 51200; 51200 / 2^10 = 50.0 V
    expect(decodeRegister(get(psu, 'PSU_Output_Voltage'), [0xc800])).toBe(50);
    expect(encodeRegister(get(psu, 'PSU_Output_Voltage'), 50)).toEqual([0xc800]);
    const inlet = get(psu, 'PSU_Temp0_Inlet'); // precision 7, signed
    // 0x0C80 = 3200; 3200 / 2^7 = 25.0 degC
    expect(decodeRegister(inlet, [0x0c80])).toBe(25);
    // 0xFB00 as int16 = -1280; -1280 / 2^7 = -10.0 degC
    expect(decodeRegister(inlet, [0xfb00])).toBe(-10);
    expect(encodeRegister(inlet, -10)).toEqual([0xfb00]);
    // 0x7FFF = 32767; 32767 / 128 = 255.9921875 (largest positive)
    expect(decodeRegister(inlet, [0x7fff])).toBe(255.9921875);
  });

  it('applies scale and shift as the HPR maps do', () => {
    // Temp1: 0.1 K counts: 2981 · 0.1 − 273.15 = 24.95 degC
    expect(decodeRegister(get(hprBbu, 'Temp1'), [2981])).toBeCloseTo(24.95, 10);
    expect(encodeRegister(get(hprBbu, 'Temp1'), 24.95)).toEqual([2981]);
    // Battery_Current: signed, scale 10: 0xE2B4 = −7500 counts → −75 000 mA (75 A discharge)
    expect(decodeRegister(get(hprBbu, 'Battery_Current'), [0xe2b4])).toBe(-75000);
    expect(encodeRegister(get(hprBbu, 'Battery_Current'), -75000)).toEqual([0xe2b4]);
  });

  it('refuses values out of range or out of bounds', () => {
    expect(() => encodeRegister(get(psu, 'PSU_Output_Voltage'), 70)).toThrow(
      code(ErrorCode.CodecRange),
    );
    expect(() => encodeRegister(get(psu, 'Vout_Setpoint_H'), 52)).toThrow(
      /register "Vout_Setpoint_H" \(begin 103\): value 52 V is outside the allowed range \[48, 51\]/,
    );
    expect(encodeRegister(get(psu, 'Vout_Setpoint_H'), 51)).toEqual([51 * 1024]);
    expect(() => encodeRegister(get(psu, 'PSU_Output_Voltage'), Number.NaN)).toThrow(
      code(ErrorCode.CodecFormat),
    );
  });

  it('round-trips within one LSB for any precision, scale, shift and sign', () => {
    const defs = fc.record({
      length: fc.integer({ min: 1, max: 2 }),
      precision: fc.integer({ min: 0, max: 16 }),
      signed: fc.boolean(),
      scale: fc.constantFrom(1, 0.1, 10, 2, 0.5, -0.25),
      shift: fc.constantFrom(0, -273.15, 5),
    });
    fc.assert(
      fc.property(defs, fc.double({ min: 0, max: 1, noNaN: true }), (p, t) => {
        const d = def({ format: 'FLOAT', ...p });
        const [lo, hi] = encodableRange(d)!;
        const v = lo + t * (hi - lo);
        const lsb = Math.abs(p.scale) / 2 ** p.precision;
        const back = decodeRegister(d, encodeRegister(d, v)) as number;
        expect(Math.abs(back - v)).toBeLessThanOrEqual(lsb * (0.5 + 1e-9) + 1e-9 * Math.abs(v));
      }),
    );
  });
});

describe('INTEGER and LONG', () => {
  it('combines words big endian, and little endian by reversing all bytes (rackmon)', () => {
    // Unix_Time, 2 words B: [0x6543, 0x2100] → 0x65432100
    expect(decodeRegister(get(psu, 'Unix_Time'), [0x6543, 0x2100])).toBe(0x65432100);
    const long = def({ format: 'LONG', length: 4, endian: 'L' });
    // value bytes LE: 08 07 06 05 04 03 02 01; each word is sent high byte first
    const words = [0x0807, 0x0605, 0x0403, 0x0201];
    // 0x0102030405060708 > 2^53 − 1, so it comes back as a bigint
    expect(decodeRegister(long, words)).toBe(0x0102030405060708n);
    expect(encodeRegister(long, 0x0102030405060708n)).toEqual(words);
    // 1 word, L, signed: 0x34FF → bytes swapped 0xFF34 → −204
    expect(
      decodeRegister(def({ format: 'INTEGER', length: 1, endian: 'L', signed: true }), [0x34ff]),
    ).toBe(-204);
  });

  it('returns bigint beyond 2^53 and number otherwise', () => {
    const max = [0xffff, 0xffff, 0xffff, 0xffff];
    expect(decodeRegister(def({ format: 'LONG', length: 4 }), max)).toBe(18446744073709551615n);
    expect(decodeRegister(def({ format: 'LONG', length: 4, signed: true }), max)).toBe(-1);
    expect(decodeRegister(def({ format: 'LONG', length: 4 }), [0x1f, 0xffff, 0xffff, 0xffff])).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it('round-trips exactly for every width, sign and endian', () => {
    const cases = fc
      .record({
        length: fc.integer({ min: 1, max: 4 }),
        signed: fc.boolean(),
        endian: fc.constantFrom('B' as const, 'L' as const),
      })
      .chain((p) =>
        fc.tuple(
          fc.constant(p),
          p.signed
            ? fc.bigInt({
                min: -(1n << BigInt(16 * p.length - 1)),
                max: (1n << BigInt(16 * p.length - 1)) - 1n,
              })
            : fc.bigInt({ min: 0n, max: (1n << BigInt(16 * p.length)) - 1n }),
        ),
      );
    fc.assert(
      fc.property(cases, ([p, v]) => {
        const d = def({ format: p.length === 1 ? 'INTEGER' : 'LONG', ...p });
        const words = encodeRegister(d, v);
        expect(words).toHaveLength(p.length);
        expect(BigInt(decodeRegister(d, words) as number | bigint)).toBe(v);
      }),
    );
  });

  it('refuses non-integers, overflow, bad word counts and bad words', () => {
    const counter = get(psu, 'AC_Outage_Counter');
    expect(() => encodeRegister(counter, 1.5)).toThrow(code(ErrorCode.CodecFormat));
    expect(() => encodeRegister(counter, 65536)).toThrow(code(ErrorCode.CodecRange));
    expect(() => encodeRegister(counter, -1)).toThrow(code(ErrorCode.CodecRange));
    expect(() => decodeRegister(counter, [1, 2])).toThrow(code(ErrorCode.CodecLength));
    expect(() => decodeRegister(counter, [0x10000])).toThrow(code(ErrorCode.CodecFormat));
    expect(() => encodeRegister(get(modbus['orv3-bbu'].byName, 'System_Control_Mode'), 4)).toThrow(
      /System_Control_Mode.*outside the allowed range \[0, 3\]/,
    );
  });
});

describe('STRING', () => {
  const model = get(psu, 'PSU_MFR_Model'); // 8 words

  it('reads ASCII high byte first and trims NUL and space padding', () => {
    // "PS" "U-" "1\0"
    expect(decodeRegister(model, [0x5053, 0x552d, 0x3100, 0, 0, 0, 0, 0])).toBe('PSU-1');
    // "AB" then spaces
    expect(
      decodeRegister(model, [0x4142, 0x2020, 0x2020, 0x2020, 0x2020, 0x2020, 0x2020, 0x2020]),
    ).toBe('AB');
    expect(encodeRegister(model, 'AB', { stringPad: 'space' })).toEqual([
      0x4142,
      ...Array(7).fill(0x2020),
    ]);
    expect(encodeRegister(model, 'PSU-1')).toEqual([0x5053, 0x552d, 0x3100, 0, 0, 0, 0, 0]);
  });

  it('round-trips printable ASCII without trailing spaces', () => {
    const text = fc.stringMatching(/^[\x20-\x7e]{0,16}$/).map((s) => s.replace(/ +$/, ''));
    fc.assert(
      fc.property(text, (s) => {
        expect(decodeRegister(model, encodeRegister(model, s))).toBe(s);
      }),
    );
  });

  it('refuses long or non-ASCII strings', () => {
    expect(() => encodeRegister(model, 'x'.repeat(17))).toThrow(code(ErrorCode.CodecRange));
    expect(() => encodeRegister(model, 'Ω')).toThrow(code(ErrorCode.CodecFormat));
  });
});

describe('FLAGS and RAW', () => {
  const general = get(psu, 'General_Alarm_Status_Register');

  it('decodes every named bit and encodes raw or partial records', () => {
    // 0x0801: bit 11 (Fan_Alarm) and bit 0 (PFC)
    const v = decodeFlags(general, [0x0801]);
    expect(v.raw).toBe(0x0801);
    expect(v.bits).toMatchObject({ Fan_Alarm: true, PFC: true, Temp_Alarm: false, DCDC: false });
    expect(Object.keys(v.bits)).toHaveLength(8);
    expect(encodeRegister(general, { Fan_Alarm: true, PFC: true, DCDC: false })).toEqual([0x0801]);
    expect(encodeRegister(general, 0x8000)).toEqual([0x8000]);
    expect(() => encodeRegister(general, { Nope: true })).toThrow(code(ErrorCode.CodecFormat));
    expect(() => encodeRegister(general, 0x10000)).toThrow(code(ErrorCode.CodecRange));
  });

  it('round-trips raw flag words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (w) => {
        expect(encodeRegister(general, decodeFlags(general, [w]).raw)).toEqual([w]);
      }),
    );
  });

  it('exposes RAW registers as bytes', () => {
    const raw = def({ format: 'RAW', length: 2 });
    expect(decodeRegister(raw, [0x0102, 0xa0b0])).toEqual(Uint8Array.of(1, 2, 0xa0, 0xb0));
    expect(encodeRegister(raw, Uint8Array.of(1, 2, 0xa0, 0xb0))).toEqual([0x0102, 0xa0b0]);
    expect(() => encodeRegister(raw, Uint8Array.of(1))).toThrow(code(ErrorCode.CodecLength));
  });
});
