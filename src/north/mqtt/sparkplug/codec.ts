/**
 * Sparkplug B payload codec: our typed model (model.ts) ⇄ protobuf bytes (schema.ts). Pure: no
 * MQTT, no sequence numbers, no alias tables — the session owns those and passes what it knows
 * (message type on encode, the datatype of an alias on decode).
 *
 * Decoding never throws anything but Orv3Error: E601 for bytes that are not a Sparkplug payload
 * (protobuf errors, spec MUSTs broken, values outside their datatype), E602 for well-formed
 * features we do not model (Template metrics, extension values).
 */
import type { SpMetaData, SpMetric, SpMetricValue, SpPayload } from './model.js';
import {
  DataType,
  Wire,
  dataTypeName,
  type DataTypeName,
  type WireMetaData,
  type WireMetric,
  type WirePayload,
} from './schema.js';
import type { EdgeMessageType } from './topics.js';
import {
  dataSetFromWire,
  dataSetToWire,
  propertySetFromWire,
  propertySetToWire,
  unsupported,
} from './complex.js';
import {
  badPayload,
  cannotEncode,
  checkUtf8,
  decodeScalar,
  encodeScalar,
  fromWireLong,
  has,
  presentValueKeys,
  safeFromWireLong,
  safeToWireLong,
  toWireLong,
} from './values.js';

export interface EncodeOptions {
  /**
   * Applies the payload chapter's per-message metric rules: in NBIRTH/DBIRTH every metric
   * needs a name and carries its datatype; in NDATA/DDATA/NCMD/DCMD a metric that has an alias
   * is sent by alias only (its name is dropped).
   */
  readonly messageType?: EdgeMessageType;
  /**
   * Leave `datatype` out of non-birth metrics (the spec says it SHOULD NOT be sent there).
   * Off by default: decoders without an alias table (sparkplug-payload, many scripts) need it.
   */
  readonly omitDatatypes?: boolean;
}

export interface MetricRef {
  readonly name?: string;
  readonly alias?: bigint;
}

export interface DecodeOptions {
  /**
   * The datatype of a metric that arrives without one (allowed outside births): the session
   * answers from the birth it published. Without an answer the payload is E601.
   */
  readonly typeOf?: (ref: MetricRef) => DataTypeName | undefined;
}

const METRIC_TYPES: ReadonlySet<DataTypeName> = new Set(
  (Object.keys(DataType) as DataTypeName[]).filter(
    (t) => !['Unknown', 'Template', 'PropertySet', 'PropertySetList'].includes(t),
  ),
);
const U64_MAX = (1n << 64n) - 1n;
const BIRTHS: ReadonlySet<string> = new Set(['NBIRTH', 'DBIRTH']);
const ALIAS_ONLY: ReadonlySet<string> = new Set(['NDATA', 'DDATA', 'NCMD', 'DCMD']);

// ---- encode -----------------------------------------------------------------------------------

export function encodePayload(p: SpPayload, options: EncodeOptions = {}): Uint8Array {
  const w: WirePayload = {
    metrics: p.metrics.map((m, i) => metricToWire(m, i, options)),
  };
  if (p.timestamp !== undefined) w.timestamp = safeToWireLong(p.timestamp, 'timestamp');
  if (p.seq !== undefined) w.seq = safeToWireLong(p.seq, 'seq');
  if (p.uuid !== undefined) w.uuid = checkUtf8(p.uuid, 'uuid');
  if (p.body !== undefined) w.body = p.body;
  return Wire.Payload.encode(w).finish();
}

function metricAt(i: number, name: string | undefined, alias: bigint | undefined): string {
  return `metrics[${i}]${name !== undefined ? ` '${name}'` : ''}${alias !== undefined ? ` alias ${alias}` : ''}`;
}

