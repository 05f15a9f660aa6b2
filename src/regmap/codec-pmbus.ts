import { ErrorCode, Orv3Error } from '../errors.js';

/**
 * PMBus numeric formats (PMBus Part II §7, §8.3). Pure functions on the 16-bit data word (the
 * SMBus layer owns the little-endian byte order on the wire).
 */

export const LINEAR11_MAX = 1023 * 2 ** 15;
export const LINEAR11_MIN = -1024 * 2 ** 15;

function codecError(code: ErrorCode, message: string, context: Record<string, unknown> = {}) {
  return new Orv3Error(code, message, context);
}

function checkWord(what: string, raw: number): void {
  if (!Number.isInteger(raw) || raw < 0 || raw > 0xffff) {
    throw codecError(ErrorCode.CodecFormat, `${what}: ${raw} is not a 16-bit word`, { raw });
  }
}

function checkFinite(what: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw codecError(ErrorCode.CodecFormat, `${what}: expects a number, got ${String(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw codecError(ErrorCode.CodecRange, `${what}: ${value} is not finite`, { value });
  }
}

/** Sign-extends the low `bits` bits of `v`. */
function signExtend(v: number, bits: number): number {
  const shift = 32 - bits;
  return (v << shift) >> shift;
}

/** LINEAR11: bits 15:11 a 5-bit two's complement exponent N, bits 10:0 an 11-bit mantissa Y; X = Y·2^N. */
export function decodeLinear11(raw: number): number {
  checkWord('LINEAR11', raw);
  return signExtend(raw & 0x7ff, 11) * 2 ** signExtend(raw >> 11, 5);
}

/**
 * Picks the smallest exponent whose rounded mantissa still fits 11 bits, i.e. the most precise
 * encoding (the mantissa is then ≥ 512 in magnitude unless the exponent bottoms out at −16).
 */
export function encodeLinear11(value: number): number {
  checkFinite('LINEAR11', value);
  if (value === 0) return 0;
  // Start two exponents below the first that can fit (the loop finds the exact smallest one);
  // scanning from -16 costs ~25 divisions per call on the 1 kHz hot path.
  const start = Math.max(-16, Math.floor(Math.log2(Math.abs(value))) - 12);
  for (let n = start; n <= 15; n++) {
    const y = Math.round(value / 2 ** n);
    if (y >= -1024 && y <= 1023) {
      if (y === 0) return 0;
      return ((n & 0x1f) << 11) | (y & 0x7ff);
    }
  }
  throw codecError(
    ErrorCode.CodecRange,
    `LINEAR11: ${value} is outside [${LINEAR11_MIN}, ${LINEAR11_MAX}]`,
    { value },
  );
}

export type VoutModeKind = 'linear' | 'vid' | 'direct' | 'ieee-half';

export interface VoutMode {
  readonly raw: number;
  /** PMBus 1.3 bit 7: values are relative to the nominal output (not supported by LINEAR16 here). */
  readonly relative: boolean;
  readonly mode: VoutModeKind;
  /** Bits 4:0 as they are (VID code for VID mode). */
  readonly parameter: number;
  /** Linear mode: bits 4:0 as a 5-bit two's complement exponent. */
  readonly exponent?: number;
}

const MODES: readonly VoutModeKind[] = ['linear', 'vid', 'direct', 'ieee-half'];

/** VOUT_MODE byte: bits 7:5 = 000 is linear with the exponent in bits 4:0 (0x17 → −9). */
export function parseVoutMode(byte: number): VoutMode {
  if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) {
    throw codecError(ErrorCode.CodecFormat, `VOUT_MODE: ${byte} is not a byte`, { raw: byte });
  }
  const mode = MODES[(byte >> 5) & 0x3]!;
  const parameter = byte & 0x1f;
  return Object.freeze({
    raw: byte,
    relative: (byte & 0x80) !== 0,
    mode,
    parameter,
    ...(mode === 'linear' ? { exponent: signExtend(parameter, 5) } : {}),
  });
}

/** The linear-mode VOUT_MODE byte for `exponent` (−16..15). */
export function encodeVoutMode(exponent: number): number {
  if (!Number.isInteger(exponent) || exponent < -16 || exponent > 15) {
    throw codecError(ErrorCode.CodecRange, `VOUT_MODE: exponent ${exponent} is not in -16..15`);
  }
  return exponent & 0x1f;
}

/** The LINEAR16 exponent a VOUT_MODE byte announces; other modes are a format error. */
export function linear16Exponent(voutMode: number): number {
  const m = parseVoutMode(voutMode);
  if (m.mode !== 'linear' || m.relative || m.exponent === undefined) {
    throw codecError(
      ErrorCode.CodecFormat,
      `VOUT_MODE 0x${voutMode.toString(16)} is ${m.relative ? 'relative ' : ''}${m.mode}, not linear`,
      { raw: voutMode },
    );
  }
  return m.exponent;
}

function checkExponent(exponent: number): void {
  if (!Number.isInteger(exponent) || exponent < -16 || exponent > 15) {
    throw codecError(ErrorCode.CodecFormat, `LINEAR16: exponent ${exponent} is not in -16..15`);
  }
}

/** LINEAR16 (ULINEAR16): unsigned 16-bit mantissa, exponent from VOUT_MODE. */
export function decodeLinear16(raw: number, exponent: number): number {
  checkWord('LINEAR16', raw);
  checkExponent(exponent);
  return raw * 2 ** exponent;
}

export function encodeLinear16(value: number, exponent: number): number {
  checkFinite('LINEAR16', value);
  checkExponent(exponent);
  const raw = Math.round(value / 2 ** exponent);
  if (raw < 0 || raw > 0xffff) {
    throw codecError(
      ErrorCode.CodecRange,
      `LINEAR16: ${value} does not fit [0, ${0xffff * 2 ** exponent}] with exponent ${exponent}`,
      { value, exponent },
    );
  }
  return raw;
}

export interface DirectCoefficientsLike {
  readonly m: number;
  readonly b: number;
  readonly R: number;
}

/** 10^R applied by multiplying or dividing by an exact power of ten (10^−2 is not exact). */
function timesPow10(v: number, r: number): number {
  return r >= 0 ? v * 10 ** r : v / 10 ** -r;
}

/** DIRECT: the device sends Y (16-bit two's complement); X = (Y·10^−R − b) / m. */
export function decodeDirect(raw: number, c: DirectCoefficientsLike): number {
  checkWord('DIRECT', raw);
  return (timesPow10(signExtend(raw, 16), -c.R) - c.b) / c.m;
}

/** DIRECT: Y = (m·X + b)·10^R, rounded to an integer that must fit int16. Returns the 16-bit word. */
export function encodeDirect(value: number, c: DirectCoefficientsLike): number {
  checkFinite('DIRECT', value);
  const y = Math.round(timesPow10(c.m * value + c.b, c.R));
  if (y < -32768 || y > 32767) {
    const lo = decodeDirect(c.m > 0 ? 0x8000 : 0x7fff, c);
    const hi = decodeDirect(c.m > 0 ? 0x7fff : 0x8000, c);
    throw codecError(ErrorCode.CodecRange, `DIRECT: ${value} is outside [${lo}, ${hi}]`, {
      value,
    });
  }
  return y & 0xffff;
}

/** The value range DIRECT coefficients can express. */
export function directRange(c: DirectCoefficientsLike): readonly [number, number] {
  const a = decodeDirect(0x8000, c);
  const b = decodeDirect(0x7fff, c);
  return a <= b ? [a, b] : [b, a];
}
