/**
 * Level + slope of the load: a two-state Kalman filter (local linear trend) on irregular
 * sample times, restarted by shocks. A jump or a new ramp shows as an innovation far outside
 * the noise (one sample, `shockSigma`) or as a run of small one-sided innovations (CUSUM);
 * either restarts the trend from the newest sample with the slope of the last increment, so
 * the filter follows a ramp from its second sample instead of converging over tens of ms.
 * Quiet data keep it smooth. The transient context (since when, how old the last restart is)
 * is what the learned gains are keyed on.
 */
import type { ResolvedPredictorOptions } from './options.js';

/** Level diffusion per ms and slope diffusion per ms³, in units of the noise variance. */
const LEVEL_Q = 0.05;
const SLOPE_Q = 0.001;
/** |Δy| of quiet samples feeds the noise estimate over this many samples. */
const NOISE_SPAN = 256;
/** √π / 2: σ of N(0, σ²) noise from the mean |Δy| of two independent samples (E|Δy| = 2σ/√π). */
const ABS_TO_SIGMA = 0.886;

export const RESET_ONSET = 0;
export const RESET_BEND = 1;

export class Trend {
  level = Number.NaN;
  /** W per ms. */
  slope = 0;
  /** Time of the last valid sample, ms. */
  tValid = Number.NaN;
  sigma: number;
  transient = false;
  /** Estimated start of the current (or last) transient, ms: the last sample before it. */
  onsetMs = Number.NaN;
  /** Level just before the transient started. */
  baseW = Number.NaN;
  /**
   * Onset of the transient's first ramp to sub-ms: the ramp extrapolated back along its slope
   * to baseW once two increments fixed the slope; until then the middle of the interval.
   */
  rampOnsetMs = Number.NaN;
  /** Start and kind of the current ramp: RESET_ONSET (rising from quiet) or RESET_BEND. */
  resetMs = Number.NaN;
  resetKind = RESET_ONSET;
  /** Last time the load visibly moved (large innovation or slope), ms. */
  movedMs = Number.NaN;
  /** Set by update() on the sample that ended a transient; cleared on the next update. */
  endedNow = false;

  /** Sample time of the last restart (refine included). */
  private lastRestartMs = Number.NaN;
  private p11 = 0;
  private p12 = 0;
  private p22 = 0;
  private yPrev = Number.NaN;
  private absDiff = 0;
  private noiseN = 0;
  private gPos = 0;
  private gNeg = 0;
  private gPosFrom = Number.NaN;
  private gNegFrom = Number.NaN;
  private levelAtPos = 0;
  private levelAtNeg = 0;
  private readonly floor: number;

  constructor(private readonly o: ResolvedPredictorOptions) {
    this.floor = o.noiseFloorFrac * o.ratedW;
    this.sigma = this.floor;
  }

