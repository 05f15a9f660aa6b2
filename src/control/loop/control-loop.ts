import type { Clock } from '../../clock/index.js';
import type { Journal } from '../../journal/index.js';
import { controlConfig, type ControlConfig } from '../config.js';
import { Coordinator, type Decision, type Mode } from '../coordinator.js';
import {
  EXT_STATUS_BIT,
  type ControlDevice,
  type FastLaneIo,
  type ReadPoint,
} from '../io/fast-lane-io.js';
import type { AcState, ZoneView } from '../view.js';
import { zoneBuffer, type ZoneBuffer } from './zone-buffer.js';
import type { AcSensor, LoadForecaster } from './estimators.js';
import { LoadPredictor, SagDetector } from '../predictor/index.js';
import { SampleStore } from './samples.js';
import { TickPlan } from './tick-plan.js';
import { LeaseWriter } from './lease-writer.js';

export interface ControlLoopOptions {
  readonly clock: Clock;
  readonly io: FastLaneIo;
  readonly devices: readonly ControlDevice[];
  readonly config?: Partial<ControlConfig>;
  /**
   * Charges bus time as elapsed time, µs. The simulation's lockstep runner advances the shelf
   * by it; in real time the bus time has passed by itself (omit).
   */
  readonly elapse?: (us: number) => void;
  /** Full-charge energy of a BBU from the slow lane, Wh (undefined: unknown → no spending). */
  readonly bbuCapacityWh?: (id: string) => number | undefined;
  /** The grid power cap the north side set, W (null: none). */
  readonly powerCapW?: () => number | null;
  readonly journal?: Journal;
  readonly forecaster?: LoadForecaster;
  readonly acSensor?: AcSensor;
}

export interface ControlStats {
  ticks: number;
  /** Ticks whose bus time exceeded the period. */
  overruns: number;
  readFailures: number;
  writes: number;
  writeFailures: number;
  restarts: number;
  /** Setpoint changes that waited a tick for bus time (tickBusBudgetPct). */
  deferredWrites: number;
  maxTickBusUs: number;
  sumTickBusUs: number;
}

/** PSU PFC input cut-off (DESIGN §5 fact: ~180 V): below it the AC counts as lost. */
const PFC_CUTOFF_VAC = 180;

/** How far ahead the coordinator looks for transient assist, ms (read + decide + write). */
const LOOKAHEAD_MS = 2;

/**
 * The 1 kHz control loop: each tick reads its plan of fast-lane points, builds the zone view,
 * feeds the predictor, lets the coordinator decide and the interlocks check, and writes the
 * setpoints and lease renewals that changed. It sees the shelf only through `FastLaneIo`.
 * Runs the same in simulation (driven by the lockstep runner with `elapse`) and in real time
 * (driven by the worker's scheduler).
 */
export class ControlLoop {
  readonly cfg: ControlConfig;
  readonly coordinator: Coordinator;
  readonly stats: ControlStats = {
    ticks: 0,
    overruns: 0,
    readFailures: 0,
    writes: 0,
    writeFailures: 0,
    restarts: 0,
    deferredWrites: 0,
    maxTickBusUs: 0,
    sumTickBusUs: 0,
  };
  private readonly samples: SampleStore;
  private readonly plan: TickPlan;
  private readonly writer: LeaseWriter;
  private readonly psuIdx: number[];
  private readonly bbuIdx: number[];
  private readonly forecaster: LoadForecaster;
  private readonly ac: AcSensor;
  private readonly segUs: Float64Array;
  private readonly ready: Uint8Array;
  /** `charge` bound once: the writer calls it after every write of every tick. */
  private readonly chargeFn = (): number => this.charge();
  /** The zone view, rewritten in place each tick (see `view`). */
  private readonly zone: ZoneBuffer;
  private last: Decision | undefined;
  private lastView: ZoneView | undefined;
  private lastThrottle = false;

