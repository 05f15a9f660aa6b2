/**
 * regmap: register maps and PMBus command sets as validated, frozen data, and the codecs that
 * turn register words / PMBus data into engineering values. No I/O beyond reading map files;
 * everything above (bus, devices, sim façades) builds on these.
 */
export type {
  BuiltinMaps,
  BuiltinModbusFamily,
  BuiltinPmbusFamily,
  DeviceKind,
  DirectCoefficients,
  Endian,
  FlagDef,
  ModbusRegisterMap,
  PmbusCommandDef,
  PmbusCommandSet,
  PmbusFormat,
  PmbusTransaction,
  ReadSpan,
  RegisterDef,
  RegisterFormat,
  TimeSyncDef,
} from './types.js';
export type { MapProblem } from './problems.js';

export {
  buildReadSpans,
  loadModbusMap,
  mapForAddress,
  MODBUS_MAX_READ_WORDS,
  parseModbusMap,
} from './modbus-map.js';
export { loadPmbusCommands, parsePmbusCommands } from './pmbus-commands.js';
export {
  BUILTIN_MODBUS_FAMILIES,
  BUILTIN_PMBUS_FAMILIES,
  checkMapCollection,
  loadBuiltinMaps,
} from './builtin.js';
export { registersDir } from './paths.js';

export type {
  EncodeOptions,
  FlagsInput,
  FlagsValue,
  IntegerValue,
  RegisterInput,
  RegisterValue,
} from './codec-modbus.js';
export {
  decodeFlags,
  decodeFloat,
  decodeInteger,
  decodeRaw,
  decodeRegister,
  decodeString,
  encodableRange,
  encodeRegister,
  isWithinBounds,
} from './codec-modbus.js';

export type { VoutMode, VoutModeKind } from './codec-pmbus.js';
export {
  decodeDirect,
  decodeLinear11,
  decodeLinear16,
  directRange,
  encodeDirect,
  encodeLinear11,
  encodeLinear16,
  encodeVoutMode,
  LINEAR11_MAX,
  LINEAR11_MIN,
  linear16Exponent,
  parseVoutMode,
} from './codec-pmbus.js';
export type { PmbusContext, PmbusInput, PmbusValue } from './codec-pmbus-command.js';
export { decodePmbus, encodePmbus } from './codec-pmbus-command.js';
