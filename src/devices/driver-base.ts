import type { ModbusClient, Priority } from '../bus/modbus/client.js';
import type { Clock } from '../clock/index.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import { encodeRegister } from '../regmap/index.js';
import type {
  DeviceKind,
  FlagsValue,
  ModbusRegisterMap,
  RegisterDef,
  RegisterValue,
} from '../regmap/index.js';
import type { PmbusClient } from '../bus/pmbus/client.js';
import { fastPointCommand } from './fast-points.js';
import type { FastPointName } from './fast-points.js';
import { PmbusEndpoint } from './pmbus-endpoint.js';
import {
  checkNumericWrite,
  executeReads,
  planReads,
  registerOf,
  writeWords,
} from './register-io.js';
import type { ReadPlan, Sample } from './register-io.js';
import type { DeviceIdentity, DriverOptions, TimeSyncHandle } from './types.js';
import { toSnapshotUnit } from './units.js';

/** Identity field → register name, per device kind (the same in the ORv3 and HPR maps). */
export type IdentityRegisters = Readonly<
  Record<Exclude<keyof DeviceIdentity, 'manufacturer'>, string> & { manufacturer?: string }
>;

/**
 * What PSU and BBU drivers share: the Modbus unit and its map, read plans executed at a
 * priority, identity read once, bounds-checked writes at control priority, hourly time sync,
 * and the optional PMBus endpoint of the fast lane.
 */
export abstract class ModbusDriver {
  abstract readonly kind: DeviceKind;
  readonly modbus: ModbusClient;
  readonly unit: number;
  readonly map: ModbusRegisterMap;
  readonly clock: Clock;
  protected readonly endpoint: PmbusEndpoint | undefined;
  protected readonly timeoutMs: number | undefined;
  private readonly identityPlan: ReadPlan;
  private readonly identityNames: IdentityRegisters;
  private cachedIdentity: DeviceIdentity | undefined;

  protected constructor(
    kind: DeviceKind,
    modbus: ModbusClient,
    unit: number,
    map: ModbusRegisterMap,
    clock: Clock,
    options: DriverOptions,
    identity: IdentityRegisters,
  ) {
    if (map.kind !== kind) {
      throw new Orv3Error(
        ErrorCode.ConfigInvalid,
        `${map.family} is a ${map.kind} map, not ${kind}`,
      );
    }
    // 248–255 exist only behind Modbus TCP; the client refuses what its transport cannot address.
    if (!Number.isInteger(unit) || unit < 1 || unit > 255) {
      throw new Orv3Error(ErrorCode.ConfigInvalid, `Modbus unit ${unit} is not 1..255`, { unit });
    }
    this.modbus = modbus;
    this.unit = unit;
    this.map = map;
    this.clock = clock;
    this.timeoutMs = options.timeoutMs;
    this.identityNames = identity;
    this.identityPlan = planReads(map, Object.values(identity));
    if (options.pmbus !== undefined) {
      if (options.pmbusAddress === undefined) {
        throw new Orv3Error(ErrorCode.ConfigInvalid, `unit ${unit}: pmbus without pmbusAddress`);
      }
      this.endpoint = new PmbusEndpoint(
        {
          client: options.pmbus,
          address: options.pmbusAddress,
          ...(options.pmbusCommandSets === undefined
            ? {}
            : { commandSets: options.pmbusCommandSets }),
        },
        kind,
      );
    }
  }

  get family(): string {
    return this.map.family;
  }

  /** Whether the fast-lane (PMBus) methods are available. */
  get hasFastLane(): boolean {
    return this.endpoint !== undefined;
  }

  /** 7-bit PMBus address of the fast lane, if any. */
  get pmbusAddress(): number | undefined {
    return this.endpoint?.address;
  }

  /** The PMBus segment of the fast lane, if any (the poller groups points by it). */
  get pmbusClient(): PmbusClient | undefined {
    return this.endpoint?.client;
  }

  /** One fast-lane quantity (fast-points.ts) in engineering units. */
  async readFastPoint(point: FastPointName): Promise<number> {
    const command = fastPointCommand(this.kind, point);
    if (command === undefined) {
      throw new Orv3Error(
        ErrorCode.UnsupportedCommand,
        `a ${this.kind} has no fast point ${point}`,
        {
          point,
        },
      );
    }
    return this.fast().read(command);
  }

  /** The reads of one `readTelemetry()` (for line-time accounting). */
  abstract get telemetryPlan(): ReadPlan;

  /**
   * Identity strings, read once: the value is kept, not the pending read, so a read that failed
   * or never settled is simply tried again at the next call.
   */
  async identity(): Promise<DeviceIdentity> {
    this.cachedIdentity ??= await this.readIdentity();
    return this.cachedIdentity;
  }

  /** Writes the clock's Unix time (s) to the map's time-sync register; returns what it wrote. */
  async syncTime(): Promise<number> {
    const ts = this.map.timeSync;
    if (ts === undefined) {
      throw new Orv3Error(ErrorCode.UnsupportedCommand, `${this.map.family} has no time sync`);
    }
    const def = this.map.byAddress.get(ts.register)!;
    const unixS = Math.floor(this.clock.epochMs() / 1000);
    await this.writeRegister(def, unixS);
    return unixS;
  }

