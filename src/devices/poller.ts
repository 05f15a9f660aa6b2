import type { Clock, TimerHandle } from '../clock/index.js';
import type { BbuTelemetry } from './bbu-telemetry.js';
import { FreshnessStore, LaneStats } from './freshness.js';
import type { Fresh, LaneStatsSnapshot } from './freshness.js';
import type { PsuTelemetry } from './psu-telemetry.js';
import type { DeviceRegistry } from './registry.js';
import { assertFeasible, FAST_PERIOD_MS, planSchedule } from './schedule.js';
import type { Driver, FastPoint, Lane, ScheduleInput, ScheduleReport } from './schedule.js';

export interface PollerOptions extends ScheduleInput {
  readonly clock: Clock;
  /** Liveness gate and failure accounting of the slow lane's devices. */
  readonly registry?: DeviceRegistry;
  /** A tick still running after this many periods is abandoned as a stall (default 20). */
  readonly stallAfterPeriods?: number;
  /** Every failed read, after it was counted (logging; must not throw). */
  readonly onError?: (lane: Lane, key: string, error: unknown) => void;
}

/** Key of a device's telemetry snapshot: kind + Modbus unit, e.g. `psu144`. */
export const deviceKey = (d: Driver): string => `${d.kind}${d.unit}`;

/**
 * One lane's timing: a tick per period on the clock, at most one in flight. A tick that finds
 * the previous one running is an overrun (skipped, counted — the lane never queues up work it
 * cannot do); one running past the stall limit is abandoned so the lane cannot hang on a
 * request that never settles.
 */
class LaneRunner {
  private timer: TimerHandle | undefined;
  private inFlight: { gen: number; startedMs: number; done: Promise<void> } | null = null;
  private gen = 0;
  stopped = false;

  constructor(
    private readonly clock: Clock,
    readonly stats: LaneStats,
    private readonly stallMs: number,
    private readonly work: () => Promise<void>,
    private readonly observeAges: () => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.stats.startedAtMs ??= this.clock.nowMs();
    this.fire();
    this.timer = this.clock.setInterval(() => this.fire(), this.stats.periodMs);
  }

  /** Runs a tick now unless one is in flight; resolves when the running tick ends. */
  runNow(): Promise<void> {
    return this.inFlight?.done ?? this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.inFlight?.done;
  }

  private fire(): void {
    if (this.stopped) return;
    this.stats.ticks++;
    this.observeAges();
    const running = this.inFlight;
    if (running !== null) {
      if (this.clock.nowMs() - running.startedMs <= this.stallMs) {
        this.stats.overruns++;
        return;
      }
      this.stats.stalls++;
      this.inFlight = null;
    }
    void this.launch();
  }

  private launch(): Promise<void> {
    const gen = ++this.gen;
    const startedMs = this.clock.nowMs();
    const done = this.work()
      .catch(() => undefined)
      .then(() => {
        if (this.inFlight?.gen !== gen) return;
        this.inFlight = null;
        // A tick cut short by stop() did not do its work: it is not a completed tick.
        if (this.stopped) return;
        this.stats.completed++;
        this.stats.durations.push(this.clock.nowMs() - startedMs);
      });
    this.inFlight = { gen, startedMs, done };
    return done;
  }
}

/** A snapshot is as fresh as its oldest value group. */
function oldestGroup(snapshot: PsuTelemetry | BbuTelemetry): number {
  let t = Infinity;
  for (const v of Object.values(snapshot)) {
    if (typeof v === 'object' && v !== null && 'sampledAtMs' in v) {
      t = Math.min(t, (v as { sampledAtMs: number }).sampledAtMs);
    }
  }
  return t;
}

