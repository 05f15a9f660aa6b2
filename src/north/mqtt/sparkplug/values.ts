/**
 * Which protobuf value field each Sparkplug datatype uses, both ways, with range checks.
 * Shared by Metric, PropertyValue and DataSetValue: their scalar members have the same names.
 *
 * Type rules (spec §6.4.17 "Datatype Details"), and where we deliberately differ:
 * - Int8/Int16/Int32 → int_value (uint32) as the 32-bit two's complement, i.e. sign-extended:
 *   -1 is 0xFFFFFFFF, which is what the Java and JS reference implementations (Eclipse Tahu)
 *   write and read. On decode we also accept the width-limited form (Int8 -1 as 0xFF), which
 *   Tahu's Python helper writes; anything that is neither is out of range.
 * - UInt8/UInt16 → int_value.
 * - UInt32 → long_value (uint64). DEVIATION: the spec's table says uint32, but Tahu (Java, JS,
 *   C) and Ignition put UInt32 in long_value, and the JS decoder reads only long_value (int_value
 *   would decode as 0). See eclipse-sparkplug/sparkplug#102, eclipse-tahu/tahu#131. On decode we
 *   accept both fields.
 * - Int64 → long_value as 64-bit two's complement; UInt64 and DateTime → long_value.
 * - Float → float_value, Double → double_value, Boolean → boolean_value.
 * - String, Text, UUID → string_value; Bytes, File and the *Array types → bytes_value.
 */
import { ErrorCode, Orv3Error } from '../../../errors.js';
import type { DataTypeName, WireLong, WireScalarValue } from './schema.js';

type ScalarKey = keyof WireScalarValue;
/** Every member of a `oneof value`, scalar or not, so "more than one value" is caught. */
export const VALUE_KEYS = [
  'int_value',
  'long_value',
  'float_value',
  'double_value',
  'boolean_value',
  'string_value',
  'bytes_value',
  'dataset_value',
  'template_value',
  'extension_value',
  'propertyset_value',
  'propertysets_value',
] as const;
export type ValueKey = (typeof VALUE_KEYS)[number];

/** protobufjs decodes absent fields as prototype defaults: presence is an own property. */
export function has<T extends object>(o: T, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** The value members present on a decoded message (normally zero or one). */
export function presentValueKeys(o: object): ValueKey[] {
  return VALUE_KEYS.filter((k) => has(o, k));
}

/** `at` is a path into the payload (`metrics[3] 'Input/Voltage'.properties.engUnit`). */
export function badPayload(at: string, message: string): Orv3Error {
  const where = at === '' ? '' : `, ${at}`;
  return new Orv3Error(ErrorCode.SparkplugBadPayload, `Sparkplug payload${where}: ${message}`, {
    at,
  });
}

export function cannotEncode(at: string, message: string): Orv3Error {
  return new Orv3Error(ErrorCode.SparkplugCannotEncode, `Sparkplug encode, ${at}: ${message}`, {
    at,
  });
}

// ---- 64-bit -----------------------------------------------------------------------------------

const U32 = 0x1_0000_0000n;
const U64_MAX = (1n << 64n) - 1n;

/** protobufjs reads/writes uint64 as {low, high} (Long); plain objects are accepted on write. */
export function toWireLong(v: bigint): WireLong {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffff_ffffn) | 0, high: Number(u >> 32n) | 0 };
}

/** The unsigned 64-bit value of a decoded uint64 field. */
export function fromWireLong(w: WireLong): bigint {
  if (typeof w === 'number') return BigInt(w); // only without the `long` package: ≤ 2^53 exact
  return BigInt(w.high >>> 0) * U32 + BigInt(w.low >>> 0);
}

/** A uint64 field whose meaning keeps it below 2^53 (timestamps, seq, sizes). */
export function safeFromWireLong(w: WireLong, at: string): number {
  const v = fromWireLong(w);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw badPayload(at, `${v} exceeds 2^53-1`);
  return Number(v);
}

export function safeToWireLong(v: number, at: string): WireLong {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw cannotEncode(at, `${v} is not an integer in 0..2^53-1`);
  }
  return toWireLong(BigInt(v));
}

// ---- scalars ----------------------------------------------------------------------------------

