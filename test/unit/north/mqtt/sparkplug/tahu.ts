/**
 * Eclipse Tahu's `sparkplug-payload` (dev dependency, used only by the compatibility tests) and
 * adapters between its user objects and our model, so payloads compare field by field.
 *
 * Known defects of sparkplug-payload 1.0.3 that the comparison works around (not ours):
 * - UInt32 is read with Long.toInt(), so values ≥ 2^31 come back negative: compared as `>>> 0`.
 * - Int64 comes back as an *unsigned* Long: its `toSigned()` sits behind an `instanceof Long` that
 *   fails when protobufjs resolved another copy of `long` (as in this install). The bits are
 *   right; we read them as signed.
 * - DataSet cells of Int8/Int16/Int32/UInt8/UInt16/UInt64/DateTime columns throw in its decoder,
 *   and an empty (null) cell comes back as the field's default: DataSets compared with it use
 *   the column types it can read and no empty cells.
 * - A null PropertySet/PropertySetList property value crashes its decoder (TypeError).
 * - Array types (22–34) decode as null: not compared.
 */
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type {
  SpMetric,
  SpPayload,
  SpPropertySet,
  SpPropertyValue,
} from '../../../../../src/north/mqtt/sparkplug/index.js';

export const tahu = (
  createRequire(import.meta.url)('sparkplug-payload') as typeof import('sparkplug-payload')
).get('spBv1.0')!;
export type UPayload = ReturnType<typeof tahu.decodePayload>;
export type UMetric = NonNullable<UPayload['metrics']>[number];

/** Their 64-bit values are `long` v4 objects: {low, high, unsigned}. */
interface LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
}
const isLong = (x: unknown): x is LongLike =>
  typeof x === 'object' && x !== null && 'low' in x && 'high' in x;
function big(x: unknown): bigint {
  if (typeof x === 'number') return BigInt(x);
  if (!isLong(x)) throw new Error(`not a Long: ${String(x)}`);
  const u = (BigInt(x.high >>> 0) << 32n) | BigInt(x.low >>> 0);
  return x.unsigned ? u : BigInt.asIntN(64, u);
}
/** A 64-bit value for their encoder, which accepts any {low, high}. */
function long(v: bigint, unsigned: boolean): LongLike {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffff_ffffn) | 0, high: Number(u >> 32n) | 0, unsigned };
}

type Loose = Record<string, unknown>;

/** Their decoded value → our model's value for `type`. */
function value(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  // Bits are compared, not their Long's sign flag (see header).
  if (type === 'Int64') return BigInt.asIntN(64, big(v));
  if (type === 'UInt64') return BigInt.asUintN(64, big(v));
  if (type === 'DateTime') return Number(big(v));
  if (type === 'UInt32') return Number(big(v)) >>> 0; // their toInt() bug, see header
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (type === 'DataSet') {
    const d = v as Loose;
    const types = d.types as string[];
    const rows = (d.rows as unknown[][]).map((r) => r.map((c, i) => value(types[i]!, c)));
    expect(big(d.numOfColumns)).toBe(BigInt(types.length));
    return { columns: d.columns, types, rows };
  }
  if (type === 'PropertySet') return propertySet(v as Loose);
  if (type === 'PropertySetList') return (v as Loose[]).map(propertySet);
  return v;
}

function propertySet(r: Loose): SpPropertySet {
  return new Map(
    Object.entries(r).map(([k, pv]): [string, SpPropertyValue] => {
      const { type, value: v } = pv as { type: string; value: unknown };
      return [k, { type, value: value(type, v) } as SpPropertyValue];
    }),
  );
}

/** Their decoded payload, field by field, in our model's terms. */
export function fromTahu(p: UPayload): SpPayload {
  const metrics = (p.metrics ?? []).map((m): SpMetric => {
    const out: Loose = { type: m.type, value: value(m.type, m.value) };
    if (m.name !== undefined) out.name = m.name;
    if (m.alias !== undefined) out.alias = big(m.alias);
    if (m.timestamp !== undefined) out.timestamp = Number(big(m.timestamp));
    if (m.isHistorical !== undefined) out.isHistorical = m.isHistorical;
    if (m.isTransient !== undefined) out.isTransient = m.isTransient;
    if (m.properties !== undefined) out.properties = propertySet(m.properties as Loose);
    return out as unknown as SpMetric;
  });
  return {
    ...(p.timestamp != null && { timestamp: Number(big(p.timestamp)) }),
    metrics,
    ...(p.seq != null && { seq: Number(big(p.seq)) }),
    ...(p.uuid != null && { uuid: p.uuid }),
    ...(p.body != null && { body: new Uint8Array(p.body) }),
  };
}

function tahuValue(type: string, v: unknown): unknown {
  if (typeof v === 'bigint') return long(v, type === 'UInt64');
  if (v instanceof Map) return propertiesToTahu(v as SpPropertySet);
  if (Array.isArray(v)) return v.map((s) => propertiesToTahu(s as SpPropertySet));
  if (type === 'DataSet' && v !== null) {
    const d = v as { columns: string[]; types: string[]; rows: unknown[][] };
    const rows = d.rows.map((r) => r.map((c, i) => tahuValue(d.types[i]!, c)));
    return { ...d, numOfColumns: d.columns.length, rows };
  }
  return v;
}

function propertiesToTahu(set: SpPropertySet): Loose {
  return Object.fromEntries(
    [...set].map(([k, p]) => [k, { type: p.type, value: tahuValue(p.type, p.value) }]),
  );
}

/** Our model as their encoder's input. */
export function toTahu(p: SpPayload): UPayload {
  const metrics = p.metrics.map((m) => {
    const out: Loose = { type: m.type, value: tahuValue(m.type, m.value) };
    if (m.name !== undefined) out.name = m.name;
    if (m.alias !== undefined) out.alias = long(m.alias, true);
    if (m.timestamp !== undefined) out.timestamp = m.timestamp;
    if (m.isHistorical !== undefined) out.isHistorical = m.isHistorical;
    if (m.isTransient !== undefined) out.isTransient = m.isTransient;
    if (m.properties !== undefined) out.properties = propertiesToTahu(m.properties);
    return out;
  });
  return { ...p, metrics } as unknown as UPayload;
}