function byBus<K, V>(items: readonly V[], key: (v: V) => K): V[][] {
  const m = new Map<K, V[]>();
  for (const v of items) {
    const k = key(v);
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return [...m.values()];
}

/**
 * Polls devices in two lanes — slow: Modbus telemetry snapshots of every live device; fast:
 * PMBus reads of the control points — after checking that the schedule fits each bus under the
 * utilisation cap (it throws ScheduleOverCapacity instead of falling behind). Buses are polled
 * in parallel, the devices of one bus one after another. A failed read is counted, marked on
 * its value and reported to the registry; the lane goes on.
 */
export class Poller {
  readonly schedule: ScheduleReport;
  private readonly clock: Clock;
  private readonly store = new FreshnessStore();
  private readonly slow: LaneRunner | undefined;
  private readonly fast: LaneRunner | undefined;

  constructor(private readonly opts: PollerOptions) {
    this.schedule = planSchedule(opts);
    assertFeasible(this.schedule);
    this.clock = opts.clock;
    const stallPeriods = opts.stallAfterPeriods ?? 20;
    if (opts.slow !== undefined) {
      const { devices, periodMs } = opts.slow;
      const groups = byBus(devices, (d) => d.modbus);
      const keys = devices.map(deviceKey);
      const stats = new LaneStats(periodMs);
      this.slow = new LaneRunner(
        this.clock,
        stats,
        stallPeriods * periodMs,
        () => this.sweep(groups, stats),
        () => this.observeAges(keys, stats),
      );
    }
    if (opts.fast !== undefined) {
      const { points, periodMs = FAST_PERIOD_MS } = opts.fast;
      const groups = byBus(points, (p) => p.device.pmbusClient);
      const keys = points.map((p) => p.id);
      const stats = new LaneStats(periodMs);
      this.fast = new LaneRunner(
        this.clock,
        stats,
        stallPeriods * periodMs,
        () => this.readPoints(groups, stats),
        () => this.observeAges(keys, stats),
      );
    }
  }

  start(): void {
    this.slow?.start();
    this.fast?.start();
  }

  /** Stops both lanes; resolves once their running ticks have ended. No request follows. */
  async stop(): Promise<void> {
    await Promise.all([this.slow?.stop(), this.fast?.stop()]);
  }

  /** One slow-lane sweep now (tests, CLI `monitor --once`). */
  tickSlow(): Promise<void> {
    return this.slow?.runNow() ?? Promise.resolve();
  }

  tickFast(): Promise<void> {
    return this.fast?.runNow() ?? Promise.resolve();
  }

  /** Every published value with its age, or one by key (`psu144`, `psu144.acInputV`). */
  freshness(): Fresh[];
  freshness(key: string): Fresh | undefined;
  freshness(key?: string): Fresh[] | Fresh | undefined {
    const now = this.clock.nowMs();
    return key === undefined ? this.store.all(now) : this.store.get(key, now);
  }

  /** The latest telemetry snapshot of a device, with its age. */
  telemetry(kind: 'psu', unit: number): Fresh<PsuTelemetry> | undefined;
  telemetry(kind: 'bbu', unit: number): Fresh<BbuTelemetry> | undefined;
  telemetry(kind: 'psu' | 'bbu', unit: number): Fresh | undefined {
    return this.freshness(`${kind}${unit}`);
  }

  /** The latest value of a fast point, with its age. */
  point(id: string): Fresh<number> | undefined {
    return this.freshness(id) as Fresh<number> | undefined;
  }

  stats(): { readonly slow?: LaneStatsSnapshot; readonly fast?: LaneStatsSnapshot } {
    const now = this.clock.nowMs();
    return {
      ...(this.slow === undefined ? {} : { slow: this.slow.stats.snapshot(now) }),
      ...(this.fast === undefined ? {} : { fast: this.fast.stats.snapshot(now) }),
    };
  }

  private observeAges(keys: readonly string[], stats: LaneStats): void {
    const now = this.clock.nowMs();
    for (const k of keys) {
      const at = this.store.sampledAtMs(k);
      if (at !== undefined) stats.ages.push(now - at);
    }
  }

  private async sweep(groups: readonly Driver[][], stats: LaneStats): Promise<void> {
    const registry = this.opts.registry;
    await Promise.all(
      groups.map(async (devices) => {
        for (const d of devices) {
          if (this.slow?.stopped === true) return;
          if (registry !== undefined && registry.get(d.unit)?.state === 'dormant') {
            stats.skipped++;
            continue;
          }
          const key = deviceKey(d);
          try {
            const snapshot = await d.readTelemetry();
            this.store.set(key, snapshot, oldestGroup(snapshot));
            registry?.recordSuccess(d.unit);
          } catch (e) {
            stats.errors++;
            this.store.fail(key);
            registry?.recordFailure(d.unit, e);
            this.report('slow', key, e);
          }
        }
      }),
    );
  }

  private async readPoints(groups: readonly FastPoint[][], stats: LaneStats): Promise<void> {
    await Promise.all(
      groups.map(async (points) => {
        for (const p of points) {
          if (this.fast?.stopped === true) return;
          try {
            const value = await p.device.readFastPoint(p.point);
            this.store.set(p.id, value, this.clock.nowMs());
          } catch (e) {
            stats.errors++;
            this.store.fail(p.id);
            this.report('fast', p.id, e);
          }
        }
      }),
    );
  }

  private report(lane: Lane, key: string, e: unknown): void {
    try {
      this.opts.onError?.(lane, key, e);
    } catch {
      /* a logging hook must not stop a lane */
    }
  }
}