  /** One valid sample y at t (ms). */
  update(t: number, y: number): void {
    this.endedNow = false;
    if (!(this.level === this.level)) {
      this.restartAt(t, y, 0, RESET_ONSET, t);
      this.transient = false;
      return;
    }
    const dt = Math.max(1e-3, t - this.tValid);
    const s2 = this.sigma * this.sigma;
    // Predict.
    const p11 = this.p11 + dt * (2 * this.p12 + dt * this.p22) + LEVEL_Q * s2 * dt;
    const p12 = this.p12 + dt * this.p22 + 0.5 * SLOPE_Q * s2 * dt * dt;
    const p22 = this.p22 + SLOPE_Q * s2 * dt;
    const pred = this.level + this.slope * dt;
    const nu = y - pred;
    const sNu = p11 + s2;
    const u = nu / Math.sqrt(sNu);
    this.learnNoise(y, dt);
    if (u > this.o.shockSigma || u < -this.o.shockSigma) {
      this.shock(t, y, (y - this.yPrev) / dt, this.tValid);
      return;
    }
    // CUSUM on the normalised innovation, for changes too slow to shock in one sample.
    const k = this.o.cusumDrift;
    if (this.gPos === 0) {
      this.gPosFrom = this.tValid;
      this.levelAtPos = this.level;
    }
    if (this.gNeg === 0) {
      this.gNegFrom = this.tValid;
      this.levelAtNeg = this.level;
    }
    this.gPos = Math.max(0, this.gPos + u - k);
    this.gNeg = Math.max(0, this.gNeg - u - k);
    if (this.gPos > this.o.cusumAlarm || this.gNeg > this.o.cusumAlarm) {
      const pos = this.gPos > this.o.cusumAlarm;
      const from = pos ? this.gPosFrom : this.gNegFrom;
      const base = pos ? this.levelAtPos : this.levelAtNeg;
      this.shock(t, y, (y - base) / Math.max(1, t - from), from);
      return;
    }
    // Kalman update.
    const k1 = p11 / sNu;
    const k2 = p12 / sNu;
    this.level = pred + k1 * nu;
    this.slope += k2 * nu;
    this.p11 = (1 - k1) * p11;
    this.p12 = (1 - k1) * p12;
    this.p22 = p22 - k2 * p12;
    this.yPrev = y;
    this.tValid = t;
    if (this.transient && this.resetKind === RESET_ONSET) this.fitOnset(t);
    if (u > 3 || u < -3 || Math.abs(this.slope) > 3 * this.sigma) this.movedMs = t;
    if (
      this.transient &&
      t - this.resetMs >= this.o.quietMs &&
      t - this.movedMs >= this.o.quietMs &&
      Math.abs(this.slope) * this.o.quietMs < 3 * this.sigma
    ) {
      this.transient = false;
      this.endedNow = true;
    }
  }

  /**
   * Restart the trend from (t, y) with the given slope; `from` = last time before the change.
   * Right after a restart, a steeper slope of the same sign refines the ramp under way (its
   * first increment was partial: the onset fell inside the sample interval), so the ramp
   * keeps its age; anything else bends it and starts a new age.
   */
  private shock(t: number, y: number, slope: number, from: number): void {
    if (!this.transient) {
      this.transient = true;
      this.onsetMs = from;
      this.rampOnsetMs = 0.5 * (from + t);
      this.baseW = this.level;
      this.restartAt(t, y, slope, RESET_ONSET, t);
    } else if (
      slope * this.slope > 0 &&
      Math.abs(slope) >= Math.abs(this.slope) &&
      this.lastRestartMs === this.tValid
    ) {
      this.restartAt(t, y, slope, this.resetKind, this.resetMs);
      if (this.resetKind === RESET_ONSET) this.fitOnset(t);
    } else {
      this.restartAt(t, y, slope, RESET_BEND, t);
    }
    this.movedMs = t;
  }

  private restartAt(t: number, y: number, slope: number, kind: number, resetMs: number): void {
    const s2 = this.sigma * this.sigma;
    this.level = y;
    this.slope = slope;
    this.p11 = s2;
    this.p12 = 0;
    // The slope of one increment is uncertain by as much as itself.
    this.p22 = slope * slope + 2 * s2;
    this.yPrev = y;
    this.tValid = t;
    this.resetMs = resetMs;
    this.resetKind = kind;
    this.lastRestartMs = t;
    this.gPos = 0;
    this.gNeg = 0;
  }

  private fitOnset(t: number): void {
    const rise = this.level - this.baseW;
    if (!(rise * this.slope > 0)) return;
    this.rampOnsetMs = Math.min(t, Math.max(this.onsetMs, t - rise / this.slope));
  }

  /** Noise σ from |Δy| of consecutive quiet samples; jumps are kept out by the 8 σ gate. */
  private learnNoise(y: number, dt: number): void {
    if (this.transient || dt > 1.5) return;
    const d = Math.abs(y - this.yPrev);
    if (d > 8 * this.sigma && this.noiseN > 16) return;
    this.noiseN++;
    this.absDiff += (d - this.absDiff) / Math.min(this.noiseN, NOISE_SPAN);
    this.sigma = Math.max(this.floor, ABS_TO_SIGMA * this.absDiff);
  }
}
