import type { ModbusClient, PmbusClient } from '../bus/index.js';
import { ErrorCode, isOrv3Error } from '../errors.js';
import type { Clock } from '../clock/index.js';
import {
  addressSlot,
  createDriver,
  defaultFastPoints,
  DeviceRegistry,
  Poller,
  type BbuTelemetry,
  type DeviceRecord,
  type Driver,
  type PsuTelemetry,
} from '../devices/index.js';
import { loadBuiltinMaps, type BuiltinMaps, type ModbusRegisterMap } from '../regmap/index.js';
import type { DeviceSnapshot, MetricSample, TelemetrySource } from '../north/mqtt/source.js';
import { bbuMetrics, psuMetrics } from './metrics.js';
import { GatewayCommands } from './commands.js';
import { Journal } from '../journal/index.js';

/** Slow-lane (full telemetry) period unless configured, ms. */
export const DEFAULT_SLOW_PERIOD_MS = 1000;

/** PMBus addressing convention of a shelf's modules (the simulator uses the same). */
export const PMBUS_PSU_BASE_ADDRESS = 0x58;
export const PMBUS_BBU_BASE_ADDRESS = 0x40;

export interface GatewayOptions {
  readonly clock: Clock;
  readonly modbus: ModbusClient;
  /** The PMBus segment of shelf s (fast lane), or undefined when the shelf has none. */
  readonly pmbus?: (shelf: number) => PmbusClient | undefined;
  readonly maps?: BuiltinMaps;
  /** Slow-lane period (full telemetry), ms. */
  readonly slowPeriodMs?: number;
  /** Fast-lane period, ms (1 = 1 kHz). */
  readonly fastPeriodMs?: number;
  /** Scan families whose map baud differs from the line's (bench/sim use). */
  readonly anyBaud?: boolean;
  /**
   * Modbus addresses of the expected inventory (from the config): discovery probes only these
   * instead of every address of every family (the background re-probe still runs).
   */
  readonly inventory?: readonly number[];
  /**
   * Run the poller's fast lane (default true). Off when the control loop owns the PMBus
   * segments: one master per segment.
   */
  readonly fastLane?: boolean;
  /** Bounds of the rack power cap the north side may set, W. */
  readonly powerCapBoundsW?: { readonly min: number; readonly max: number };
}

/** Shelf index of a module: its address range among the ranges that hold a whole shelf. */
function shelfOf(map: ModbusRegisterMap, address: number): number {
  const r = addressSlot(map, address);
  if (!r) return 0;
  const full = map.addressRanges
    .map((x, i) => ({ i, n: x[1] - x[0] + 1 }))
    .filter((x) => x.n >= 6)
    .map((x) => x.i);
  return Math.max(0, full.indexOf(r.range));
}

/**
 * The gateway process's composition root below the north side: discovery → drivers → the
 * two-lane poller, plus the telemetry view and the command sink the north side uses. It knows
 * nothing of where its buses lead (hardware, TCP or the simulated twins).
 */
export class Gateway {
  readonly clock: Clock;
  readonly registry: DeviceRegistry;
  readonly commands: GatewayCommands;
  readonly telemetry: TelemetrySource;
  /** Decisions, commands and device events, served north as LogEntries and events. */
  readonly journal: Journal;
  private readonly opts: GatewayOptions;
  private readonly maps: BuiltinMaps;
  private drivers: Driver[] = [];
  private readonly identityErrorSeen = new Set<string>();
  private controlStatus: (() => ControlStatus) | undefined;
  private poller: Poller | undefined;
  private readonly startedAtMs: number;

  constructor(opts: GatewayOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.maps = opts.maps ?? loadBuiltinMaps();
    this.registry = new DeviceRegistry(opts.modbus, Object.values(this.maps.modbus), opts.clock, {
      ...(opts.anyBaud ? { baud: 'any' as const } : {}),
    });
    this.startedAtMs = opts.clock.nowMs();
    this.journal = new Journal(opts.clock);
    this.commands = new GatewayCommands(this, opts.powerCapBoundsW ?? { min: 1000, max: 1e6 });
    this.telemetry = {
      nodeMetrics: () => this.nodeMetrics(),
      devices: () => this.deviceSnapshots(),
    };
  }

  /**
   * Poller sample times are monotonic clock ms; the north side wants Unix ms. The offset is read
   * each time, not kept: a clock's epoch may be re-anchored (VirtualClock.rebaseEpoch).
   */
  toEpoch = (monoMs: number): number => monoMs + (this.clock.epochMs() - this.clock.nowMs());

