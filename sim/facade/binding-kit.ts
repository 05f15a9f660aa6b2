import { ErrorCode, Orv3Error } from '../../src/errors.js';
import type { RegisterDef, RegisterInput, RegisterValue } from '../../src/regmap/index.js';
import type { SimZone } from '../physics/zone.js';
import type { ModbusBinding, WriteOutcome } from './modbus-device.js';

/** Unix ms of simulated time 0 unless told otherwise: 2026-01-01T00:00:00Z, as VirtualClock. */
export const DEFAULT_EPOCH_ORIGIN_MS = 1_767_225_600_000;

/**
 * Device-side actions that must happen later in simulated time (the 5 s power cycle, a delayed
 * Vout change). Run by DeviceDirectory.service()/advanceTo(), and on any access to a device, so
 * a late action is never lost even when nobody services the directory.
 */
export class Scheduler {
  private readonly queue: { dueMs: number; seq: number; key: string; fn: () => void }[] = [];
  private seq = 0;

  /** Schedules fn; a pending action with the same key is replaced (a re-issued command restarts). */
  at(dueMs: number, key: string, fn: () => void): void {
    this.cancel(key);
    this.queue.push({ dueMs, seq: this.seq++, key, fn });
    this.queue.sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq);
  }

  cancel(key: string): void {
    const i = this.queue.findIndex((q) => q.key === key);
    if (i >= 0) this.queue.splice(i, 1);
  }

  nextDueMs(): number | null {
    return this.queue[0]?.dueMs ?? null;
  }

  runDue(nowMs: number): void {
    while (this.queue.length > 0 && this.queue[0]!.dueMs <= nowMs) this.queue.shift()!.fn();
  }
}

/** Where a module sits: its family's maps, its shelf and its slot in that shelf. */
export interface Placement {
  readonly family: 'orv3' | 'hpr';
  readonly shelf: number;
  /** Position within the shelf, 0-based. */
  readonly slot: number;
}

/** What every binding of one zone shares. */
export interface FacadeContext {
  readonly zone: SimZone;
  /** Unix time in ms now (a Clock's epochMs, or origin + zone.tMs). */
  readonly epochMs: () => number;
  readonly scheduler: Scheduler;
}

/** A device's wall clock: the context's epoch plus whatever offset the last time-sync write set. */
export class DeviceClock {
  private offsetMs = 0;
  private readonly epochMs: () => number;

  constructor(epochMs: () => number) {
    this.epochMs = epochMs;
  }

  unixS(): number {
    return Math.max(0, Math.floor((this.epochMs() + this.offsetMs) / 1000));
  }

  set(unixS: number): void {
    this.offsetMs = unixS * 1000 - this.epochMs();
  }
}

export interface Identity {
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly partNumber: string;
  readonly date: string;
  readonly hwRevision: string;
  readonly fwRevision: string;
  readonly workorder: string;
}

/** Deterministic identity strings, so runs and snapshots repeat: serial = family + kind + index. */
export function identity(
  family: 'orv3' | 'hpr',
  kind: 'psu' | 'bbu',
  index: number,
  ratedW: number,
): Identity {
  const fam = family.toUpperCase();
  const k = kind.toUpperCase();
  const kw = (ratedW / 1000).toFixed(1).replace('.', 'K');
  return {
    manufacturer: 'ORV3GW-SIM',
    model: `SIM-${fam}-${k}-${kw}`,
    serial: `SIM${fam}${k}${String(index).padStart(5, '0')}`,
    partNumber: `SIM${k}-${fam}`,
    date: '2026-01-01',
    hwRevision: 'A00',
    fwRevision: 'SIM1.0',
    workorder: `WO${String(index).padStart(4, '0')}`,
  };
}

export type Reader = (def: RegisterDef) => RegisterInput;
export type Writer = (value: RegisterValue, def: RegisterDef) => WriteOutcome;

/**
 * A ModbusBinding from name-keyed tables that a subclass fills in define(). Registers without a
 * reader serve a static value; writable registers without a writer keep what was written (read
 * back as written), which is how a real device treats settings the physics does not model.
 */
export abstract class TableBinding implements ModbusBinding {
  private readonly held = new Map<string, RegisterInput>();
  private built: Tables | undefined;

  /** Fills the tables; called once, on first access (after the subclass constructor ran). */
  protected abstract define(t: Tables): void;
  /** Bookkeeping run before every access (due actions, transition tracking). */
  protected abstract observe(): void;
  abstract responding(): boolean;

  refusal(_def: RegisterDef, _value: number): string | undefined {
    return undefined;
  }

  private get tables(): Tables {
    if (this.built === undefined) {
      this.built = new Tables();
      this.define(this.built);
    }
    return this.built;
  }

  read(def: RegisterDef): RegisterInput {
    this.observe();
    const r = this.tables.readers.get(def.name);
    if (r !== undefined) return r(def);
    return this.held.get(def.name) ?? this.tables.statics.get(def.name) ?? zeroOf(def);
  }

  write(def: RegisterDef, value: RegisterValue): WriteOutcome {
    this.observe();
    const w = this.tables.writers.get(def.name);
    if (w !== undefined) return w(value, def);
    this.held.set(def.name, asInput(value));
    return 'applied';
  }
}

function zeroOf(def: RegisterDef): RegisterInput {
  return def.format === 'STRING' ? '' : def.format === 'RAW' ? new Uint8Array(def.length * 2) : 0;
}

function asInput(value: RegisterValue): RegisterInput {
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return value.raw;
  return value;
}

/** Table builder that refuses a name twice, so a typo'd duplicate cannot shadow a reader. */
export class Tables {
  readonly readers = new Map<string, Reader>();
  readonly writers = new Map<string, Writer>();
  readonly statics = new Map<string, RegisterInput>();

  r(name: string, fn: Reader): this {
    return this.put(this.readers, name, fn);
  }

  w(name: string, fn: Writer): this {
    return this.put(this.writers, name, fn);
  }

  s(name: string, value: RegisterInput): this {
    return this.put(this.statics, name, value);
  }

  private put<V>(m: Map<string, V>, name: string, v: V): this {
    if (m.has(name)) {
      throw new Orv3Error(ErrorCode.SimInvariant, `binding defines "${name}" twice`, { name });
    }
    m.set(name, v);
    return this;
  }
}

/**
 * Address strap lines of a module in a shelf, under every name the four maps use for them.
 * Active-low lines that are not asserted read 1.
 */
export function addressLines(slot: number, shelf: number): Record<string, boolean> {
  const s = (v: number, bit: number): boolean => (v & (1 << bit)) !== 0;
  return {
    A0: s(slot, 0),
    A1: s(slot, 1),
    A2: s(slot, 2),
    PSU_A0: s(slot, 0),
    PSU_A1: s(slot, 1),
    PSU_A2: s(slot, 2),
    RS485_Addr0: s(shelf, 0),
    RS485_Addr1: s(shelf, 1),
    RS485_Addr2: s(shelf, 2),
    Shelf_Addr_int_0: s(shelf, 0),
    Shelf_Addr_int_1: s(shelf, 1),
    Shelf_Addr_int_2: s(shelf, 2),
    Shelf_Addr_Int_A0: s(shelf, 0),
    Shelf_Addr_Int_A1: s(shelf, 1),
    Shelf_Addr_Int_A2: s(shelf, 2),
    SYNC_START_L: true,
    PLS_L: true,
    Pulse_Mgmt_L: true,
  };
}
