/**
 * The Sparkplug B payload schema (spec chapter 6, "Google Protocol Buffer Schema"), written by us
 * as typed tables and built with the protobufjs reflection API.
 *
 * Why tables + reflection rather than a .proto string: the field numbers and wire types are the
 * facts we must get right, so they sit in one reviewable table per message that reads like the
 * spec and is checked by the compiler; there is no .proto text to keep in sync, no parser at
 * start-up, and the same tables give the codec its field-name types (`WireMetric` etc.).
 *
 * Wire-level notes that matter for compatibility:
 * - proto2 semantics: optional scalars are written only when present, repeated scalars are NOT
 *   packed (DataSet.types) — the same bytes the Eclipse Tahu encoders produce.
 * - `extensions N to max` ranges are not declared: protobufjs skips unknown fields on decode, and
 *   we never write extensions. The *ValueExtension messages exist (empty) so that a peer's
 *   extension_value still parses as a length-delimited message.
 */
import protobuf from 'protobufjs';

/** Sparkplug data types (spec §6.4.16 "Data Types"): enum numbers are wire facts. */
export const DataType = {
  Unknown: 0,
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
  DataSet: 16,
  Bytes: 17,
  File: 18,
  Template: 19,
  PropertySet: 20,
  PropertySetList: 21,
  Int8Array: 22,
  Int16Array: 23,
  Int32Array: 24,
  Int64Array: 25,
  UInt8Array: 26,
  UInt16Array: 27,
  UInt32Array: 28,
  UInt64Array: 29,
  FloatArray: 30,
  DoubleArray: 31,
  BooleanArray: 32,
  StringArray: 33,
  DateTimeArray: 34,
} as const;
export type DataTypeName = keyof typeof DataType;

const DATA_TYPE_NAMES = new Map<number, DataTypeName>(
  (Object.keys(DataType) as DataTypeName[]).map((n) => [DataType[n], n]),
);

/** The name of a wire datatype number, or undefined when the spec does not define it. */
export function dataTypeName(n: number): DataTypeName | undefined {
  return DATA_TYPE_NAMES.get(n);
}

/** One field: [name, number, protobuf type, rule]. Names are the spec's (snake_case). */
type FieldRow = readonly [name: string, id: number, type: string, rule?: 'repeated' | 'oneof'];

/**
 * The spec's messages (chapter 6 schema), flattened into one namespace: every field with its
 * number and protobuf type. Rows marked 'oneof' form the message's `oneof value`.
 */
const MESSAGES: Readonly<Record<string, readonly FieldRow[]>> = {
  Payload: [
    ['timestamp', 1, 'uint64'],
    ['metrics', 2, 'Metric', 'repeated'],
    ['seq', 3, 'uint64'],
    ['uuid', 4, 'string'],
    ['body', 5, 'bytes'],
  ],
  Metric: [
    ['name', 1, 'string'],
    ['alias', 2, 'uint64'],
    ['timestamp', 3, 'uint64'],
    ['datatype', 4, 'uint32'],
    ['is_historical', 5, 'bool'],
    ['is_transient', 6, 'bool'],
    ['is_null', 7, 'bool'],
    ['metadata', 8, 'MetaData'],
    ['properties', 9, 'PropertySet'],
    ['int_value', 10, 'uint32', 'oneof'],
    ['long_value', 11, 'uint64', 'oneof'],
    ['float_value', 12, 'float', 'oneof'],
    ['double_value', 13, 'double', 'oneof'],
    ['boolean_value', 14, 'bool', 'oneof'],
    ['string_value', 15, 'string', 'oneof'],
    ['bytes_value', 16, 'bytes', 'oneof'],
    ['dataset_value', 17, 'DataSet', 'oneof'],
    ['template_value', 18, 'Template', 'oneof'],
    ['extension_value', 19, 'MetricValueExtension', 'oneof'],
  ],
  MetaData: [
    ['is_multi_part', 1, 'bool'],
    ['content_type', 2, 'string'],
    ['size', 3, 'uint64'],
    ['seq', 4, 'uint64'],
    ['file_name', 5, 'string'],
    ['file_type', 6, 'string'],
    ['md5', 7, 'string'],
    ['description', 8, 'string'],
  ],
  PropertySet: [
    ['keys', 1, 'string', 'repeated'],
    ['values', 2, 'PropertyValue', 'repeated'],
  ],
  PropertySetList: [['propertyset', 1, 'PropertySet', 'repeated']],
  PropertyValue: [
    ['type', 1, 'uint32'],
    ['is_null', 2, 'bool'],
    ['int_value', 3, 'uint32', 'oneof'],
    ['long_value', 4, 'uint64', 'oneof'],
    ['float_value', 5, 'float', 'oneof'],
    ['double_value', 6, 'double', 'oneof'],
    ['boolean_value', 7, 'bool', 'oneof'],
    ['string_value', 8, 'string', 'oneof'],
    ['propertyset_value', 9, 'PropertySet', 'oneof'],
    ['propertysets_value', 10, 'PropertySetList', 'oneof'],
    ['extension_value', 11, 'PropertyValueExtension', 'oneof'],
  ],
  DataSet: [
    ['num_of_columns', 1, 'uint64'],
    ['columns', 2, 'string', 'repeated'],
    ['types', 3, 'uint32', 'repeated'],
    ['rows', 4, 'Row', 'repeated'],
  ],
  Row: [['elements', 1, 'DataSetValue', 'repeated']],
  DataSetValue: [
    ['int_value', 1, 'uint32', 'oneof'],
    ['long_value', 2, 'uint64', 'oneof'],
    ['float_value', 3, 'float', 'oneof'],
    ['double_value', 4, 'double', 'oneof'],
    ['boolean_value', 5, 'bool', 'oneof'],
    ['string_value', 6, 'string', 'oneof'],
    ['extension_value', 7, 'DataSetValueExtension', 'oneof'],
  ],
  // Templates are parsed (so a peer's template metric does not break the payload) but the codec
  // does not model them: we never publish templates, and none of our commands take one.
  Template: [
    ['version', 1, 'string'],
    ['metrics', 2, 'Metric', 'repeated'],
    ['parameters', 3, 'Parameter', 'repeated'],
    ['template_ref', 4, 'string'],
    ['is_definition', 5, 'bool'],
  ],
  Parameter: [
    ['name', 1, 'string'],
    ['type', 2, 'uint32'],
    ['int_value', 3, 'uint32', 'oneof'],
    ['long_value', 4, 'uint64', 'oneof'],
    ['float_value', 5, 'float', 'oneof'],
    ['double_value', 6, 'double', 'oneof'],
    ['boolean_value', 7, 'bool', 'oneof'],
    ['string_value', 8, 'string', 'oneof'],
    ['extension_value', 9, 'ParameterValueExtension', 'oneof'],
  ],
  MetricValueExtension: [],
  PropertyValueExtension: [],
  DataSetValueExtension: [],
  ParameterValueExtension: [],
};

