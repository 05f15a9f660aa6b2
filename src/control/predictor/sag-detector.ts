/**
 * AC sag / loss / return detector on the PSUs' READ_VIN (V rms as LINEAR11 on the wire).
 * States: normal (≥ returnPu), sag (< sagPu: PSUs may derate, the event the PFAPR clock is
 * about), loss (< lossVac: below the PFC cut-off, PSUs run on hold-up and drop out in ~20 ms).
 * Every transition needs `confirmSamples` consecutive valid samples on the new side, so one
 * noisy reading never flips it; a failed read (NaN) neither counts nor breaks a run. With the
 * default 2 a sag is flagged on the second sample below 0.9 p.u., i.e. 1 ms after the first
 * sample showing it at 1 kHz (2 ms if one read in between failed).
 * READ_VIN is an RMS that lags the input (a first-order lag of about a half cycle). With
 * `vinTauMs` set, each reading's rate of change is turned into the input it implies under that
 * lag (the early warning): the states are judged on the lower of the reading and the implied
 * input, so a fall is seen as soon as the RMS starts falling steeply, and a return never
 * earlier than the reading shows it. The implied input amplifies reading noise ~12-fold, so
 * it counts only EARLY_SIGMA of its own noise (learned from steady readings) below the reading.
 * Onset fields hold the first sample of the confirming run; detected fields the flag time.
 */
import { ErrorCode, Orv3Error } from '../../errors.js';

/**
 * The implied input must lie this many of its noise σ below the reading to count: two
 * consecutive samples beyond 4 σ are rarer than 1e-9 (their noises are anti-correlated), and
 * deep sags (implied ≈ 0) stay early unless the readings are very noisy (at 1 V σ the margin
 * is ~47 V).
 */
const EARLY_SIGMA = 4;
/** Steady reading steps feed the noise estimate over this many samples. */
const NOISE_SPAN = 256;
/** √π / 2: σ of N(0, σ²) noise from the mean |Δ| of two independent samples. */
const ABS_TO_SIGMA = 0.886;

export type SagState = 'normal' | 'sag' | 'loss';

export interface SagDetectorOptions {
  /** Nominal line voltage, V rms (default 277: HPR shelves, line to neutral). */
  nominalVac?: number;
  /** Below this many p.u. the AC is sagging (default 0.9). */
  sagPu?: number;
  /** Back at or above this many p.u. the AC has returned (default 0.9, the PFAPR definition). */
  returnPu?: number;
  /** Below this the PFCs cut out: AC lost for the PSUs, V rms (default 180, the PSU fact). */
  lossVac?: number;
  /** Consecutive valid samples that confirm a transition (default 2). */
  confirmSamples?: number;
  /**
   * Time constant of READ_VIN's RMS lag, ms; > 0 turns on the early warning (the input implied
   * by the reading's rate of change), 0 judges the readings alone (default 0). The simulator's
   * PSUs lag by 8.33 ms (sim/params.ts vinMeasureTauMs); real PSUs must be measured first.
   */
  vinTauMs?: number;
}

export const SAG_DEFAULTS: Readonly<Required<SagDetectorOptions>> = Object.freeze({
  nominalVac: 277,
  sagPu: 0.9,
  returnPu: 0.9,
  lossVac: 180,
  confirmSamples: 2,
  vinTauMs: 0,
});

export class SagDetector {
  state: SagState = 'normal';
  sagOnsetMs = Number.NaN;
  sagDetectedAtMs = Number.NaN;
  lossOnsetMs = Number.NaN;
  lossDetectedAtMs = Number.NaN;
  returnOnsetMs = Number.NaN;
  returnDetectedAtMs = Number.NaN;
  /** Sag events (normal → sag or loss) so far. */
  events = 0;
  /** Lowest valid reading since the current (or last) event began, V. */
  minVac = Number.NaN;
  lastVac = Number.NaN;
  /** The AC input the states were judged on last: the reading, or lower when it falls fast. */
  judgedVac = Number.NaN;
  /** READ_VIN noise (1 σ) learned from steady readings, V (with vinTauMs only). */
  noiseV = 0;
  samples = 0;
  missing = 0;

  private readonly sagV: number;
  private readonly returnV: number;
  private readonly lossV: number;
  private readonly n: number;
  private readonly tauMs: number;
  private lastAtMs = Number.NaN;
  private absDiff = 0;
  private noiseN = 0;
  // Runs of consecutive valid samples: below sagV, below lossV, at/above lossV, at/above returnV.
  private below = 0;
  private belowFrom = Number.NaN;
  private belowMin = Number.NaN;
  private lost = 0;
  private lostFrom = Number.NaN;
  private held = 0;
  private back = 0;
  private backFrom = Number.NaN;

