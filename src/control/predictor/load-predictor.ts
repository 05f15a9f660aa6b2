/**
 * The millisecond load predictor of the control loop. Per tick: push(t, W) (NaN = the read
 * failed); then forecast(h) for any h in 0–20 ms, and the step detector's plain fields.
 * O(1) per sample and allocation-free after construction (typed arrays only), so it can run
 * in the real-time worker at 1 kHz.
 *
 * Forecast = trend level + learned gain × trend slope (trend.ts, gains.ts), plus the hinted
 * change while a workload hint — from the north side or from the period tracker — is pending
 * (hint.ts, periodic.ts). Step detection: the observed change over the last detectWindowMs
 * (from the window's extreme) plus the forecast change over detectHorizonMs reaches
 * detectFrac × stepFrac × ratedW. docs/CONTROL-PREDICTOR.md says why each piece is there.
 */
import { WindowExtremes } from './extremes.js';
import { HorizonGains } from './gains.js';
import { HintFeed } from './hint.js';
import {
  MAX_HORIZON_MS,
  resolvePredictorOptions,
  type LoadPredictorOptions,
  type ResolvedPredictorOptions,
} from './options.js';
import { PeriodTracker } from './periodic.js';
import { RiseProfile } from './rise-profile.js';
import { Trend } from './trend.js';

/**
 * A flag re-arms when the windowed change falls below this fraction of the size: a ramp's
 * tail leaving the window crosses the size by up to a sample of slope, and noise rides on it.
 */
const REARM = 0.9;

export class LoadPredictor {
  readonly options: ResolvedPredictorOptions;
  /** The window (with the forecast) still holds a change ≥ the detection size. */
  stepActive = false;
  /** Estimated onset of the last detected step, ms. */
  lastStepAtMs = Number.NaN;
  /** Signed change of the last detected step: observed + forecast at detection, then observed. */
  lastStepDeltaW = 0;
  /** Tick time at which the last step was detected, ms. */
  detectedAtMs = Number.NaN;
  /** Steps detected so far. */
  count = 0;
  /** Pushes so far, and how many carried no valid sample. */
  samples = 0;
  missing = 0;
  /** Time of the last push (valid or not), ms. */
  nowMs = Number.NaN;

  private readonly trend: Trend;
  private readonly gains: HorizonGains;
  private readonly window: WindowExtremes;
  /** Mean rise of all steps (for north-side hints), and the last step's rise per sign. */
  private readonly rise = new RiseProfile();
  private readonly lastRise = [new RiseProfile(1), new RiseProfile(1)] as const;
  private readonly hints: HintFeed;
  private readonly period: PeriodTracker;
  private readonly detectW: number;
  private stepSign = 0;
  private stepBase = 0;
  /** The observed change (without forecast) has reached the size since the flag. */
  private stepSeen = false;
  private bucket = 0;
  /** The newest sample restarted the trend (its slope is one increment). */
  private young = false;
  /** Last expected onset handed to the hint path, per sign, so each is handed over once. */
  private readonly selfHinted = new Float64Array(2);

  constructor(options: LoadPredictorOptions = {}) {
    const o = resolvePredictorOptions(options);
    this.options = o;
    this.trend = new Trend(o);
    this.gains = new HorizonGains(o);
    this.window = new WindowExtremes(o.detectWindowMs);
    this.hints = new HintFeed(o.hintToleranceMs, this.rise);
    this.period = new PeriodTracker(o.periodTolerance);
    this.detectW = o.detectFrac * o.stepFrac * o.ratedW;
  }

  /** Estimated load now (the trend level extrapolated to the last push), W. */
  get levelW(): number {
    const tr = this.trend;
    return tr.level + tr.slope * (this.nowMs - tr.tValid);
  }
  get slopeWPerMs(): number {
    return this.trend.slope;
  }
  /** 1 σ of the measurement noise as learned from quiet samples, W. */
  get noiseW(): number {
    return this.trend.sigma;
  }
  /** The trend is inside a transient (any size). */
  get transient(): boolean {
    return this.trend.transient;
  }
  /** A hint (north-side or periodic) is shaping the forecasts. */
  get hintPending(): boolean {
    return this.hints.pending;
  }

  push(tMs: number, loadW: number): void {
    this.samples++;
    this.nowMs = tMs;
    if (!(loadW === loadW) || !Number.isFinite(loadW)) {
      this.missing++;
      return;
    }
    const tr = this.trend;
    tr.update(tMs, loadW);
    this.young = tr.transient && tr.tValid === tr.resetMs;
    const slopeFrac = tr.slope / this.options.ratedW;
    this.bucket = HorizonGains.bucket(tr.transient, tr.resetKind, tMs - tr.resetMs, slopeFrac);
    this.gains.observe(tMs, loadW, tr.level, tr.slope, this.bucket);
    this.window.push(tMs, tr.level);
    if (tr.endedNow && this.stepActive) this.settleStep();
    this.hints.follow(tr, tMs);
    if (this.hints.missed && this.hints.self) this.period.forget(this.hints.deltaW > 0 ? 0 : 1);
    this.detect(tMs);
    if (this.options.periodTolerance > 0 && !this.hints.pending) this.selfHint(tMs);
  }