const INT_RANGES: Partial<Record<DataTypeName, readonly [number, number]>> = {
  Int8: [-0x80, 0x7f],
  Int16: [-0x8000, 0x7fff],
  Int32: [-0x8000_0000, 0x7fff_ffff],
  UInt8: [0, 0xff],
  UInt16: [0, 0xffff],
  UInt32: [0, 0xffff_ffff],
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string protobuf can carry as UTF-8 without replacement characters on the other side. */
export function checkUtf8(s: string, at: string): string {
  if (LONE_SURROGATE.test(s)) throw cannotEncode(at, 'string has a lone UTF-16 surrogate');
  return s;
}

/**
 * The wire value member for a scalar of `type`. Returns undefined for types that are not
 * scalars (DataSet, Template, PropertySet…): the caller handles those.
 */
export function encodeScalar(
  type: DataTypeName,
  value: unknown,
  at: string,
): Partial<Record<ScalarKey | 'bytes_value', unknown>> | undefined {
  const range = INT_RANGES[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw cannotEncode(at, `${type} needs an integer number, got ${String(value)}`);
    }
    if (value < range[0] || value > range[1]) {
      throw cannotEncode(at, `${type} value ${value} outside ${range[0]}..${range[1]}`);
    }
    if (type === 'UInt32') return { long_value: toWireLong(BigInt(value)) };
    return { int_value: value >>> 0 };
  }
  switch (type) {
    case 'Int64':
    case 'UInt64': {
      if (typeof value !== 'bigint') throw cannotEncode(at, `${type} needs a bigint`);
      const ok =
        type === 'Int64' ? BigInt.asIntN(64, value) === value : value >= 0n && value <= U64_MAX;
      if (!ok) throw cannotEncode(at, `${type} value ${value} out of range`);
      return { long_value: toWireLong(value) };
    }
    case 'DateTime':
      if (typeof value !== 'number') throw cannotEncode(at, 'DateTime needs ms since epoch');
      return { long_value: safeToWireLong(value, at) };
    case 'Float':
    case 'Double':
      if (typeof value !== 'number') throw cannotEncode(at, `${type} needs a number`);
      // Float: protobufjs writes Math.fround(value); the reader gets the float32 nearest.
      return type === 'Float' ? { float_value: value } : { double_value: value };
    case 'Boolean':
      if (typeof value !== 'boolean') throw cannotEncode(at, 'Boolean needs a boolean');
      return { boolean_value: value };
    case 'String':
    case 'Text':
    case 'UUID':
      if (typeof value !== 'string') throw cannotEncode(at, `${type} needs a string`);
      return { string_value: checkUtf8(value, at) };
    default:
      if (type === 'Bytes' || type === 'File' || type.endsWith('Array')) {
        if (!(value instanceof Uint8Array)) throw cannotEncode(at, `${type} needs a Uint8Array`);
        return { bytes_value: value };
      }
      return undefined;
  }
}

/** Sign-interpret the low `bits` of a uint32 that is either width-limited or sign-extended. */
function signedFromUint32(u: number, bits: 8 | 16 | 32, type: string, at: string): number {
  if (bits === 32) return u | 0;
  const limit = 2 ** bits;
  const minExtended = 0x1_0000_0000 - limit / 2;
  if (u >= limit && u < minExtended) throw badPayload(at, `${type} int_value ${u} out of range`);
  const shift = 32 - bits;
  return (u << shift) >> shift;
}

/**
 * The model value of a decoded scalar of `type`, taken from the one member that type uses.
 * Returns undefined when `type` is not a scalar type. The caller has already checked that
 * exactly one value member is present.
 */
export function decodeScalar(
  type: DataTypeName,
  w: WireScalarValue & { bytes_value?: Uint8Array },
  at: string,
): number | bigint | boolean | string | Uint8Array | undefined {
  const need = (key: keyof typeof w): void => {
    if (!has(w, key)) {
      const got = presentValueKeys(w).join(', ') || 'no value';
      throw badPayload(at, `${type} expects ${key}, got ${got}`);
    }
  };
  switch (type) {
    case 'Int8':
    case 'Int16':
    case 'Int32':
      need('int_value');
      return signedFromUint32(
        w.int_value!,
        type === 'Int8' ? 8 : type === 'Int16' ? 16 : 32,
        type,
        at,
      );
    case 'UInt8':
    case 'UInt16': {
      need('int_value');
      const max = INT_RANGES[type]![1];
      if (w.int_value! > max) throw badPayload(at, `${type} int_value ${w.int_value} > ${max}`);
      return w.int_value!;
    }
    case 'UInt32': {
      if (has(w, 'int_value')) return w.int_value!; // the spec's field
      need('long_value');
      const v = fromWireLong(w.long_value!);
      if (v > 0xffff_ffffn) throw badPayload(at, `UInt32 long_value ${v} out of range`);
      return Number(v);
    }
    case 'Int64':
      need('long_value');
      return BigInt.asIntN(64, fromWireLong(w.long_value!));
    case 'UInt64':
      need('long_value');
      return fromWireLong(w.long_value!);
    case 'DateTime':
      need('long_value');
      return safeFromWireLong(w.long_value!, at);
    case 'Float':
      need('float_value');
      return w.float_value!;
    case 'Double':
      need('double_value');
      return w.double_value!;
    case 'Boolean':
      need('boolean_value');
      return w.boolean_value!;
    case 'String':
    case 'Text':
    case 'UUID':
      need('string_value');
      return w.string_value!;
    default:
      if (type === 'Bytes' || type === 'File' || type.endsWith('Array')) {
        need('bytes_value');
        return w.bytes_value!;
      }
      return undefined;
  }
}