  constructor(options: SagDetectorOptions = {}) {
    const o = { ...SAG_DEFAULTS };
    for (const [k, v] of Object.entries(options)) {
      if (v !== undefined) (o as Record<string, number>)[k] = v as number;
    }
    const ok =
      o.nominalVac > 0 &&
      o.sagPu > 0 &&
      o.sagPu < 1 &&
      o.returnPu >= o.sagPu &&
      o.returnPu <= 1 &&
      o.lossVac >= 0 &&
      o.lossVac < o.sagPu * o.nominalVac &&
      Number.isInteger(o.confirmSamples) &&
      o.confirmSamples >= 1 &&
      o.vinTauMs >= 0 &&
      Number.isFinite(o.vinTauMs);
    if (!ok) {
      throw new Orv3Error(ErrorCode.PredictorBadOptions, 'sag detector options cannot work', o);
    }
    this.sagV = o.sagPu * o.nominalVac;
    this.returnV = o.returnPu * o.nominalVac;
    this.lossV = o.lossVac;
    this.n = o.confirmSamples;
    this.tauMs = o.vinTauMs;
  }

  push(tMs: number, acVrms: number): void {
    this.samples++;
    if (!Number.isFinite(acVrms)) {
      this.missing++;
      return;
    }
    const v = this.judge(tMs, acVrms);
    this.lastVac = acVrms;
    this.judgedVac = v;
    if (v < this.sagV) {
      if (this.below++ === 0) {
        this.belowFrom = tMs;
        this.belowMin = acVrms;
      } else if (acVrms < this.belowMin) this.belowMin = acVrms;
    } else this.below = 0;
    if (v < this.lossV) {
      if (this.lost++ === 0) this.lostFrom = tMs;
      this.held = 0;
    } else {
      this.lost = 0;
      this.held++;
    }
    if (v >= this.returnV) {
      if (this.back++ === 0) this.backFrom = tMs;
    } else this.back = 0;
    if (this.state !== 'normal' && acVrms < this.minVac) this.minVac = acVrms;

    const n = this.n;
    if (this.state === 'normal') {
      if (this.below < n) return;
      this.events++;
      this.sagOnsetMs = this.belowFrom;
      this.sagDetectedAtMs = tMs;
      this.minVac = this.belowMin;
      this.state = 'sag';
    } else if (this.back >= n) {
      this.returnOnsetMs = this.backFrom;
      this.returnDetectedAtMs = tMs;
      this.state = 'normal';
      return;
    }
    if (this.state === 'sag' && this.lost >= n) {
      this.lossOnsetMs = this.lostFrom;
      this.lossDetectedAtMs = tMs;
      this.state = 'loss';
    } else if (this.state === 'loss' && this.held >= n) {
      this.state = 'sag';
    }
  }

  /**
   * The voltage a valid reading is judged on. Under a first-order lag of τ the mean square
   * moves towards the input's by the factor g = 1 − e^(−dt/τ) per interval, so the input's
   * square is the previous reading's plus the change divided by g (exact while the input is
   * steady over the interval). Reading noise σ reaches the implied input as σ·√((1 − 1/g)² +
   * 1/g²) (≈ 12 σ at 1 ms and τ = 8.33 ms); the implied input plus EARLY_SIGMA of that is
   * judged when it is below the reading.
   */
  private judge(tMs: number, v: number): number {
    const prev = this.lastVac;
    const dt = tMs - this.lastAtMs;
    this.lastAtMs = tMs;
    if (!(this.tauMs > 0) || !(dt > 0) || !(prev === prev)) return v;
    if (this.state === 'normal') this.learnNoise(Math.abs(v - prev));
    const g = 1 - Math.exp(-dt / this.tauMs);
    const sq = prev * prev + (v * v - prev * prev) / g;
    const implied = sq <= 0 ? 0 : Math.sqrt(sq);
    const spread = this.noiseV * Math.hypot(1 - 1 / g, 1 / g);
    return Math.min(v, implied + EARLY_SIGMA * spread);
  }

  /** Noise σ from |Δ| of consecutive readings at normal; a fall is kept out by the 8 σ gate. */
  private learnNoise(d: number): void {
    if (d > 8 * this.noiseV && this.noiseN > 16) return;
    this.noiseN++;
    this.absDiff += (d - this.absDiff) / Math.min(this.noiseN, NOISE_SPAN);
    this.noiseV = ABS_TO_SIGMA * this.absDiff;
  }
}
