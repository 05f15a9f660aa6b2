import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import {
  decodeDirect,
  decodeLinear11,
  decodeLinear16,
  directRange,
  encodeDirect,
  encodeLinear11,
  encodeLinear16,
  encodeVoutMode,
  LINEAR11_MAX,
  linear16Exponent,
  parseVoutMode,
} from '../../../src/regmap/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

/**
 * LINEAR11 vectors, decoded the way Linux's pmbus_core.c pmbus_reg2data_linear() does it:
 * exponent = ((s16)raw) >> 11 (arithmetic shift keeps the sign of bits 15:11),
 * mantissa = ((s16)((raw & 0x7ff) << 5)) >> 5 (sign-extends bits 10:0), value = mantissa·2^exponent.
 * Each raw word is also what our encoder picks (the most precise exponent).
 */
const LINEAR11_VECTORS: readonly [raw: number, value: number, why: string][] = [
  // 0xF398 = 1111 0|011 1001 1000: exponent 11110 = −2, mantissa 0x398 = 920 → 920/4 = 230 V
  [0xf398, 230, 'READ_VIN 230 V'],
  // 0x12EE = 0001 0|010 1110 1110: exponent 00010 = +2, mantissa 0x2EE = 750 → 750·4 = 3000 W
  [0x12ee, 3000, 'READ_POUT 3 kW'],
  // 0xCA40 = 1100 1|010 0100 0000: exponent 11001 = −7, mantissa 0x240 = 576 → 576/128 = 4.5
  [0xca40, 4.5, '4.5 A'],
  // 0x9A00 = 1001 1|010 0000 0000: exponent 10011 = −13, mantissa 0x200 = 512 → 512/8192 = 0.0625
  [0x9a00, 0.0625, 'small value, mantissa at 512'],
  // 0xD2E6 = 1101 0|010 1110 0110: exponent 11010 = −6, mantissa 0x2E6 = 742 → 742/64 = 11.59375 A
  [0xd2e6, 11.59375, 'READ_IOUT 11.59375 A'],
  // 0xE400 = 1110 0|100 0000 0000: exponent 11100 = −4, mantissa 0x400 = −1024 → −1024/16 = −64
  [0xe400, -64, 'most negative mantissa'],
  // 0x7BFF = 0111 1|011 1111 1111: exponent 01111 = +15, mantissa 0x3FF = 1023 → 1023·32768
  [0x7bff, 33521664, 'largest value'],
  [0x0000, 0, 'zero'],
];

describe('LINEAR11', () => {
  it.each(LINEAR11_VECTORS)('raw %i ↔ %s (%s)', (raw, value) => {
    expect(decodeLinear11(raw)).toBe(value);
    expect(encodeLinear11(value)).toBe(raw);
  });

  it('reads non-canonical encodings too', () => {
    // 0x0801: exponent +1, mantissa 1 → 2; the encoder would pick 0xC200 (512·2^-8)
    expect(decodeLinear11(0x0801)).toBe(2);
    expect(encodeLinear11(2)).toBe(0xc200);
    expect(decodeLinear11(0xba00)).toBe(1);
  });

  it('is within 2^-10 relative error across the range', () => {
    const magnitude = fc.double({ min: 2 ** -7, max: LINEAR11_MAX, noNaN: true });
    fc.assert(
      fc.property(magnitude, fc.boolean(), (m, negative) => {
        const v = negative ? -m : m;
        const back = decodeLinear11(encodeLinear11(v));
        expect(Math.abs(back - v) / Math.abs(v)).toBeLessThanOrEqual(2 ** -10);
      }),
    );
  });

  it('re-encodes every decoded word to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (raw) => {
        const v = decodeLinear11(raw);
        expect(decodeLinear11(encodeLinear11(v))).toBe(v);
      }),
    );
  });

  it('refuses values beyond 1023·2^15 and bad words', () => {
    expect(() => encodeLinear11(LINEAR11_MAX + 2 ** 15)).toThrow(code(ErrorCode.CodecRange));
    expect(() => encodeLinear11(Infinity)).toThrow(code(ErrorCode.CodecRange));
    expect(() => decodeLinear11(0x10000)).toThrow(code(ErrorCode.CodecFormat));
  });
});