  /** Discovers the shelf, builds the drivers and starts both lanes. */
  async start(): Promise<void> {
    await this.registry.scan(
      this.opts.inventory === undefined ? {} : { addresses: [...this.opts.inventory] },
    );
    this.drivers = this.registry.live().map((d) => this.driverFor(d));
    const fastCapable =
      this.opts.fastLane === false ? [] : this.drivers.filter((d) => d.hasFastLane);
    const build = (slowPeriodMs: number): Poller =>
      new Poller({
        clock: this.clock,
        registry: this.registry,
        slow: { devices: this.drivers, periodMs: slowPeriodMs },
        ...(fastCapable.length > 0
          ? {
              fast: {
                points: defaultFastPoints(fastCapable),
                periodMs: this.opts.fastPeriodMs ?? 1,
              },
            }
          : {}),
      });
    try {
      this.poller = build(this.opts.slowPeriodMs ?? DEFAULT_SLOW_PERIOD_MS);
    } catch (e) {
      // A configured period is the operator's: refuse. The default stretches to what the line
      // can carry (a 4-shelf rack at 115 200 baud needs ~1.75 s for a full sweep), and says so.
      const slow = isOrv3Error(e, ErrorCode.ScheduleOverCapacity)
        ? (e.context['over'] as { lane: string; minPeriodMs: number }[]).find(
            (l) => l.lane === 'slow',
          )
        : undefined;
      if (this.opts.slowPeriodMs !== undefined || slow === undefined) throw e;
      const period = Math.ceil(slow.minPeriodMs / 50) * 50;
      this.poller = build(period);
      this.journal.append({
        severity: 'Warning',
        origin: 'gateway',
        messageId: 'OpenRackGateway.1.0.SlowLaneStretched',
        message: `slow lane period stretched from ${DEFAULT_SLOW_PERIOD_MS} ms to ${period} ms: a full sweep of ${this.drivers.length} devices needs ${slow.minPeriodMs.toFixed(0)} ms of line time`,
      });
    }
    this.poller.start();
    this.registry.start();
  }

  async stop(): Promise<void> {
    this.registry.stop();
    await this.poller?.stop();
  }

  /** PMBus segment (shelf) of a discovered unit's fast lane. */
  shelfOfUnit(unit: number): number | undefined {
    const d = this.registry.live().find((r) => r.address === unit);
    return d ? shelfOf(d.map, d.address) : undefined;
  }

  private driverFor(d: DeviceRecord): Driver {
    const shelf = shelfOf(d.map, d.address);
    const pmbus = this.opts.pmbus?.(shelf);
    const slot = addressSlot(d.map, d.address)?.slot ?? 0;
    const base = d.kind === 'psu' ? PMBUS_PSU_BASE_ADDRESS : PMBUS_BBU_BASE_ADDRESS;
    const id = `${d.kind}-${d.address}`;
    // A dead PMBus address fails on every slow sweep: journal the first failure per unit.
    const onIdentityError = (e: unknown): void => {
      if (this.identityErrorSeen.has(id)) return;
      this.identityErrorSeen.add(id);
      this.journal.append({
        severity: 'Warning',
        origin: 'device',
        messageId: 'OpenRackGateway.1.0.IdentityReadFailed',
        message: `${id}: PMBus identity (MFR_ID) not read: ${(e as Error).message ?? String(e)}; retried every sweep`,
        subject: id,
      });
    };
    return createDriver(
      d,
      this.opts.modbus,
      this.clock,
      pmbus ? { pmbus, pmbusAddress: base + slot, onIdentityError } : {},
    );
  }

  get deviceDrivers(): readonly Driver[] {
    return this.drivers;
  }

  psu(unit: number): PsuTelemetry | undefined {
    return this.poller?.telemetry('psu', unit)?.value;
  }

  bbu(unit: number): BbuTelemetry | undefined {
    return this.poller?.telemetry('bbu', unit)?.value;
  }

  driver(unit: number): Driver | undefined {
    return this.drivers.find((d) => d.unit === unit);
  }

  /** Shelf-level view from the freshest samples (fast lane where it has them). */
  summary(): ShelfSummary {
    let inW = 0;
    let outW = 0;
    let minSoc: number | null = null;
    let discharging = 0;
    let busV: number | null = null;
    let busAtMs: number | null = null;
    for (const d of this.drivers) {
      if (d.kind === 'psu') {
        const t = this.psu(d.unit);
        if (t) {
          inW += t.input.powerW;
          outW += t.output.powerW;
        }
      } else {
        const t = this.bbu(d.unit);
        if (t) {
          minSoc = minSoc === null ? t.charge.socPct : Math.min(minSoc, t.charge.socPct);
          if (t.status.discharging) discharging++;
          if (busV === null) {
            busV = t.bus.voltageV;
            busAtMs = t.bus.sampledAtMs;
          }
        }
      }
    }
    const fresh = this.poller?.freshness() ?? [];
    const fastBus = fresh.find((f) => f.key.endsWith('.busV') && typeof f.value === 'number');
    // AC input from the fast lane (the slow lane's last answer goes stale when a PSU drops out).
    let minAc: number | null = null;
    for (const f of fresh) {
      if (!f.key.endsWith('.acInputV') || typeof f.value !== 'number' || f.failures > 0) continue;
      minAc = minAc === null ? f.value : Math.min(minAc, f.value);
    }
    return {
      busV: fastBus ? (fastBus.value as number) : busV,
      // Without a fast lane (the control loop owns the PMBus) the slow lane's sample says how old.
      busAgeMs: fastBus
        ? fastBus.ageMs
        : busV !== null && busAtMs !== null
          ? this.clock.nowMs() - busAtMs
          : null,
      minAcInputV: minAc,
      psuInputW: inW,
      psuOutputW: outW,
      minSocPct: minSoc,
      bbusDischarging: discharging,
      live: this.registry.live().length,
      dormant: this.registry.dormant().length,
      powerCapW: this.commands.powerCapW,
      fastHz: this.poller?.stats().fast?.achievedHz ?? null,
    };
  }

