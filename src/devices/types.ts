import type { PmbusClient } from '../bus/pmbus/client.js';
import type { PmbusCommandSet } from '../regmap/index.js';

/** Every value group of a snapshot says when its answer arrived (clock.nowMs). */
export interface Stamped {
  readonly sampledAtMs: number;
}

/** Named bits of the FLAGS registers of a group, by register name. */
export type FlagRegisters = Readonly<Record<string, Readonly<Record<string, boolean>>>>;

export interface AlarmGroup extends Stamped {
  readonly registers: FlagRegisters;
  /** Set bits as `Register.Bit`, for logs and north-side events. */
  readonly active: readonly string[];
}

/** Identity strings, read once per driver (they do not change while a device is powered). */
export interface DeviceIdentity {
  readonly manufacturer: string | null;
  readonly model: string;
  readonly serial: string;
  readonly partNumber: string;
  readonly date: string;
  readonly hwRevision: string;
  readonly fwRevision: string;
}

export interface DriverOptions {
  /** The device's PMBus side (fast lane); without it the fast-lane methods throw. */
  readonly pmbus?: PmbusClient;
  /** 7-bit PMBus address; required with `pmbus`. */
  readonly pmbusAddress?: number;
  /** PMBus command sets; default the built-in standard set and our extension. */
  readonly pmbusCommandSets?: readonly PmbusCommandSet[];
  /** Response timeout for this device's Modbus requests, ms (default: the client's). */
  readonly timeoutMs?: number;
  /**
   * Every failed read of an optional identity source (a PSU's PMBus MFR_ID), after it was
   * counted; the identity is returned without it (logging; must not throw).
   */
  readonly onIdentityError?: (error: unknown) => void;
}

export interface TimeSyncHandle {
  /** Unix seconds of the last successful write, or null. */
  readonly lastSyncUnixS: number | null;
  readonly failures: number;
  stop(): void;
}
