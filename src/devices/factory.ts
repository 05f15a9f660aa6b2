import type { ModbusClient } from '../bus/modbus/client.js';
import type { Clock } from '../clock/index.js';
import type { DeviceKind, ModbusRegisterMap } from '../regmap/index.js';
import { Bbu } from './bbu.js';
import type { BbuOptions } from './bbu.js';
import { Psu } from './psu.js';
import type { DriverOptions } from './types.js';

/** What a driver needs of a found device (FoundDevice and DeviceRecord both fit). */
export interface DeviceRef {
  readonly address: number;
  readonly kind: DeviceKind;
  readonly map: ModbusRegisterMap;
}

/**
 * The PMBus side of a device, if it has one: which segment and 7-bit address. The Modbus →
 * PMBus address relation is wiring, not protocol; `addressSlot` gives the position the
 * simulator (and ORv3 address pins) derive both from.
 */
export type FastLaneFor = (device: DeviceRef) => DriverOptions | undefined;

/** The driver for a device found by discovery. */
export function createDriver(
  device: DeviceRef,
  modbus: ModbusClient,
  clock: Clock,
  options: (DriverOptions & BbuOptions) | FastLaneFor = {},
): Psu | Bbu {
  const opts = typeof options === 'function' ? (options(device) ?? {}) : options;
  return device.kind === 'psu'
    ? new Psu(modbus, device.address, device.map, clock, opts)
    : new Bbu(modbus, device.address, device.map, clock, opts);
}

/**
 * Which of the map's address ranges holds `address`, and the position inside it (the module
 * slot: the simulator puts shelf s in the s-th range that fits a shelf, PMBus PSU slot i at
 * 0x58 + i and BBU slot i at 0x40 + i).
 */
export function addressSlot(
  map: ModbusRegisterMap,
  address: number,
): { readonly range: number; readonly slot: number } | undefined {
  const range = map.addressRanges.findIndex(([lo, hi]) => address >= lo && address <= hi);
  return range < 0 ? undefined : { range, slot: address - map.addressRanges[range]![0] };
}
