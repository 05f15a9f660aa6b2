/**
 * The MQTT Sparkplug B uplink (docs/MQTT.md). The composition root builds one EdgeNode per
 * gateway from an EdgeNodeConfig, a Clock, a TelemetrySource and a CommandSink, optionally with
 * the durable store (./store) for store-and-forward. To fake it: pass a MqttTransport (an
 * in-memory broker) and a ForwardStore; the session never touches sockets or files itself.
 */
export { EdgeNode, type EdgeNodeDeps } from './edge-node.js';
export {
  COMMAND_NAMES,
  redactedConfig,
  resolveConfig,
  type CommandName,
  type EdgeNodeConfig,
  type ResolvedConfig,
  type TlsConfig,
} from './config.js';
export type { EdgeNodeEvent, EdgeNodeState, EdgeNodeStats } from './stats.js';
export type { DeadbandRule } from './deadband.js';
export { HINT_LIMITS, hintTopic, parseHint } from './hints.js';
export { DeviceMetric, NodeMetric } from './metrics-model.js';
export { consoleLogger, silentLogger, type LogContext, type MqttLogger } from './logger.js';
export type { ForwardStore, ForwardRecord, ForwardAppendResult } from './store-port.js';
export {
  MqttJsTransport,
  PublishRefusedError,
  type ConnectOptions,
  type MqttConnection,
  type MqttTransport,
} from './transport.js';
export type {
  CommandResult,
  CommandSink,
  DeviceSnapshot,
  MetricSample,
  MetricType,
  TelemetrySource,
  WorkloadHint,
} from './source.js';