  constructor(private readonly o: ControlLoopOptions) {
    this.cfg = controlConfig(o.config);
    const devs = o.devices;
    this.psuIdx = devs.flatMap((d, i) => (d.kind === 'psu' ? [i] : []));
    this.bbuIdx = devs.flatMap((d, i) => (d.kind === 'bbu' ? [i] : []));
    this.samples = new SampleStore(devs);
    this.plan = new TickPlan(devs, this.psuIdx, this.bbuIdx);
    this.writer = new LeaseWriter(o.io, devs, this.cfg, o.clock);
    this.coordinator = new Coordinator(this.cfg, this.bbuIdx.length);
    let installed = 0;
    for (const d of devs) if (d.kind === 'psu') installed += d.ratedW;
    this.forecaster =
      o.forecaster ?? new LoadPredictor({ ratedW: installed > 0 ? installed : 33000 });
    const nom = this.cfg.nominalVac;
    // Engage below the derating band's edge; back at 0.9 p.u.; lost below the PFC cut-off.
    this.ac =
      o.acSensor ??
      new SagDetector({
        nominalVac: nom,
        sagPu: this.cfg.engageBelowVac / nom,
        returnPu: Math.max(this.cfg.acReturnPu, this.cfg.engageBelowVac / nom),
        lossVac: Math.min(PFC_CUTOFF_VAC, 0.99 * this.cfg.engageBelowVac),
        confirmSamples: this.cfg.sagConfirmSamples,
      });
    this.segUs = new Float64Array(o.io.segmentCount);
    this.ready = new Uint8Array(devs.length);
    this.zone = zoneBuffer(devs, this.psuIdx, this.bbuIdx);
  }

  get mode(): Mode {
    return this.coordinator.mode;
  }

  get acState(): AcState {
    return this.ac.state;
  }

  /** The last decision and the view it came from (north side status, tests). */
  get lastDecision(): Decision | undefined {
    return this.last;
  }

  /**
   * The view the last tick decided from. The loop's own object, rewritten by the next tick:
   * read it now, copy what you keep.
   */
  get lastZoneView(): ZoneView | undefined {
    return this.lastView;
  }

  /** True while the cap (or PSU rating) cannot be held: the north side's throttle request. */
  get throttleRequested(): boolean {
    return this.last?.throttle ?? false;
  }

  deviceFailures(i: number): number {
    return this.samples.failures[i]!;
  }

  /**
   * Prepares every device: VOUT_MODE, and the lease lengths written and read back — a device
   * whose lease cannot be verified is never commanded. Safe to call again for one device.
   */
  init(): void {
    for (let i = 0; i < this.o.devices.length; i++) this.prepare(i);
    this.charge();
  }

  private prepare(i: number): void {
    const d = this.o.devices[i]!;
    try {
      this.o.io.init(d);
      this.writer.verifyLeases(d);
      this.ready[i] = 1;
    } catch (e) {
      this.ready[i] = 0;
      this.samples.fail(i);
      this.o.journal?.append({
        severity: 'Warning',
        origin: 'safety',
        messageId: 'OpenRackGateway.1.0.DeviceExcluded',
        message: `${d.id}: not prepared for control (${(e as Error).message}); excluded`,
        subject: d.id,
      });
    }
  }

  /**
   * Hands the shelf back to native behaviour at a clean stop instead of waiting for the leases
   * to lapse: discharge setpoints to 0, PSU hold arms disarmed. Not during an outage or its
   * recovery (ride/recover): there the leases keep the BBUs carrying the load for their last
   * ≤ 250 ms, which a release would cut short. Returns the writes made (0 when it declined).
   */
  release(): number {
    const m = this.coordinator.mode;
    if (m === 'ride' || m === 'recover') return 0;
    const n = this.writer.releaseAll(this.bbuIdx, this.ready, this.chargeFn);
    if (n > 0) {
      this.o.journal?.append({
        severity: 'OK',
        origin: 'control',
        messageId: 'OpenRackGateway.1.0.ControlReleased',
        message: `control loop stopped: ${n} setpoint(s) handed back to native behaviour`,
      });
    }
    return n;
  }