function metricToWire(m: SpMetric, i: number, options: EncodeOptions): WireMetric {
  const at = metricAt(i, m.name, m.alias);
  const birth = options.messageType !== undefined && BIRTHS.has(options.messageType);
  const aliasOnly = options.messageType !== undefined && ALIAS_ONLY.has(options.messageType);
  if (m.name === undefined && m.alias === undefined) {
    throw cannotEncode(at, 'a metric needs a name or an alias');
  }
  if (birth && m.name === undefined) throw cannotEncode(at, 'birth metrics need a name');
  if (!METRIC_TYPES.has(m.type)) throw cannotEncode(at, `${String(m.type)} is not a metric type`);

  const w: WireMetric = {};
  if (m.name !== undefined && !(aliasOnly && m.alias !== undefined)) {
    w.name = checkUtf8(m.name, at);
  }
  if (m.alias !== undefined) {
    if (typeof m.alias !== 'bigint' || m.alias < 0n || m.alias > U64_MAX) {
      throw cannotEncode(at, 'alias must be a bigint in 0..2^64-1');
    }
    w.alias = toWireLong(m.alias);
  }
  if (m.timestamp !== undefined) w.timestamp = safeToWireLong(m.timestamp, `${at}.timestamp`);
  if (birth || !options.omitDatatypes) w.datatype = DataType[m.type];
  if (m.isHistorical !== undefined) w.is_historical = m.isHistorical;
  if (m.isTransient !== undefined) w.is_transient = m.isTransient;
  if (m.metadata !== undefined) w.metadata = metaDataToWire(m.metadata, `${at}.metadata`);
  if (m.properties !== undefined) {
    w.properties = propertySetToWire(m.properties, `${at}.properties`);
  }
  if (m.value === null) {
    w.is_null = true; // and no value member: "the value can be omitted altogether"
  } else if (m.type === 'DataSet') {
    w.dataset_value = dataSetToWire(m.value, at);
  } else {
    const v = encodeScalar(m.type, m.value, at);
    if (v === undefined) throw cannotEncode(at, `no value field for ${m.type}`);
    Object.assign(w, v);
  }
  return w;
}

function metaDataToWire(md: SpMetaData, at: string): WireMetaData {
  const w: WireMetaData = {};
  if (md.isMultiPart !== undefined) w.is_multi_part = md.isMultiPart;
  if (md.contentType !== undefined) w.content_type = checkUtf8(md.contentType, at);
  if (md.size !== undefined) w.size = safeToWireLong(md.size, `${at}.size`);
  if (md.seq !== undefined) w.seq = safeToWireLong(md.seq, `${at}.seq`);
  if (md.fileName !== undefined) w.file_name = checkUtf8(md.fileName, at);
  if (md.fileType !== undefined) w.file_type = checkUtf8(md.fileType, at);
  if (md.md5 !== undefined) w.md5 = checkUtf8(md.md5, at);
  if (md.description !== undefined) w.description = checkUtf8(md.description, at);
  return w;
}

// ---- decode -----------------------------------------------------------------------------------

export function decodePayload(bytes: Uint8Array, options: DecodeOptions = {}): SpPayload {
  if (!(bytes instanceof Uint8Array)) throw badPayload('', 'input is not a Uint8Array');
  let w: WirePayload;
  try {
    w = Wire.Payload.decode(bytes) as unknown as WirePayload;
  } catch (e) {
    // protobufjs throws RangeError/Error on truncation, bad wire types, runaway nesting.
    throw badPayload('', `not a protobuf Payload (${e instanceof Error ? e.message : String(e)})`);
  }
  const metrics = (has(w, 'metrics') ? w.metrics! : []).map((m, i) =>
    metricFromWire(m, i, options),
  );
  return {
    ...(has(w, 'timestamp') && { timestamp: safeFromWireLong(w.timestamp!, 'timestamp') }),
    metrics,
    ...(has(w, 'seq') && { seq: safeFromWireLong(w.seq!, 'seq') }),
    ...(has(w, 'uuid') && { uuid: w.uuid! }),
    // A copy: protobufjs hands out a Buffer that shares the input's memory.
    ...(has(w, 'body') && { body: new Uint8Array(w.body!) }),
  };
}

