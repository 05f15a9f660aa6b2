/**
 * One error type with a code and context, in numbered blocks per layer (zwave-js style).
 * Only the north side maps codes to protocol messages (Redfish registries, Sparkplug).
 */
export const ErrorCode = {
  // 1xx: configuration and data files
  RegisterMapInvalid: 'E101_REGISTER_MAP_INVALID',
  ScenarioInvalid: 'E102_SCENARIO_INVALID',
  UnknownPreset: 'E103_UNKNOWN_PRESET',
  ConfigInvalid: 'E104_CONFIG_INVALID',
  FileUnreadable: 'E105_FILE_UNREADABLE',
  // 2xx: codecs
  CodecRange: 'E201_CODEC_VALUE_OUT_OF_RANGE',
  CodecLength: 'E202_CODEC_BAD_LENGTH',
  CodecFormat: 'E203_CODEC_BAD_FORMAT',
  // 3xx: register access (façade / devices)
  IllegalAddress: 'E301_ILLEGAL_DATA_ADDRESS',
  IllegalValue: 'E302_ILLEGAL_DATA_VALUE',
  ReadOnly: 'E303_REGISTER_READ_ONLY',
  UnsupportedCommand: 'E304_UNSUPPORTED_COMMAND',
  // 4xx: buses and transports
  ModbusTimeout: 'E401_MODBUS_TIMEOUT',
  ModbusCrc: 'E402_MODBUS_CRC',
  ModbusException: 'E403_MODBUS_EXCEPTION',
  ModbusFrame: 'E404_MODBUS_BAD_FRAME',
  TransportClosed: 'E405_TRANSPORT_CLOSED',
  TransportIo: 'E406_TRANSPORT_IO',
  QueueOverflow: 'E407_QUEUE_OVERFLOW',
  /** Arguments that cannot be encoded (unit, address, count, value out of range). */
  ModbusBadRequest: 'E408_MODBUS_BAD_REQUEST',
  PmbusPec: 'E411_PMBUS_PEC',
  PmbusNack: 'E412_PMBUS_NACK',
  PmbusBadResponse: 'E413_PMBUS_BAD_RESPONSE',
  // 5xx: devices
  DeviceDormant: 'E501_DEVICE_DORMANT',
  CommandOutOfBounds: 'E502_COMMAND_OUT_OF_BOUNDS',
  ScheduleOverCapacity: 'E503_SCHEDULE_OVER_CAPACITY',
  UnknownDevice: 'E504_UNKNOWN_DEVICE',
  // 6xx: northbound (Sparkplug B)
  /** Bytes that are not a well-formed Sparkplug B payload (protobuf or spec rules broken). */
  SparkplugBadPayload: 'E601_SPARKPLUG_BAD_PAYLOAD',
  /** A well-formed payload using a feature we do not model (templates, extension values). */
  SparkplugUnsupported: 'E602_SPARKPLUG_UNSUPPORTED',
  SparkplugBadTopic: 'E603_SPARKPLUG_BAD_TOPIC',
  /** Our own payload model cannot be encoded (value outside its datatype, missing name/alias). */
  SparkplugCannotEncode: 'E604_SPARKPLUG_CANNOT_ENCODE',
  // 61x: store-and-forward queue of the MQTT uplink (src/north/mqtt/store); 60x left to others
  /** A disk operation of the queue failed (ENOSPC, EACCES, EIO, …); context.errno, op, path. */
  StoreIo: 'E611_STORE_IO',
  /** A torn or corrupt record, segment header or checkpoint was found and cut off or skipped. */
  StoreCorrupt: 'E612_STORE_CORRUPT',
  /** Options that cannot work (non-positive caps or intervals, maxBytes < maxRecordBytes, …). */
  StoreBadOptions: 'E613_STORE_BAD_OPTIONS',
  // 85x: control predictor
  /** Predictor or sag-detector options that cannot work (non-positive rating, bad thresholds). */
  PredictorBadOptions: 'E851_PREDICTOR_BAD_OPTIONS',
  // 86x: real-time loop
  /** Options that cannot work (period, spin, ring sizes, timeouts out of range). */
  RealtimeBadOptions: 'E861_REALTIME_BAD_OPTIONS',
  /** The task module did not load, lacks its factory, or the factory threw. */
  RealtimeBadTask: 'E862_REALTIME_BAD_TASK',
  /** The loop's worker exited or threw while it should have been running. */
  RealtimeWorkerDied: 'E863_REALTIME_WORKER_DIED',
  /** The worker did not report ready (or did not stop) within its timeout. */
  RealtimeTimeout: 'E864_REALTIME_TIMEOUT',
  /** The worker is alive but its heartbeat stopped moving (watchdog). */
  RealtimeStalled: 'E865_REALTIME_STALLED',
  /** start() on a loop that is not idle. */
  RealtimeBadState: 'E866_REALTIME_BAD_STATE',
  // 7xx: Redfish
  /** A DMTF message registry is missing, unreadable, or lacks a MessageId we use. */
  RedfishRegistry: 'E701_REDFISH_REGISTRY',
  /** Service options or the config file's redfish section cannot work. */
  RedfishConfig: 'E702_REDFISH_CONFIG',
  /** No TLS certificate could be loaded or generated. */
  RedfishTls: 'E703_REDFISH_TLS',
  // 9xx: simulator
  SimInvariant: 'E901_SIM_INVARIANT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class Orv3Error extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = 'Orv3Error';
    this.code = code;
    this.context = context;
  }
}

export function isOrv3Error(e: unknown, code?: ErrorCode): e is Orv3Error {
  return e instanceof Orv3Error && (code === undefined || e.code === code);
}
