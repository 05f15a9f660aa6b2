import type { Endian } from './types.js';

/**
 * Multi-word integers, with rackmon's word/byte order: "B" puts the first register in the most
 * significant position; "L" treats the whole value as little-endian bytes, i.e. reverses the
 * word order AND swaps the two bytes of every word. BigInt throughout so 64-bit values are exact.
 */

function swapBytes(w: number): number {
  return ((w & 0xff) << 8) | (w >> 8);
}

/** Unsigned value of `words` (each already checked to be 0..0xFFFF). */
export function wordsToUnsigned(words: ArrayLike<number>, endian: Endian): bigint {
  let v = 0n;
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const w = endian === 'B' ? words[i]! : swapBytes(words[n - 1 - i]!);
    v = (v << 16n) | BigInt(w);
  }
  return v;
}

export function unsignedToWords(value: bigint, length: number, endian: Endian): number[] {
  const words = new Array<number>(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    words[i] = Number(v & 0xffffn);
    v >>= 16n;
  }
  return endian === 'B' ? words : words.reverse().map(swapBytes);
}

export function toSigned(u: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, u);
}

export function toUnsigned(s: bigint, bits: number): bigint {
  return BigInt.asUintN(bits, s);
}

/** Inclusive raw range of a `bits`-wide two's complement or unsigned integer. */
export function rawRange(bits: number, signed: boolean): readonly [bigint, bigint] {
  if (signed) return [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
  return [0n, (1n << BigInt(bits)) - 1n];
}

/**
 * Integers come back as `number` when they are exactly representable (|v| ≤ 2^53 − 1) and as
 * `bigint` otherwise, so 1- and 2-word registers read as plain numbers and 64-bit counters
 * never lose digits.
 */
export function narrowInteger(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