function metricFromWire(w: WireMetric, i: number, options: DecodeOptions): SpMetric {
  const name = has(w, 'name') ? w.name! : undefined;
  const alias = has(w, 'alias') ? fromWireLong(w.alias!) : undefined;
  const at = metricAt(i, name, alias);
  if (name === undefined && alias === undefined) {
    throw badPayload(at, 'metric has neither name nor alias');
  }
  let type: DataTypeName | undefined;
  if (has(w, 'datatype') && w.datatype !== DataType.Unknown) {
    type = dataTypeName(w.datatype!);
    if (type === undefined) throw badPayload(at, `unknown datatype ${w.datatype}`);
  } else {
    type = options.typeOf?.({
      ...(name !== undefined && { name }),
      ...(alias !== undefined && { alias }),
    });
    if (type === undefined) throw badPayload(at, 'no datatype, and none known for this metric');
  }
  if (type === 'Template') throw unsupported(at, 'Template metrics');
  if (!METRIC_TYPES.has(type)) throw badPayload(at, `${type} is not a metric datatype`);

  const metric: Record<string, unknown> = {};
  if (name !== undefined) metric.name = name;
  if (alias !== undefined) metric.alias = alias;
  if (has(w, 'timestamp')) metric.timestamp = safeFromWireLong(w.timestamp!, `${at}.timestamp`);
  if (has(w, 'is_historical')) metric.isHistorical = w.is_historical;
  if (has(w, 'is_transient')) metric.isTransient = w.is_transient;
  if (has(w, 'metadata')) metric.metadata = metaDataFromWire(w.metadata!, `${at}.metadata`);
  if (has(w, 'properties')) {
    metric.properties = propertySetFromWire(w.properties!, `${at}.properties`);
  }
  const value = metricValueFromWire(type, w, at);
  return { ...metric, ...value } as SpMetric;
}

function metricValueFromWire(type: DataTypeName, w: WireMetric, at: string): SpMetricValue {
  if (has(w, 'is_null') && w.is_null === true) return { type, value: null } as SpMetricValue;
  const keys = presentValueKeys(w);
  if (keys.includes('extension_value')) throw unsupported(at, 'Metric extension_value');
  if (keys.length === 0) throw badPayload(at, `${type} metric has no value and is_null is not set`);
  if (keys.length > 1) throw badPayload(at, `${keys.length} value fields (${keys.join(', ')})`);
  if (type === 'DataSet') {
    if (!has(w, 'dataset_value'))
      throw badPayload(at, `DataSet expects dataset_value, got ${keys[0]}`);
    return { type, value: dataSetFromWire(w.dataset_value!, `${at}.dataset`) };
  }
  const v = decodeScalar(type, w, at);
  // Bytes from protobufjs are Buffers sharing the input's memory: hand out a plain copy.
  const value = v instanceof Uint8Array ? new Uint8Array(v) : v;
  return { type, value } as SpMetricValue;
}

function metaDataFromWire(w: WireMetaData, at: string): SpMetaData {
  const md: { -readonly [K in keyof SpMetaData]: SpMetaData[K] } = {};
  if (has(w, 'is_multi_part')) md.isMultiPart = w.is_multi_part!;
  if (has(w, 'content_type')) md.contentType = w.content_type!;
  if (has(w, 'size')) md.size = safeFromWireLong(w.size!, `${at}.size`);
  if (has(w, 'seq')) md.seq = safeFromWireLong(w.seq!, `${at}.seq`);
  if (has(w, 'file_name')) md.fileName = w.file_name!;
  if (has(w, 'file_type')) md.fileType = w.file_type!;
  if (has(w, 'md5')) md.md5 = w.md5!;
  if (has(w, 'description')) md.description = w.description!;
  return md;
}