  /** A workload hint ("+30 kW in 50 ms"): feed-forward for the predictor, when it takes one. */
  hint(deltaW: number, leadMs: number, rampMs?: number): void {
    if (!Number.isFinite(deltaW) || !(leadMs >= 0)) return;
    this.forecaster.hint?.(deltaW, leadMs, this.o.clock.nowMs(), rampMs);
  }

  /** One control period. */
  tick(): Decision {
    const now = this.o.clock.nowMs();
    const cfg = this.cfg;
    const prevMode = this.coordinator.mode;
    const anyDischarge = this.writer.anyDischarge();
    this.plan.build(prevMode, anyDischarge || this.nativeSeen());
    let failures = 0;
    for (let k = 0; k < this.plan.length; k++) {
      const i = this.plan.dev[k]!;
      const point = this.plan.point[k]!;
      try {
        const v = this.o.io.read(this.o.devices[i]!, point);
        const wasOut = this.samples.failRun[i]! >= cfg.excludeAfterFailures || !this.ready[i];
        this.samples.put(i, point, v, now);
        if (wasOut) this.prepare(i);
      } catch {
        this.samples.fail(i);
        failures++;
      }
    }
    this.stats.readFailures += failures;
    const readUs = this.charge();
    const t = this.o.clock.nowMs();
    const view = this.view(now, t);
    this.forecaster.push(now, view.loadW);
    const d = this.coordinator.decide(view);
    const changes = this.coordinator.takeChanges();
    for (let k = 0; k < changes.length; k++) {
      const c = changes[k]!;
      this.o.journal?.append({
        severity: c.to === 'ride' || c.to === 'autonomous' ? 'Warning' : 'OK',
        origin: 'control',
        messageId: `OpenRackGateway.1.0.Mode${c.to[0]!.toUpperCase()}${c.to.slice(1)}`,
        message: `control mode ${c.from} → ${c.to}: ${c.why}`,
        args: [c.from, c.to],
      });
    }
    if (d.throttle !== this.lastThrottle) {
      this.lastThrottle = d.throttle;
      this.o.journal?.append({
        severity: d.throttle ? 'Warning' : 'OK',
        origin: 'control',
        messageId: d.throttle
          ? 'OpenRackGateway.1.0.ThrottleRequested'
          : 'OpenRackGateway.1.0.ThrottleCleared',
        message: d.throttle
          ? `load ${view.loadW.toFixed(0)} W cannot be held under the limit with spendable BBU energy: throttle requested`
          : 'throttle request cleared',
      });
    }
    const budgetUs = (cfg.tickMs * 1000 * cfg.tickBusBudgetPct) / 100 - readUs;
    const w = this.writer.apply(
      d,
      this.bbuIdx,
      this.ready,
      this.samples,
      t,
      this.chargeFn,
      budgetUs,
    );
    this.stats.deferredWrites = this.writer.deferred;
    this.stats.writes += w.writes;
    this.stats.writeFailures += w.failures;
    if (w.restarted !== null) {
      this.stats.restarts++;
      this.o.journal?.append({
        severity: 'OK',
        origin: 'command',
        messageId: 'OpenRackGateway.1.0.PsuRestarted',
        message: `${w.restarted}: EXT_PSU_RESTART sent (deterministic restart)`,
        subject: w.restarted,
      });
    }
    const busUs = readUs + w.busUs;
    this.stats.ticks++;
    this.stats.sumTickBusUs += busUs;
    if (busUs > this.stats.maxTickBusUs) this.stats.maxTickBusUs = busUs;
    if (busUs > cfg.tickMs * 1000) this.stats.overruns++;
    this.last = d;
    this.lastView = view;
    return d;
  }

  /** Charges the segments' bus time since the last call (the slowest segment), µs. */
  private charge(): number {
    this.o.io.takeBusTime(this.segUs);
    let us = 0;
    for (let s = 0; s < this.segUs.length; s++) us = Math.max(us, this.segUs[s]!);
    if (us > 0) this.o.elapse?.(us);
    return us;
  }

