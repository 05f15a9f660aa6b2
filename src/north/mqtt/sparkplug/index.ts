/**
 * Sparkplug B wire formats, pure (no MQTT, no clock, no session state): the payload codec over
 * our own protobuf schema, and the topic namespace. The edge-node session (src/north/mqtt) owns
 * births, deaths, seq/bdSeq and alias tables, and uses only what is exported here.
 */
export {
  encodePayload,
  decodePayload,
  type EncodeOptions,
  type DecodeOptions,
  type MetricRef,
} from './codec.js';
export {
  QUALITY_PROPERTY,
  Quality,
  type SpPayload,
  type SpMetric,
  type SpMetricValue,
  type SpBasicValue,
  type SpPropertySet,
  type SpPropertyValue,
  type SpDataSet,
  type SpCell,
  type SpMetaData,
  type NumberTypeName,
  type BigIntTypeName,
  type BytesTypeName,
  type BasicTypeName,
} from './model.js';
export { DataType, dataTypeName, type DataTypeName } from './schema.js';
export { MAX_PROPERTY_DEPTH } from './complex.js';
export {
  SPARKPLUG_NAMESPACE,
  NODE_MESSAGE_TYPES,
  DEVICE_MESSAGE_TYPES,
  validateId,
  isValidId,
  nodeTopic,
  deviceTopic,
  stateTopic,
  formatTopic,
  parseTopic,
  commandFilters,
  type NodeMessageType,
  type DeviceMessageType,
  type EdgeMessageType,
  type SparkplugTopic,
  type IdPart,
} from './topics.js';
