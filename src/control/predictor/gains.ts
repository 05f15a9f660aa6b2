/**
 * Learned horizon gains: the forecast is level + G(context, h) × slope, and G is fitted online
 * by least squares (with forgetting) on what the load really did h ms after each sample.
 * The context is how old the trend's last restart is and whether it started a transient or
 * bent one, so G learns e.g. that one increment right after a jump is rarely a ramp, how long
 * ramps of this rack usually last, and that a quiet slope is mostly noise. With no data yet,
 * G is its prior: h (extrapolate), except 0 after a bend and on a ramp's first increment.
 */
import { HISTORY, MAX_HORIZON_MS, type ResolvedPredictorOptions } from './options.js';
import { RESET_ONSET } from './trend.js';

/** Horizons the gains are learned at, ms; in between they are interpolated. */
const GRID = Float64Array.of(1, 2, 3, 5, 7, 10, 14, MAX_HORIZON_MS);
const NH = GRID.length;
/** Upper edges of the age bins (ms since the ramp began or bent); the last bin is open. */
const AGE_EDGES = Float64Array.of(
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  10,
  12,
  14,
  16,
  20,
  24,
  28,
  32,
  40,
  48,
  56,
  64,
);
const NAGE = AGE_EDGES.length + 1;
/** Upper edges of the slope bins, fraction of ratedW per ms; a jump's one increment is steep. */
const SLOPE_EDGES = Float64Array.of(0.005, 0.015, 0.04, 0.1);
const NSLOPE = SLOPE_EDGES.length + 1;
/** Bins: restart kind × age × slope, then one for "no transient". */
export const QUIET_BUCKET = 2 * NAGE * NSLOPE;
const NB = QUIET_BUCKET + 1;
const MASK = HISTORY - 1;
/** Outcomes a cell needs before the step detector relies on its forecast. */
const MIN_EVIDENCE = 20;

export class HorizonGains {
  private readonly sxx = new Float64Array(NB * NH);
  private readonly sxy = new Float64Array(NB * NH);
  /** Outcomes seen per cell (with the same forgetting). */
  private readonly seen = new Float64Array(NB * NH);
  private readonly prior = new Float64Array(NB * NH);
  private readonly priorW: number;
  private readonly lambda: number;
  // History of anchors (time, level, slope, bucket) waiting for their outcome.
  private readonly hT = new Float64Array(HISTORY);
  private readonly hL = new Float64Array(HISTORY);
  private readonly hS = new Float64Array(HISTORY);
  private readonly hB = new Int16Array(HISTORY);
  private head = 0;
  /** Per grid horizon: index of the oldest anchor not yet paired. */
  private readonly cursor = new Int32Array(NH);

  constructor(o: ResolvedPredictorOptions) {
    const s0 = 0.01 * o.ratedW;
    this.priorW = o.gainPriorWeight * s0 * s0;
    this.lambda = o.gainForgetting;
    for (let b = 0; b < NB; b++) {
      // Prior: extrapolate, except a single increment (age 0 of a ramp or bend) and a bend.
      const young = b < QUIET_BUCKET && Math.floor(b / NSLOPE) % NAGE === 0;
      const bend = b < QUIET_BUCKET && b >= NAGE * NSLOPE;
      for (let j = 0; j < NH; j++) this.prior[b * NH + j] = young || bend ? 0 : GRID[j]!;
    }
  }

  static bucket(transient: boolean, kind: number, ageMs: number, slopeFrac: number): number {
    if (!transient) return QUIET_BUCKET;
    let a = 0;
    while (a < AGE_EDGES.length && ageMs >= AGE_EDGES[a]!) a++;
    let m = 0;
    const s = Math.abs(slopeFrac);
    while (m < SLOPE_EDGES.length && s >= SLOPE_EDGES[m]!) m++;
    return ((kind === RESET_ONSET ? 0 : NAGE) + a) * NSLOPE + m;
  }

  /** G(bucket, h) for any h ≥ 0 (linear between grid points, proportional beyond them). */
  gain(bucket: number, h: number): number {
    const row = bucket * NH;
    if (h <= GRID[0]!) return this.cell(row) * (h / GRID[0]!);
    if (h >= GRID[NH - 1]!) return this.cell(row + NH - 1) * (h / GRID[NH - 1]!);
    let j = 1;
    while (GRID[j]! < h) j++;
    const h0 = GRID[j - 1]!;
    const w = (h - h0) / (GRID[j]! - h0);
    return this.cell(row + j - 1) * (1 - w) + this.cell(row + j) * w;
  }

  /**
   * Whether G(bucket, h) rests on evidence (≥ MIN_EVIDENCE outcomes at the grid horizon at or
   * above h) rather than on its prior: a rack that never ramps never trains its ramp cells.
   */
  trusted(bucket: number, h: number): boolean {
    let j = 0;
    while (j < NH - 1 && GRID[j]! < h) j++;
    return this.seen[bucket * NH + j]! >= MIN_EVIDENCE;
  }

  private cell(i: number): number {
    return (this.sxy[i]! + this.priorW * this.prior[i]!) / (this.sxx[i]! + this.priorW);
  }

  /**
   * One valid sample y at t: first pair it with the anchors whose horizon it closes (within
   * ±0.5 ms of jitter), then store this sample's own anchor.
   */
  observe(t: number, y: number, level: number, slope: number, bucket: number): void {
    const head = this.head;
    for (let j = 0; j < NH; j++) {
      const h = GRID[j]!;
      let c = this.cursor[j]!;
      if (c < head - HISTORY) c = head - HISTORY;
      while (c < head) {
        const i = c & MASK;
        const target = this.hT[i]! + h;
        if (target > t + 0.5) break;
        c++;
        if (target >= t - 0.5) this.learn(this.hB[i]!, j, this.hS[i]!, y - this.hL[i]!);
      }
      this.cursor[j] = c;
    }
    const i = head & MASK;
    this.hT[i] = t;
    this.hL[i] = level;
    this.hS[i] = slope;
    this.hB[i] = bucket;
    this.head = head + 1;
  }

  private learn(bucket: number, j: number, s: number, z: number): void {
    const i = bucket * NH + j;
    const l = this.lambda;
    this.sxx[i] = l * this.sxx[i]! + s * s;
    this.sxy[i] = l * this.sxy[i]! + s * z;
    this.seen[i] = l * this.seen[i]! + 1;
  }
}