  /**
   * Syncs now and then every `timeSync.periodS` of the clock. Failures are counted and reported
   * to `onError`, never thrown: a missed sync is retried at the next period.
   */
  startTimeSync(onError?: (e: unknown) => void): TimeSyncHandle {
    const periodMs = (this.map.timeSync?.periodS ?? 3600) * 1000;
    let stopped = false;
    const state = { lastSyncUnixS: null as number | null, failures: 0 };
    const run = (): void => {
      this.syncTime().then(
        (s) => {
          state.lastSyncUnixS = s;
        },
        (e: unknown) => {
          state.failures++;
          onError?.(e);
        },
      );
    };
    run();
    const timer = this.clock.setInterval(() => {
      if (!stopped) run();
    }, periodMs);
    return {
      get lastSyncUnixS() {
        return state.lastSyncUnixS;
      },
      get failures() {
        return state.failures;
      },
      stop: () => {
        stopped = true;
        this.clock.clearTimer(timer);
      },
    };
  }

  protected fast(): PmbusEndpoint {
    if (this.endpoint === undefined) {
      throw new Orv3Error(
        ErrorCode.UnsupportedCommand,
        `${this.map.family} unit ${this.unit}: no PMBus link (fast lane) configured`,
        { unit: this.unit },
      );
    }
    return this.endpoint;
  }

  protected read(plan: ReadPlan, priority: Priority): Promise<Map<string, Sample>> {
    return executeReads(this.modbus, this.unit, plan, this.clock, {
      priority,
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
    });
  }

  protected reg(name: string): RegisterDef {
    return registerOf(this.map, name);
  }

  /** Bounds-checked numeric write at control priority (nothing is sent when it is refused). */
  protected async writeRegister(def: RegisterDef, value: number, limit?: number): Promise<void> {
    checkNumericWrite(def, value, limit);
    await writeWords(this.modbus, this.unit, def, encodeRegister(def, value));
  }

  /** Reads one register now, at control priority (read-modify-write sequences). */
  protected async readNow(def: RegisterDef): Promise<RegisterValue> {
    const plan = planReads(this.map, [def.name]);
    return (await this.read(plan, 'control')).get(def.name)!.value;
  }

  private async readIdentity(): Promise<DeviceIdentity> {
    const s = await this.read(this.identityPlan, 'telemetry');
    const text = (name: string): string => String(s.get(name)!.value);
    const n = this.identityNames;
    return Object.freeze({
      manufacturer: n.manufacturer === undefined ? null : text(n.manufacturer),
      model: text(n.model),
      serial: text(n.serial),
      partNumber: text(n.partNumber),
      date: text(n.date),
      hwRevision: text(n.hwRevision),
      fwRevision: text(n.fwRevision),
    });
  }
}

const NOT_ALARMS = new Set(['Modbus_Active', 'PMBus_Active']);

/** Accessors over a sample map, converting to snapshot units as the map's units say. */
export class SampleView {
  constructor(
    private readonly map: ModbusRegisterMap,
    private readonly samples: ReadonlyMap<string, Sample>,
  ) {}

  private get(name: string): Sample {
    const s = this.samples.get(name);
    if (s === undefined) throw new Error(`internal: register ${name} was not read`);
    return s;
  }

  has(name: string): boolean {
    return this.samples.has(name);
  }

  /** A numeric register in snapshot units. */
  num(name: string): number {
    const v = this.get(name).value;
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw new Error(`internal: register ${name} is not numeric`);
    }
    return toSnapshotUnit(this.map.byName.get(name)!, Number(v));
  }

  /** The raw decoded number (sentinel checks such as SBS 65535 = "none"). */
  raw(name: string): number {
    return Number(this.get(name).value);
  }

  flags(name: string): Readonly<Record<string, boolean>> {
    return (this.get(name).value as FlagsValue).bits;
  }

  /** Oldest arrival time of the named registers: a group is as fresh as its oldest value. */
  stamp(names: readonly string[]): number {
    let t = Infinity;
    for (const n of names) t = Math.min(t, this.get(n).atMs);
    return t;
  }

  /**
   * Named bits of several FLAGS registers, and the set ones as `Register.Bit` — except bits that
   * report a healthy state (`Modbus_Active`, `PMBus_Active`), which would otherwise always show.
   */
  alarms(names: readonly string[]): {
    registers: Record<string, Readonly<Record<string, boolean>>>;
    active: string[];
  } {
    const registers: Record<string, Readonly<Record<string, boolean>>> = {};
    const active: string[] = [];
    for (const n of names) {
      const bits = this.flags(n);
      registers[n] = bits;
      for (const [bit, on] of Object.entries(bits)) {
        if (on && !NOT_ALARMS.has(bit)) active.push(`${n}.${bit}`);
      }
    }
    return { registers: Object.freeze(registers), active };
  }
}
