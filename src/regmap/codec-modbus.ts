import { ErrorCode, Orv3Error } from '../errors.js';
import type { RegisterDef } from './types.js';
import {
  narrowInteger,
  rawRange,
  toSigned,
  toUnsigned,
  unsignedToWords,
  wordsToUnsigned,
} from './words.js';

/** INTEGER/LONG values: `number` when exactly representable, `bigint` beyond 2^53 − 1. */
export type IntegerValue = number | bigint;

export interface FlagsValue {
  readonly raw: IntegerValue;
  /** Every named bit of the register, set or not. */
  readonly bits: Readonly<Record<string, boolean>>;
}

export type RegisterValue = number | bigint | string | FlagsValue | Uint8Array;
/** FLAGS accept the raw value or a partial record of named bits (absent bits are 0). */
export type FlagsInput = number | bigint | Readonly<Partial<Record<string, boolean>>>;
export type RegisterInput = string | Uint8Array | FlagsInput;

export interface EncodeOptions {
  /** STRING padding; devices differ, rackmon-style decoding accepts both. Default 'nul'. */
  readonly stringPad?: 'nul' | 'space';
}

function fail(
  code: ErrorCode,
  def: RegisterDef,
  message: string,
  context: Record<string, unknown> = {},
): Orv3Error {
  return new Orv3Error(code, `register "${def.name}" (begin ${def.begin}): ${message}`, {
    register: def.name,
    begin: def.begin,
    ...context,
  });
}

function checkWords(def: RegisterDef, words: ArrayLike<number>): void {
  if (words.length !== def.length) {
    throw fail(ErrorCode.CodecLength, def, `expected ${def.length} word(s), got ${words.length}`, {
      expected: def.length,
      actual: words.length,
    });
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!Number.isInteger(w) || w < 0 || w > 0xffff) {
      throw fail(ErrorCode.CodecFormat, def, `word ${i} (${w}) is not a 16-bit value`);
    }
  }
}

function expectFormat(def: RegisterDef, ...formats: RegisterDef['format'][]): void {
  if (!formats.includes(def.format)) {
    throw fail(ErrorCode.CodecFormat, def, `is ${def.format}, not ${formats.join('/')}`);
  }
}

const bitsOf = (def: RegisterDef): number => def.length * 16;

function rawInteger(def: RegisterDef, words: ArrayLike<number>): bigint {
  const u = wordsToUnsigned(words, def.endian);
  return def.signed ? toSigned(u, bitsOf(def)) : u;
}

export function decodeInteger(def: RegisterDef, words: ArrayLike<number>): IntegerValue {
  expectFormat(def, 'INTEGER', 'LONG');
  checkWords(def, words);
  return narrowInteger(rawInteger(def, words));
}

/** FLOAT: two's complement (if signed) fixed point with `precision` fractional bits, then `·scale + shift`. */
export function decodeFloat(def: RegisterDef, words: ArrayLike<number>): number {
  expectFormat(def, 'FLOAT');
  checkWords(def, words);
  return (Number(rawInteger(def, words)) / 2 ** def.precision) * def.scale + def.shift;
}

/** ASCII, high byte first; stops at the first NUL (as rackmon) and trims trailing spaces. */
export function decodeString(def: RegisterDef, words: ArrayLike<number>): string {
  expectFormat(def, 'STRING');
  checkWords(def, words);
  let s = '';
  for (const byte of wordBytes(words)) {
    if (byte === 0) break;
    s += String.fromCharCode(byte);
  }
  return s.replace(/ +$/, '');
}

export function decodeFlags(def: RegisterDef, words: ArrayLike<number>): FlagsValue {
  expectFormat(def, 'FLAGS');
  checkWords(def, words);
  const raw = wordsToUnsigned(words, 'B');
  const bits: Record<string, boolean> = {};
  for (const f of def.flags) bits[f.name] = ((raw >> BigInt(f.bit)) & 1n) === 1n;
  return Object.freeze({ raw: narrowInteger(raw), bits: Object.freeze(bits) });
}

export function decodeRaw(def: RegisterDef, words: ArrayLike<number>): Uint8Array {
  checkWords(def, words);
  return wordBytes(words);
}

function wordBytes(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(words.length * 2);
  for (let i = 0; i < words.length; i++) {
    out[2 * i] = words[i]! >> 8;
    out[2 * i + 1] = words[i]! & 0xff;
  }
  return out;
}

export function decodeRegister(def: RegisterDef, words: ArrayLike<number>): RegisterValue {
  switch (def.format) {
    case 'INTEGER':
    case 'LONG':
      return decodeInteger(def, words);
    case 'FLOAT':
      return decodeFloat(def, words);
    case 'STRING':
      return decodeString(def, words);
    case 'FLAGS':
      return decodeFlags(def, words);
    case 'RAW':
      return decodeRaw(def, words);
  }
}

