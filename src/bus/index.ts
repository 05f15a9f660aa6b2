/**
 * src/bus: transports. `modbus` (RTU over serialport or the simulated line, TCP over node:net)
 * and `pmbus` (SMBus with PEC over i2c-dev or the simulated twin). The two interfaces the device
 * layer codes against are re-exported flat, with the shared scheduling policy; everything else by
 * namespace, since both buses have their own counters and options.
 */
export type { Priority } from './priority-queue.js';
export type { ModbusClient } from './modbus/index.js';
export type { PmbusClient } from './pmbus/index.js';
export * as modbus from './modbus/index.js';
export * as pmbus from './pmbus/index.js';
