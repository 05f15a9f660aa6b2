/**
 * Runtime shapes of register maps and PMBus command sets. The JSON on disk is looser (defaults
 * omitted, codes as "0xNN" strings); the loader fills every default so consumers never branch
 * on "absent".
 */

export type DeviceKind = 'psu' | 'bbu';
export type BuiltinModbusFamily = 'orv3-psu' | 'orv3-bbu' | 'hpr-psu' | 'hpr-bbu';
export type BuiltinPmbusFamily = 'pmbus-psu' | 'pmbus-fastlane-ext';

export type RegisterFormat = 'RAW' | 'STRING' | 'INTEGER' | 'LONG' | 'FLOAT' | 'FLAGS';
/** Word and byte order of multi-word values, as rackmon: "L" reverses all bytes of the value. */
export type Endian = 'B' | 'L';

export interface FlagDef {
  readonly bit: number;
  readonly name: string;
  readonly description?: string;
  /** PMBus only: the bit stays set until CLEAR_FAULTS. */
  readonly latched?: boolean;
}

export interface RegisterDef {
  readonly name: string;
  /** First word address. */
  readonly begin: number;
  /** Length in 16-bit words. */
  readonly length: number;
  /** One past the last word address (`begin + length`). */
  readonly end: number;
  readonly format: RegisterFormat;
  readonly endian: Endian;
  /** FLOAT: fractional bits of the fixed-point raw value; 0 for other formats. */
  readonly precision: number;
  readonly scale: number;
  readonly shift: number;
  readonly signed: boolean;
  /** FLAGS: bits counted from the least significant bit of the big-endian combined value. */
  readonly flags: readonly FlagDef[];
  readonly writable: boolean;
  readonly unit?: string;
  /** Engineering bounds a write must respect (encodeRegister enforces them). */
  readonly min?: number;
  readonly max?: number;
  readonly description?: string;
  readonly keep: number;
  readonly changesOnly: boolean;
  readonly intervalS?: number;
}

export interface TimeSyncDef {
  readonly register: number;
  readonly length: number;
  readonly periodS: number;
}

/** A contiguous run of registers that one Modbus read (FC 3) can fetch. */
export interface ReadSpan {
  readonly begin: number;
  readonly length: number;
  readonly intervalS?: number;
  readonly registers: readonly RegisterDef[];
}

export interface ModbusRegisterMap {
  readonly name: string;
  readonly family: string;
  readonly kind: DeviceKind;
  readonly source: string;
  readonly description?: string;
  /** Display path of the file it came from (repository-relative for built-in maps). */
  readonly file: string;
  /** Inclusive [lo, hi] device address ranges served by this family. */
  readonly addressRanges: readonly (readonly [number, number])[];
  readonly probeRegister: number;
  readonly baudRate: number;
  readonly timeSync?: TimeSyncDef;
  /** Sorted by `begin`. */
  readonly registers: readonly RegisterDef[];
  readonly byName: ReadonlyMap<string, RegisterDef>;
  /** Keyed by a register's first word address. */
  readonly byAddress: ReadonlyMap<number, RegisterDef>;
  /** Keyed by every word address a register covers. */
  readonly byWord: ReadonlyMap<number, RegisterDef>;
  /** Contiguous runs (same interval) merged into spans of at most 125 words. */
  readonly readSpans: readonly ReadSpan[];
}

export type PmbusTransaction =
  'sendByte' | 'readByte' | 'writeByte' | 'readWord' | 'writeWord' | 'readBlock' | 'writeBlock';

export type PmbusFormat =
  'LINEAR11' | 'LINEAR16' | 'DIRECT' | 'FLAGS' | 'STRING' | 'RAW' | 'VOUT_MODE' | 'NONE';

/** PMBus DIRECT coefficients: Y = (m·X + b)·10^R. */
export interface DirectCoefficients {
  readonly m: number;
  readonly b: number;
  readonly R: number;
}

export interface PmbusCommandDef {
  readonly code: number;
  readonly name: string;
  readonly transactions: readonly PmbusTransaction[];
  readonly format: PmbusFormat;
  /** Data size: 0 (send byte), 1 (byte), 2 (word) or 'block'. */
  readonly size: 0 | 1 | 2 | 'block';
  readonly readable: boolean;
  readonly writable: boolean;
  readonly unit?: string;
  readonly flags: readonly FlagDef[];
  readonly direct?: DirectCoefficients;
  readonly maxLength?: number;
  readonly extension: boolean;
  readonly appliesTo: readonly DeviceKind[];
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
  /** Name of the command holding this setpoint's lease (extension commands). */
  readonly expiry?: string;
  readonly description?: string;
}

export interface PmbusCommandSet {
  readonly name: string;
  readonly family: string;
  readonly source: string;
  readonly description?: string;
  readonly file: string;
  readonly extension: boolean;
  /** Standard commands a device implementing this set must also answer. */
  readonly requires: readonly string[];
  /** Sorted by code. */
  readonly commands: readonly PmbusCommandDef[];
  readonly byCode: ReadonlyMap<number, PmbusCommandDef>;
  readonly byName: ReadonlyMap<string, PmbusCommandDef>;
}

export interface BuiltinMaps {
  readonly modbus: Readonly<Record<BuiltinModbusFamily, ModbusRegisterMap>>;
  readonly pmbus: Readonly<Record<BuiltinPmbusFamily, PmbusCommandSet>>;
}