/** The engineering range a numeric register can encode, ignoring `min`/`max`. */
export function encodableRange(def: RegisterDef): readonly [number, number] | undefined {
  if (def.format !== 'INTEGER' && def.format !== 'LONG' && def.format !== 'FLOAT') {
    return undefined;
  }
  const [lo, hi] = rawRange(bitsOf(def), def.signed);
  if (def.format !== 'FLOAT') return [Number(lo), Number(hi)];
  const a = (Number(lo) / 2 ** def.precision) * def.scale + def.shift;
  const b = (Number(hi) / 2 ** def.precision) * def.scale + def.shift;
  return a <= b ? [a, b] : [b, a];
}

/** Whether `value` respects the register's `min`/`max` (true when it has none). */
export function isWithinBounds(def: RegisterDef, value: number | bigint): boolean {
  if (def.min !== undefined && value < def.min) return false;
  return def.max === undefined || value <= def.max;
}

function checkBounds(def: RegisterDef, value: number | bigint): void {
  if (!isWithinBounds(def, value)) {
    const unit = def.unit === undefined ? '' : ` ${def.unit}`;
    throw fail(
      ErrorCode.CodecRange,
      def,
      `value ${value}${unit} is outside the allowed range [${def.min ?? '-inf'}, ${def.max ?? 'inf'}]`,
      { value, min: def.min, max: def.max },
    );
  }
}

function rawToWords(def: RegisterDef, raw: bigint, shown: number | bigint): number[] {
  const [lo, hi] = rawRange(bitsOf(def), def.signed);
  if (raw < lo || raw > hi) {
    const range = encodableRange(def);
    const text = range === undefined ? `[${lo}, ${hi}]` : `[${range[0]}, ${range[1]}]`;
    throw fail(ErrorCode.CodecRange, def, `value ${shown} does not fit: encodable range ${text}`, {
      value: shown,
    });
  }
  return unsignedToWords(toUnsigned(raw, bitsOf(def)), def.length, def.endian);
}

function toBigIntStrict(def: RegisterDef, value: RegisterInput): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  throw fail(ErrorCode.CodecFormat, def, `expects an integer, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object' && value !== null) return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function encodeRegister(
  def: RegisterDef,
  value: RegisterInput,
  options: EncodeOptions = {},
): number[] {
  switch (def.format) {
    case 'INTEGER':
    case 'LONG': {
      const v = toBigIntStrict(def, value);
      const words = rawToWords(def, v, value as number | bigint);
      checkBounds(def, v);
      return words;
    }
    case 'FLOAT':
      return encodeFloat(def, value);
    case 'STRING':
      return encodeString(def, value, options.stringPad ?? 'nul');
    case 'FLAGS':
      return encodeFlags(def, value);
    case 'RAW':
      return encodeRaw(def, value);
  }
}

function encodeFloat(def: RegisterDef, value: RegisterInput): number[] {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw fail(ErrorCode.CodecFormat, def, `expects a number, got ${describe(value)}`);
  }
  const scaled = ((value - def.shift) / def.scale) * 2 ** def.precision;
  const raw = Number.isFinite(scaled) ? BigInt(Math.round(scaled)) : 1n << 1024n;
  const words = rawToWords(def, raw, value);
  checkBounds(def, value);
  return words;
}

function encodeString(def: RegisterDef, value: RegisterInput, pad: 'nul' | 'space'): number[] {
  if (typeof value !== 'string') {
    throw fail(ErrorCode.CodecFormat, def, `expects a string, got ${describe(value)}`);
  }
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw fail(
      ErrorCode.CodecFormat,
      def,
      `string ${JSON.stringify(value)} is not printable ASCII`,
    );
  }
  const capacity = def.length * 2;
  if (value.length > capacity) {
    throw fail(ErrorCode.CodecRange, def, `string of ${value.length} chars exceeds ${capacity}`, {
      value,
    });
  }
  const bytes = new Uint8Array(capacity).fill(pad === 'nul' ? 0 : 0x20);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
  return bytesToWords(bytes);
}

function bytesToWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  return words;
}

function encodeFlags(def: RegisterDef, value: RegisterInput): number[] {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const raw = toBigIntStrict(def, value);
    if (raw < 0n || raw >= 1n << BigInt(bitsOf(def))) {
      throw fail(ErrorCode.CodecRange, def, `flags value ${value} exceeds ${bitsOf(def)} bits`, {
        value,
      });
    }
    return unsignedToWords(raw, def.length, 'B');
  }
  if (typeof value !== 'object' || value instanceof Uint8Array) {
    throw fail(ErrorCode.CodecFormat, def, `expects a raw number or a bits record`);
  }
  let raw = 0n;
  for (const [name, set] of Object.entries(value)) {
    const flag = def.flags.find((f) => f.name === name);
    if (flag === undefined) throw fail(ErrorCode.CodecFormat, def, `has no flag "${name}"`);
    if (set === true) raw |= 1n << BigInt(flag.bit);
  }
  return unsignedToWords(raw, def.length, 'B');
}

function encodeRaw(def: RegisterDef, value: RegisterInput): number[] {
  if (!(value instanceof Uint8Array)) {
    throw fail(ErrorCode.CodecFormat, def, `expects bytes, got ${describe(value)}`);
  }
  if (value.length !== def.length * 2) {
    throw fail(ErrorCode.CodecLength, def, `expected ${def.length * 2} bytes, got ${value.length}`);
  }
  return bytesToWords(value);
}
