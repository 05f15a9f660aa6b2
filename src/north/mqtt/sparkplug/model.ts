/**
 * Our typed model of a Sparkplug B payload: what the session builds and what decode returns.
 *
 * Number representation (the wire has uint64 in many places; JS numbers are exact to 2^53):
 * - bigint where the whole 64-bit range is legitimate: Int64/UInt64 values and metric aliases
 *   (peers may hash names into 64-bit aliases).
 * - number where the meaning bounds the value far below 2^53: timestamps and DateTime values
 *   (ms since epoch; 2^53 ms is year 287396), seq (0–255 by spec), MetaData size/seq. Decoding a
 *   larger value is an E601 error, not a silent rounding.
 * - number for every 8/16/32-bit integer type, Float and Double.
 *
 * A null value means "is_null": the metric (or property) is present but its value is unknown.
 */
import type { DataTypeName } from './schema.js';

export type NumberTypeName =
  'Int8' | 'Int16' | 'Int32' | 'UInt8' | 'UInt16' | 'UInt32' | 'Float' | 'Double' | 'DateTime';
export type BigIntTypeName = 'Int64' | 'UInt64';
/** Array types travel as bytes_value, little-endian packed (spec §6.4.17): kept as raw bytes. */
export type BytesTypeName = Extract<DataTypeName, 'Bytes' | 'File' | `${string}Array`>;

/** The spec's "basic types" (1–14): allowed in DataSet columns and PropertyValues. */
export type BasicTypeName = NumberTypeName | BigIntTypeName | 'Boolean' | 'String' | 'Text';

interface Typed<T extends DataTypeName, V> {
  readonly type: T;
  readonly value: V | null;
}

export type SpBasicValue =
  | Typed<NumberTypeName, number>
  | Typed<BigIntTypeName, bigint>
  | Typed<'Boolean', boolean>
  | Typed<'String' | 'Text', string>;

export type SpMetricValue =
  | SpBasicValue
  | Typed<'UUID', string>
  | Typed<BytesTypeName, Uint8Array>
  | Typed<'DataSet', SpDataSet>;

export type SpPropertyValue =
  | SpBasicValue
  | Typed<'PropertySet', SpPropertySet>
  | Typed<'PropertySetList', readonly SpPropertySet[]>;

/** Keys in wire order; a key appears once (decode rejects duplicates: a map cannot hold them). */
export type SpPropertySet = ReadonlyMap<string, SpPropertyValue>;

/** A DataSet cell: number/bigint/boolean/string by its column type, null for an empty cell. */
export type SpCell = number | bigint | boolean | string | null;

export interface SpDataSet {
  readonly columns: readonly string[];
  readonly types: readonly BasicTypeName[];
  readonly rows: readonly (readonly SpCell[])[];
}

export interface SpMetaData {
  readonly isMultiPart?: boolean;
  readonly contentType?: string;
  readonly size?: number;
  readonly seq?: number;
  readonly fileName?: string;
  readonly fileType?: string;
  readonly md5?: string;
  readonly description?: string;
}

interface SpMetricFields {
  /** Omitted in DATA/CMD messages when an alias is used (spec: alias-data-cmd-requirement). */
  readonly name?: string;
  readonly alias?: bigint;
  /** Acquisition time, ms since epoch (UTC). */
  readonly timestamp?: number;
  readonly isHistorical?: boolean;
  readonly isTransient?: boolean;
  readonly metadata?: SpMetaData;
  /** Units, ranges, Quality… (spec §6.4.8 PropertySet). */
  readonly properties?: SpPropertySet;
}

export type SpMetric = SpMetricValue & SpMetricFields;

export interface SpPayload {
  /** Publish time, ms since epoch (UTC). */
  readonly timestamp?: number;
  readonly metrics: readonly SpMetric[];
  /** 0–255 on every edge-node message but NDEATH (enforced by the session, not here). */
  readonly seq?: number;
  readonly uuid?: string;
  readonly body?: Uint8Array;
}

/** The one property key the spec defines (§6.4.9 PropertyValue, "Quality Codes"): an Int32 0, 192 or 500. */
export const QUALITY_PROPERTY = 'Quality';
export const Quality = { Bad: 0, Good: 192, Stale: 500 } as const;
