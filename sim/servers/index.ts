/**
 * sim/servers: the simulated devices on real transports — a spec-accurate Modbus RTU slave
 * engine (pure, fed bytes with arrival times), that engine on a serial port or pty, and a
 * Modbus TCP server (one unit id per device address). To fake the devices behind a server, hand
 * it any ModbusSlaveSet; to fake the port, hand RtuSerialServer any SerialStream.
 */
export {
  decodeRequest,
  execute,
  SlaveCounterBook,
  type DecodedRequest,
  type ModbusSlave,
  type ModbusSlaveSet,
  type SlaveCounters,
} from './slave-core.js';
export {
  RtuSlave,
  type RtuLineCounters,
  type RtuSlaveOptions,
  type RtuTransmission,
} from './rtu-slave.js';
export {
  openSerialPort,
  RtuSerialServer,
  wireKindOf,
  type Parity,
  type SerialServerOptions,
  type SerialStream,
  type WireKind,
} from './serial-server.js';
export { ModbusTcpServer, type TcpServerCounters } from './tcp-server.js';
