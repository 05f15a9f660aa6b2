import type { ControlConfig } from './config.js';
import { commandedCanCarry, holdWanted, rideThroughW } from './policies/ride-through.js';
import { Recovery } from './policies/recovery.js';
import { TransientAssist } from './policies/transient-assist.js';
import { psuMaxW, throttleNeeded } from './policies/power-cap.js';
import { chargeLimitW } from './policies/recharge.js';
import {
  enforceCharge,
  enforceDischarge,
  zeroInterlockCounters,
  type InterlockCounters,
} from './safety/interlocks.js';
import { Watchdog } from './safety/watchdog.js';
import type { ZoneView } from './view.js';

export type Mode = 'autonomous' | 'normal' | 'ride' | 'recover';

/** One tick's decision, after the interlocks. Arrays are per BBU in `ZoneView.bbus` order. */
export interface Decision {
  readonly mode: Mode;
  /** Discharge setpoint per BBU, W (0 = native). */
  readonly dischargeW: Float64Array;
  /** Charge limit per BBU, W (NaN = leave it native: no lease). */
  readonly chargeW: Float64Array;
  /** PSU to send EXT_PSU_RESTART now, or null. */
  readonly restart: string | null;
  /** Keep the PSUs' "hold controller on aux" leases renewed. */
  readonly hold: boolean;
  /** The cap (or PSU rating) cannot be held with the energy the BBUs may spend. */
  readonly throttle: boolean;
  /** What the policies asked of the BBUs in total, and what the interlocks let through, W. */
  readonly wantedW: number;
  readonly grantedW: number;
  /** The interlocks treated this tick as a real outage (AC bad, or recovering within budget). */
  readonly outage: boolean;
  /** Load the backup reserve was sized on this tick (sustained, not a spike), W. */
  readonly reserveLoadW: number;
}

export interface ModeChange {
  readonly from: Mode;
  readonly to: Mode;
  readonly atMs: number;
  readonly why: string;
}

const NO_CHANGES: readonly ModeChange[] = Object.freeze([]);

/**
 * Turns a zone view into setpoints: picks the mode (autonomous / normal / ride / recover),
 * asks the mode's policies for a BBU total and spreads it over the BBUs by rating, then passes
 * everything through the interlocks. Pure apart from its own small state (mode, the recovery
 * and assist trajectories, the pre-fault load): feed it views, read decisions.
 */
export class Coordinator {
  mode: Mode = 'autonomous';
  readonly interlocks: InterlockCounters = zeroInterlockCounters();
  readonly watchdog = new Watchdog();
  private readonly recovery = new Recovery();
  private readonly assist = new TransientAssist();
  /** Load averaged over ~100 ms while the AC is good: what the recovery must give back. */
  private preFaultW = 0;
  /** Load averaged over ~2 s with the AC good: what the backup reserve is sized on. */
  private sustainedW = NaN;
  /** Load averaged over ~1 s: bounds how long a real load rise can go unreserved. */
  private secondW = NaN;
  /** Load averaged over ~0.5 s, and its peak held for ~5 s: the highest level lately held. */
  private halfW = NaN;
  private envelopeW = NaN;
  private prevTotalW = 0;
  private dis: Float64Array;
  private chg: Float64Array;
  private prev: Float64Array;
  private changes: ModeChange[] = [];
  /** What `decide` returns, rewritten by each call (see decide). */
  private readonly out: { -readonly [K in keyof Decision]: Decision[K] };
  /** This outage is left to the native rule (see commandedCanCarry). */
  private leftToNative = false;
  /** Healthy BBUs when the carry check last ran in this outage (-1: not yet). */
  private rideHealthy = -1;

  constructor(
    private readonly cfg: ControlConfig,
    bbuCount: number,
  ) {
    this.dis = new Float64Array(bbuCount);
    this.chg = new Float64Array(bbuCount).fill(NaN);
    this.prev = new Float64Array(bbuCount);
    this.out = {
      mode: this.mode,
      dischargeW: this.dis,
      chargeW: this.chg,
      restart: null,
      hold: false,
      throttle: false,
      wantedW: 0,
      grantedW: 0,
      outage: false,
      reserveLoadW: 0,
    };
  }

  /**
   * Mode changes since the last call (for the journal). Called every tick and almost always
   * empty: the empty case hands out one shared frozen array instead of a fresh one.
   */
  takeChanges(): readonly ModeChange[] {
    if (this.changes.length === 0) return NO_CHANGES;
    const c = this.changes;
    this.changes = [];
    return c;
  }

  /** Load the recovery aims to restore (pre-fault), W. */
  get preFaultLoadW(): number {
    return this.preFaultW;
  }