describe('VOUT_MODE and LINEAR16', () => {
  it('parses the mode byte', () => {
    // 0x17 = 000|1 0111: linear, exponent 10111 = 23 − 32 = −9
    expect(parseVoutMode(0x17)).toMatchObject({ mode: 'linear', relative: false, exponent: -9 });
    // 0x14 = 000|1 0100: linear, exponent −12
    expect(linear16Exponent(0x14)).toBe(-12);
    // 0x22 = 001|0 0010: VID mode, VID code 2
    expect(parseVoutMode(0x22)).toMatchObject({ mode: 'vid', parameter: 2 });
    expect(parseVoutMode(0x22).exponent).toBeUndefined();
    // 0x40 = 010|0 0000: DIRECT
    expect(parseVoutMode(0x40).mode).toBe('direct');
    expect(parseVoutMode(0x97).relative).toBe(true);
    expect(() => linear16Exponent(0x40)).toThrow(code(ErrorCode.CodecFormat));
    expect(encodeVoutMode(-9)).toBe(0x17);
  });

  it('matches the PMBus example: VOUT_MODE 0x17, raw 0x6000 = 48.0 V', () => {
    // 0x6000 = 24576; 24576·2^-9 = 48.0
    expect(decodeLinear16(0x6000, linear16Exponent(0x17))).toBe(48);
    // 0x6600 = 26112; 26112/512 = 51.0
    expect(decodeLinear16(0x6600, -9)).toBe(51);
    // 50.0·512 = 25600 = 0x6400
    expect(encodeLinear16(50, -9)).toBe(0x6400);
    expect(() => encodeLinear16(128, -9)).toThrow(code(ErrorCode.CodecRange));
    expect(() => encodeLinear16(-1, -9)).toThrow(code(ErrorCode.CodecRange));
  });

  it('round-trips within half an LSB for every exponent', () => {
    const cases = fc
      .integer({ min: -16, max: 15 })
      .chain((e) =>
        fc.tuple(fc.constant(e), fc.double({ min: 0, max: 0xffff * 2 ** e, noNaN: true })),
      );
    fc.assert(
      fc.property(cases, ([e, v]) => {
        expect(Math.abs(decodeLinear16(encodeLinear16(v, e), e) - v)).toBeLessThanOrEqual(
          2 ** e / 2,
        );
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: -16, max: 15 }),
        (raw, e) => {
          expect(encodeLinear16(decodeLinear16(raw, e), e)).toBe(raw);
        },
      ),
    );
  });
});

describe('DIRECT', () => {
  it('uses Y = (m·X + b)·10^R', () => {
    const soc = { m: 1, b: 0, R: 2 }; // EXT_READ_BBU_SOC
    // 50.00 % → (1·50 + 0)·10^2 = 5000 = 0x1388
    expect(encodeDirect(50, soc)).toBe(0x1388);
    expect(decodeDirect(0x1388, soc)).toBe(50);
    const c = { m: 20, b: -5, R: -1 };
    // X = 12.3: (20·12.3 − 5)·10^-1 = 24.1 → Y = 24; back: (24·10 + 5)/20 = 12.25 (LSB 0.5)
    expect(encodeDirect(12.3, c)).toBe(24);
    expect(decodeDirect(24, c)).toBe(12.25);
    // Y is two's complement: 0xFFF6 = −10 → (−100 + 5)/20 = −4.75
    expect(decodeDirect(0xfff6, c)).toBe(-4.75);
    expect(encodeDirect(-4.75, c)).toBe(0xfff6);
    expect(() => encodeDirect(400, soc)).toThrow(code(ErrorCode.CodecRange));
  });

  it('round-trips within one LSB (10^-R/|m|)', () => {
    const coeff = fc.record({
      m: fc.integer({ min: -32767, max: 32767 }).filter((m) => m !== 0),
      b: fc.integer({ min: -1000, max: 1000 }),
      R: fc.integer({ min: -4, max: 4 }),
    });
    fc.assert(
      fc.property(coeff, fc.double({ min: 0, max: 1, noNaN: true }), (c, t) => {
        const [lo, hi] = directRange(c);
        const v = lo + t * (hi - lo);
        const lsb = 10 ** -c.R / Math.abs(c.m);
        const back = decodeDirect(encodeDirect(v, c), c);
        expect(Math.abs(back - v)).toBeLessThanOrEqual(lsb * (1 + 1e-9));
      }),
    );
    fc.assert(
      fc.property(coeff, fc.integer({ min: 0, max: 0xffff }), (c, raw) => {
        expect(encodeDirect(decodeDirect(raw, c), c)).toBe(raw);
      }),
    );
  });
});
