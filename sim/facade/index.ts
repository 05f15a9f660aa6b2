/**
 * sim/facade: the simulated shelf as a gateway sees it — every PSU and BBU as a Modbus slave
 * (ORv3 or HPR register map) and a PMBus device (standard commands + our fast-lane extension),
 * values live from sim/physics. DeviceDirectory is the only entry point a gateway-side test or
 * server should use. To fake a device, hand ModbusFacade/PmbusFacade any binding object.
 */
export {
  assignModbusAddresses,
  DeviceDirectory,
  PMBUS_BBU_BASE,
  PMBUS_PSU_BASE,
  type DeviceEntry,
  type DirectoryOptions,
} from './directory.js';
export {
  FC_READ_HOLDING,
  FC_READ_INPUT,
  FC_WRITE_MULTIPLE,
  FC_WRITE_SINGLE,
  ModbusException,
  ModbusExceptionCode,
  ModbusFacade,
  type ModbusBinding,
  type ModbusCounters,
  type WriteOutcome,
} from './modbus-device.js';
export {
  CML_INVALID_COMMAND,
  CML_INVALID_DATA,
  PmbusError,
  PmbusFacade,
  pmbusCommandsFor,
  type PmbusBinding,
  type PmbusCounters,
  type PmbusEngValue,
} from './pmbus-device.js';
export { PsuModbusBinding } from './psu-binding.js';
export { BbuModbusBinding, NOMINAL_CELL_V } from './bbu-binding.js';
export { PsuPmbusBinding } from './pmbus-psu.js';
export { BbuPmbusBinding } from './pmbus-bbu.js';
export {
  DEFAULT_EPOCH_ORIGIN_MS,
  identity,
  type FacadeContext,
  type Identity,
} from './binding-kit.js';
