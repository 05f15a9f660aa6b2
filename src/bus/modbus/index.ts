/**
 * Modbus clients (src/bus/modbus): RTU over a SerialLine (serialport, or the simulated twin that
 * charges modelled wire time on the Clock) and TCP over node:net, both behind ModbusClient. To
 * fake a bus in a test, hand a ModbusRtuClient a SimulatedLine whose endpoint is your device
 * function, or implement ModbusClient directly.
 */
export type {
  ModbusClient,
  Priority,
  RequestOptions,
  UnitOptions,
  DeviceCounters,
  LatencyHistogram,
} from './client.js';
export { Histogram, LATENCY_BOUNDS_MS } from './counters.js';
export { PriorityQueue, PRIORITIES } from '../priority-queue.js';
export {
  QueuedModbusClient,
  type QueuedClientOptions,
  type Attempt,
  type AttemptResult,
} from './base-client.js';
export type { SerialLine, DataListener } from './serial-line.js';
export {
  SimulatedLine,
  type SimulatedLineOptions,
  type SimulatedLineStats,
  type SimulatedReply,
  type SlaveEndpoint,
  type WireRecord,
} from './simulated-line.js';
export {
  SerialPortLine,
  openSerialPortLine,
  type SerialPortLineOptions,
  type PortOpenOptions,
  type Parity,
} from './serialport-line.js';
export { ModbusRtuClient, type RtuClientOptions, type RtuLineCounters } from './rtu-client.js';
export { ModbusTcpClient, type TcpClientOptions } from './tcp-client.js';
export { ModbusExceptionError } from '../../protocol/modbus/index.js';