function buildRoot(): protobuf.Root {
  // One flat namespace: nesting (Payload.Metric…) only affects names, never bytes.
  const ns = new protobuf.Namespace('sparkplug_b');
  for (const [typeName, rows] of Object.entries(MESSAGES)) {
    const type = new protobuf.Type(typeName);
    const oneofMembers: string[] = [];
    for (const [name, id, fieldType, rule] of rows) {
      // proto2: repeated scalars are unpacked unless declared otherwise; say so explicitly.
      const options = rule === 'repeated' && fieldType === 'uint32' ? { packed: false } : undefined;
      type.add(
        new protobuf.Field(
          name,
          id,
          fieldType,
          rule === 'repeated' ? 'repeated' : 'optional',
          undefined,
          options,
        ),
      );
      if (rule === 'oneof') oneofMembers.push(name);
    }
    if (oneofMembers.length > 0) type.add(new protobuf.OneOf('value', oneofMembers));
    ns.add(type);
  }
  const root = new protobuf.Root();
  root.add(ns);
  root.resolveAll();
  return root;
}

const root = buildRoot();

/** The reflected message types the codec encodes and decodes with. */
export const Wire = {
  Payload: root.lookupType('sparkplug_b.Payload'),
} as const;

// ---------------------------------------------------------------------------------------------
// Shapes of the objects protobufjs reads and writes for these messages. protobufjs decodes an
// absent optional field as a prototype default, so presence is tested with an own-property check.

/**
 * protobufjs's 64-bit representation: a Long ({low, high} int32 halves) when the `long` package
 * is present, which protobufjs depends on; a plain number only without it.
 */
export type WireLong = { readonly low: number; readonly high: number } | number;

/** The scalar value members shared by Metric, PropertyValue and DataSetValue. */
export interface WireScalarValue {
  int_value?: number;
  long_value?: WireLong;
  float_value?: number;
  double_value?: number;
  boolean_value?: boolean;
  string_value?: string;
}

export interface WirePayload {
  timestamp?: WireLong;
  metrics?: WireMetric[];
  seq?: WireLong;
  uuid?: string;
  body?: Uint8Array;
}

export interface WireMetric extends WireScalarValue {
  name?: string;
  alias?: WireLong;
  timestamp?: WireLong;
  datatype?: number;
  is_historical?: boolean;
  is_transient?: boolean;
  is_null?: boolean;
  metadata?: WireMetaData;
  properties?: WirePropertySet;
  bytes_value?: Uint8Array;
  dataset_value?: WireDataSet;
  template_value?: object;
  extension_value?: object;
}

export interface WireMetaData {
  is_multi_part?: boolean;
  content_type?: string;
  size?: WireLong;
  seq?: WireLong;
  file_name?: string;
  file_type?: string;
  md5?: string;
  description?: string;
}

export interface WirePropertySet {
  keys?: string[];
  values?: WirePropertyValue[];
}

export interface WirePropertyValue extends WireScalarValue {
  type?: number;
  is_null?: boolean;
  propertyset_value?: WirePropertySet;
  propertysets_value?: { propertyset?: WirePropertySet[] };
  extension_value?: object;
}

export interface WireDataSet {
  num_of_columns?: WireLong;
  columns?: string[];
  types?: number[];
  rows?: { elements?: WireDataSetValue[] }[];
}

export interface WireDataSetValue extends WireScalarValue {
  extension_value?: object;
}