  /** The control loop's status for the north side (control-link.ts attaches it). */
  attachControlStatus(status: (() => ControlStatus) | undefined): void {
    this.controlStatus = status;
  }

  get control(): ControlStatus | null {
    return this.controlStatus?.() ?? null;
  }

  private nodeMetrics(): MetricSample[] {
    const at = this.clock.epochMs();
    const s = this.summary();
    const stats = this.poller?.stats();
    const c = this.control;
    const m: MetricSample[] = [
      {
        name: 'Gateway/Uptime',
        type: 'Double',
        value: (this.clock.nowMs() - this.startedAtMs) / 1000,
        timestampMs: at,
        unit: 's',
      },
      { name: 'Devices/Live', type: 'Int64', value: s.live, timestampMs: at },
      { name: 'Devices/Dormant', type: 'Int64', value: s.dormant, timestampMs: at },
      {
        name: 'Lanes/Fast Hz',
        type: 'Double',
        value: stats?.fast?.achievedHz ?? null,
        timestampMs: at,
        unit: 'Hz',
      },
      {
        name: 'Lanes/Slow Errors',
        type: 'Int64',
        value: stats?.slow?.errors ?? 0,
        timestampMs: at,
      },
      // The control loop's state, null when none runs (the set stays the same for the birth).
      { name: 'Control/Mode', type: 'String', value: c?.mode ?? null, timestampMs: at },
      { name: 'Control/Ticks', type: 'Int64', value: c?.ticks ?? null, timestampMs: at },
      { name: 'Control/Overruns', type: 'Int64', value: c?.overruns ?? null, timestampMs: at },
      {
        name: 'Control/Throttle Requested',
        type: 'Boolean',
        value: c?.throttleRequested ?? null,
        timestampMs: at,
      },
      {
        name: 'Node Control/Power Cap W',
        type: 'Double',
        value: s.powerCapW,
        timestampMs: at,
        unit: 'W',
      },
    ];
    return m;
  }

  private deviceSnapshots(): DeviceSnapshot[] {
    const out: DeviceSnapshot[] = [];
    for (const d of this.drivers) {
      const live = this.registry.isLive(d.unit);
      if (d.kind === 'psu') {
        const t = this.psu(d.unit);
        out.push({
          id: `psu-${d.unit}`,
          kind: 'psu',
          online: live && !!t,
          metrics: t ? psuMetrics(t, this.toEpoch) : [],
        });
      } else {
        const t = this.bbu(d.unit);
        out.push({
          id: `bbu-${d.unit}`,
          kind: 'bbu',
          online: live && !!t,
          metrics: t ? bbuMetrics(t, this.toEpoch) : [],
        });
      }
    }
    const s = this.summary();
    const at = this.clock.epochMs();
    out.push({
      id: 'shelf-0',
      kind: 'shelf',
      online: true,
      metrics: [
        { name: 'Bus/Voltage', type: 'Double', value: s.busV, timestampMs: at, unit: 'V' },
        { name: 'Input/Power', type: 'Double', value: s.psuInputW, timestampMs: at, unit: 'W' },
        { name: 'Output/Power', type: 'Double', value: s.psuOutputW, timestampMs: at, unit: 'W' },
        { name: 'BBU/Min SoC', type: 'Double', value: s.minSocPct, timestampMs: at, unit: '%' },
        { name: 'BBU/Discharging', type: 'Int64', value: s.bbusDischarging, timestampMs: at },
      ],
    });
    return out;
  }
}

/** What the north side reports of the control loop (src/control), when one runs. */
export interface ControlStatus {
  readonly mode: 'autonomous' | 'normal' | 'ride' | 'recover';
  readonly ticks: number;
  readonly overruns: number;
  readonly throttleRequested: boolean;
}

export interface ShelfSummary {
  readonly busV: number | null;
  readonly busAgeMs: number | null;
  /** Lowest PSU AC input among fresh fast-lane samples, V (null: none fresh). */
  readonly minAcInputV: number | null;
  readonly psuInputW: number;
  readonly psuOutputW: number;
  readonly minSocPct: number | null;
  readonly bbusDischarging: number;
  readonly live: number;
  readonly dormant: number;
  readonly powerCapW: number | null;
  readonly fastHz: number | null;
}