  /**
   * Forecast of the load horizonMs after the last push, W. Any horizon ≥ 0 is answered; the
   * gains are learned up to 20 ms and scaled beyond. NaN until the first valid sample.
   */
  forecast(horizonMs: number): number {
    const tr = this.trend;
    const h = Math.max(0, horizonMs) + (this.nowMs - tr.tValid);
    const inc = this.gains.gain(this.bucket, h) * tr.slope;
    if (!this.hints.pending) return tr.level + inc;
    return tr.level + this.hints.increment(inc, tr, this.nowMs + horizonMs, this.young);
  }

  /**
   * A workload hint: the load will change by deltaW about leadMs after nowMs, rising linearly
   * over rampMs when the sender knows it (a scheduler's power model does; omitted, NaN or
   * negative = unknown, and the learned mean rise stands in). Replaces any pending hint
   * (hint.ts says how it shapes the forecasts and when it is dropped).
   */
  hint(deltaW: number, leadMs: number, nowMs: number, rampMs?: number): void {
    if (!Number.isFinite(deltaW) || !Number.isFinite(leadMs) || deltaW === 0) return;
    const ramp = rampMs !== undefined && Number.isFinite(rampMs) && rampMs >= 0 ? rampMs : NaN;
    this.hints.set(deltaW, nowMs + Math.max(0, leadMs), false, this.rise, ramp);
  }

  /** A detected step has settled: learn its rise (timed from its hint if one announced it). */
  private settleStep(): void {
    const tr = this.trend;
    const delta = tr.level - tr.baseW;
    if (Math.abs(delta) < 0.5 * this.detectW) return;
    // Periods are differences of onsets: the settled step gives its sub-ms ramp fit.
    if (tr.onsetMs >= this.lastStepAtMs) this.period.refine(delta > 0 ? 0 : 1, tr.rampOnsetMs);
    // Timed from the hint if one announced the step, so the profile absorbs hint lateness.
    const h = this.hints;
    const engaged = h.pending && h.engaged;
    const onset = engaged ? h.atMs : tr.rampOnsetMs;
    if (engaged && !h.self) h.lateness.learn(tr.rampOnsetMs - h.atMs);
    if (!engaged || !h.self) this.rise.learn(this.window, onset, tr.baseW, delta);
    this.lastRise[delta > 0 ? 0 : 1]!.learn(this.window, onset, tr.baseW, delta);
  }

  /** Hand the period tracker's next expected step to the hint path, once it is in range. */
  private selfHint(t: number): void {
    for (let sign = 0; sign < 2; sign++) {
      const next = this.period.nextOnset(sign);
      if (!(next > t && next - t <= MAX_HORIZON_MS + 5) || next === this.selfHinted[sign]) continue;
      this.selfHinted[sign] = next;
      this.hints.set(this.period.lastDeltaW(sign), next, true, this.lastRise[sign]!);
      return;
    }
  }

  private detect(t: number): void {
    const tr = this.trend;
    const w = this.window;
    // The forecast joins the observed change only where it has been validated on this rack
    // (and, with detectFirstIncrement off, not on a ramp's first increment, which a lone jump
    // resembles); it still sizes the step reported.
    const hd = this.options.detectHorizonMs;
    const trusted = this.gains.trusted(this.bucket, hd);
    const inc = trusted ? this.gains.gain(this.bucket, hd) * tr.slope : 0;
    const useInc = this.young && !this.options.detectFirstIncrement ? 0 : inc;
    const up = tr.level + Math.max(0, useInc) - w.min;
    const down = w.max - tr.level - Math.min(0, useInc);
    const thr = this.detectW;
    if (up >= thr && this.stepSign <= 0 && up >= down) {
      this.flag(t, 1, w.min, w.minAtMs, up + Math.max(0, inc - useInc));
    } else if (down >= thr && this.stepSign >= 0 && down > up) {
      this.flag(t, -1, w.max, w.maxAtMs, -down + Math.min(0, inc - useInc));
    } else if (this.stepActive) {
      const observed = tr.level - this.stepBase;
      if (Math.abs(observed) > Math.abs(this.lastStepDeltaW)) {
        this.lastStepDeltaW = observed;
        this.period.update(observed);
      }
      const seen = this.stepSign > 0 ? tr.level - w.min : w.max - tr.level;
      if (seen >= thr) this.stepSeen = true;
      // Re-armed once the window no longer holds the change (the rule the bench's truth
      // uses too, less REARM against chatter at the edge), so a second step right after the
      // first is flagged on its own; a flag the forecast raised early holds until the change
      // is seen or the transient is over.
      if ((this.stepSign > 0 ? up : down) < REARM * thr && (this.stepSeen || !tr.transient)) {
        this.stepActive = false;
        this.stepSign = 0;
      }
    }
  }

  private flag(t: number, sign: number, base: number, extremeAtMs: number, delta: number): void {
    const tr = this.trend;
    this.stepActive = true;
    this.stepSign = sign;
    this.stepBase = base;
    this.stepSeen = sign * (tr.level - base) >= this.detectW;
    // The transient's start when it began inside the window (noise-proof), else the extreme.
    this.lastStepAtMs = tr.transient && tr.onsetMs >= extremeAtMs ? tr.onsetMs : extremeAtMs;
    this.lastStepDeltaW = delta;
    this.detectedAtMs = t;
    this.count++;
    this.period.record(this.lastStepAtMs, delta);
  }
}