  /**
   * One tick's decision. The result is the coordinator's own object, rewritten by the next call
   * (its setpoint arrays always were): the loop reads it within the tick, so reuse spares the
   * 1 kHz loop an allocation; a caller that keeps decisions copies them.
   */
  decide(v: ZoneView): Decision {
    const cfg = this.cfg;
    if (this.watchdog.update(v.fresh)) {
      this.setMode(
        this.watchdog.autonomous ? 'autonomous' : 'normal',
        v.nowMs,
        this.watchdog.autonomous ? 'samples stale: leases left to lapse' : 'samples fresh again',
      );
      if (!this.watchdog.autonomous) this.assist.reset(NaN);
    }
    let total = 0;
    let restart: string | null = null;
    let throttle = false;
    const pmax = psuMaxW(v, cfg);
    if (this.watchdog.autonomous) {
      this.recovery.cancel();
    } else if (v.acState !== 'normal') {
      if (this.mode !== 'ride') {
        this.recovery.cancel();
        this.leftToNative = false;
        this.rideHealthy = -1;
        this.setMode('ride', v.nowMs, `AC ${v.acState} (${v.acVac.toFixed(0)} V)`);
      }
      // Decided at the outage's start; revisited only when a BBU drops out during it.
      let healthy = 0;
      for (const b of v.bbus) if (b.healthy) healthy++;
      if (!this.leftToNative && (this.rideHealthy < 0 || healthy < this.rideHealthy)) {
        this.rideHealthy = healthy;
        if (!commandedCanCarry(v, this.preFaultW)) {
          this.leftToNative = true;
          this.changes.push({
            from: 'ride',
            to: 'ride',
            atMs: v.nowMs,
            why: 'the BBUs we can command cannot carry the load: left to the native 48.5 V rule',
          });
        }
      }
      if (!this.leftToNative) total = rideThroughW(v, this.preFaultW, cfg);
    } else {
      if (this.mode === 'ride') {
        this.recovery.begin(v.nowMs, this.prevTotalW);
        this.setMode('recover', v.nowMs, 'AC back: restart held PSUs, hand back');
      }
      if (this.mode === 'recover') {
        const r = this.recovery.step(v, cfg);
        restart = r.restart;
        // Whatever the ramp says, the BBUs cover what the PSUs cannot.
        total = Math.max(r.bbuW, v.loadW - pmax);
        if (r.done) {
          this.assist.reset(Math.max(0, v.loadW - total));
          this.setMode('normal', v.nowMs, 'load handed back to the PSUs');
        }
      } else {
        total = this.assist.step(v, pmax, cfg);
        if (Number.isFinite(v.loadW)) {
          this.preFaultW += (v.loadW - this.preFaultW) * (cfg.tickMs / 100);
          // The reserve's load counts what unread PSUs may carry (never a smaller reserve).
          const rl = v.loadW + (v.unreadPsuW ?? 0);
          this.sustainedW = Number.isFinite(this.sustainedW)
            ? this.sustainedW + (rl - this.sustainedW) * (cfg.tickMs / 2000)
            : rl;
          this.secondW = Number.isFinite(this.secondW)
            ? this.secondW + (rl - this.secondW) * (cfg.tickMs / 1000)
            : rl;
          this.halfW = Number.isFinite(this.halfW)
            ? this.halfW + (rl - this.halfW) * (cfg.tickMs / 500)
            : rl;
          this.envelopeW = Number.isFinite(this.envelopeW)
            ? Math.max(
                this.halfW,
                this.envelopeW - (this.envelopeW - this.halfW) * (cfg.tickMs / 5000),
              )
            : this.halfW;
        }
      }
    }
    const wanted = total;
    this.spread(v, total);
    const recovering = this.mode === 'recover' && this.recovery.withinBudget(v.nowMs, cfg);
    // The reserve is sized on the highest level the load has lately held for about half a
    // second (a training job's compute phase, not its average), and never below the present
    // load limited to its 1 s average. A ~100 ms excursion (what the assist is for) moves it
    // little; a real rise within about a second.
    const nowLoadW = v.loadW + (v.unreadPsuW ?? 0);
    const reserveLoadW = Number.isFinite(this.envelopeW)
      ? Math.max(this.envelopeW, this.sustainedW, Math.min(nowLoadW, this.secondW))
      : nowLoadW;
    enforceDischarge(
      this.dis,
      this.prev,
      v,
      this.watchdog.autonomous,
      cfg,
      this.interlocks,
      recovering,
      reserveLoadW,
    );
    let granted = 0;
    for (let i = 0; i < this.dis.length; i++) granted += this.dis[i]!;
    if (this.mode === 'normal') throttle = v.loadW > pmax && throttleNeeded(wanted, granted);
    // Charging only when nothing discharges: never both at once in one zone.
    const charge = this.mode === 'normal' && granted === 0 ? chargeLimitW(v, pmax, cfg) : 0;
    this.chg.fill(this.watchdog.autonomous ? NaN : charge);
    enforceCharge(this.chg, v, this.watchdog.autonomous, this.interlocks);
    this.prev.set(this.dis);
    this.prevTotalW = granted;
    const out = this.out;
    out.mode = this.mode;
    out.restart = restart;
    out.hold = !this.watchdog.autonomous && holdWanted(v);
    out.throttle = throttle;
    out.wantedW = wanted;
    out.grantedW = granted;
    out.outage = v.acState !== 'normal' || recovering;
    out.reserveLoadW = reserveLoadW;
    return out;
  }

  /** Spreads a total over the healthy BBUs by rating (the interlocks cap each one). */
  private spread(v: ZoneView, total: number): void {
    let rated = 0;
    for (const b of v.bbus) if (b.healthy) rated += b.ratedW;
    for (let i = 0; i < v.bbus.length; i++) {
      const b = v.bbus[i]!;
      this.dis[i] = b.healthy && rated > 0 ? (total * b.ratedW) / rated : 0;
    }
  }

  private setMode(to: Mode, atMs: number, why: string): void {
    if (to === this.mode) return;
    this.changes.push({ from: this.mode, to, atMs, why });
    this.mode = to;
  }
}