  private nativeSeen(): boolean {
    for (const i of this.bbuIdx) {
      const s = this.samples.last(i, 'extStatus');
      if (Number.isFinite(s) && (s & EXT_STATUS_BIT.NATIVE_DISCHARGE_ACTIVE) !== 0) return true;
    }
    return false;
  }

  private healthy(i: number): boolean {
    return this.ready[i] === 1 && this.samples.failRun[i]! < this.cfg.excludeAfterFailures;
  }

  /**
   * Builds this tick's zone view into the loop's own objects (no allocation per tick). Reuse is
   * safe because the view never outlives the tick that reads it: the coordinator, policies and
   * interlocks read it during `decide` and keep none of it (they copy numbers and ids into their
   * own state), nothing of it goes to the journal, and `lastZoneView` says it is rewritten by the
   * next tick. Anything that must keep a view copies it.
   */
  private view(sampledMs: number, nowMs: number): ZoneView {
    const s = this.samples;
    const cfg = this.cfg;
    const devs = this.o.devices;
    const z = this.zone;
    let vin = NaN;
    let load = 0;
    let loadKnown = false;
    for (let k = 0; k < this.psuIdx.length; k++) {
      const i = this.psuIdx[k]!;
      const v = s.fresh(i, 'vin', nowMs, cfg.staleMs);
      if (!Number.isNaN(v)) vin = Number.isNaN(vin) ? v : Math.min(vin, v);
      const p = s.fresh(i, 'pout', nowMs, cfg.staleMs);
      if (!Number.isNaN(p)) {
        load += p;
        loadKnown = true;
      }
      const st = s.fresh(i, 'extStatus', nowMs, 50);
      const pv = z.psus[k]!;
      pv.poutW = p;
      pv.healthy = this.healthy(i);
      pv.restartPending = Number.isFinite(st) && (st & EXT_STATUS_BIT.RESTART_PENDING) !== 0;
      pv.onAux = Number.isFinite(st) && (st & EXT_STATUS_BIT.CONTROLLER_ON_AUX) !== 0;
    }
    for (let j = 0; j < this.bbuIdx.length; j++) {
      const i = this.bbuIdx[j]!;
      const d = devs[i]!;
      let p = s.fresh(i, 'pout', nowMs, cfg.staleMs);
      // Not read this tick: what we command is what a forced BBU delivers (power-capped).
      if (Number.isNaN(p)) p = this.writer.dischargeInForce(j);
      load += p;
      const st = s.last(i, 'extStatus');
      const bv = z.bbus[j]!;
      bv.poutW = p;
      bv.socPct = s.fresh(i, 'soc', nowMs, 10_000);
      bv.capacityWh = this.o.bbuCapacityWh?.(d.id) ?? 0;
      bv.healthy = this.healthy(i);
      bv.nativeActive = Number.isFinite(st) && (st & EXT_STATUS_BIT.NATIVE_DISCHARGE_ACTIVE) !== 0;
    }
    this.ac.push(sampledMs, vin);
    let busV = NaN;
    for (let i = 0; i < devs.length && Number.isNaN(busV); i++)
      busV = s.fresh(i, 'busV', nowMs, cfg.staleMs);
    const loadW = loadKnown ? load : NaN;
    let psuKnown = 0;
    let psuW = 0;
    for (const p of z.psus)
      if (!Number.isNaN(p.poutW)) {
        psuKnown++;
        psuW += p.poutW;
      }
    const unreadPsuW = psuKnown > 0 ? ((z.psus.length - psuKnown) * psuW) / psuKnown : 0;
    const ahead = this.forecaster.forecast(LOOKAHEAD_MS);
    z.nowMs = nowMs;
    z.acVac = vin;
    z.acState = this.ac.state;
    z.busV = busV;
    z.loadW = loadW;
    z.loadAheadW = Number.isFinite(ahead) ? ahead : loadW;
    z.unreadPsuW = unreadPsuW;
    z.capW = this.o.powerCapW?.() ?? null;
    z.fresh = loadKnown && !Number.isNaN(vin);
    return z;
  }
}

export type { ReadPoint };
