/**
 * Training-like square wave with finite edges. Each period starts with a rise of riseMs from
 * lowW to highW; the fall starts duty × periodS after the rise started and also takes riseMs.
 * Analytic, so it costs the same at any rate and any run length.
 */
import type { LoadContext, LoadModel, SwingLoadSpec } from './load-model.js';

/** OURS: GPU training power edges take a few ms (board power controllers, clock ramps). */
export const SWING_DEFAULT_RISE_MS = 10;

class SwingModel implements LoadModel {
  readonly meanW: number;
  readonly peakW: number;
  readonly description: string;
  private readonly low: number;
  private readonly delta: number;
  private readonly period: number;
  private readonly rise: number;
  private readonly highEnd: number;
  private readonly start: number;
  /** Edge offsets within a period, ascending, ending with the next period's start. */
  private readonly edges: readonly number[];

  constructor(spec: SwingLoadSpec, durationS: number) {
    this.low = spec.lowW;
    this.delta = spec.highW - spec.lowW;
    this.period = spec.periodS;
    this.rise = (spec.riseMs ?? SWING_DEFAULT_RISE_MS) / 1000;
    this.highEnd = spec.duty * spec.periodS;
    this.start = spec.startS ?? 0;
    this.edges = [this.rise, this.highEnd, this.highEnd + this.rise, this.period];
    this.meanW = this.integral(durationS) / durationS;
    this.peakW = this.peakOver(durationS);
    this.description =
      `swing ${spec.lowW}–${spec.highW} W, ${spec.periodS} s period, duty ${spec.duty}, ` +
      `${this.rise * 1000} ms edges from ${this.start} s`;
  }

  private phaseOf(tS: number): number {
    const x = tS - this.start;
    return x - Math.floor(x / this.period) * this.period;
  }

  powerAt(tS: number): number {
    if (!(tS >= this.start)) return this.low;
    const p = this.phaseOf(tS);
    const r = this.rise;
    if (p < r) return this.low + (this.delta * p) / r;
    if (p < this.highEnd) return this.low + this.delta;
    if (p < this.highEnd + r) return this.low + this.delta - (this.delta * (p - this.highEnd)) / r;
    return this.low;
  }

  nextBreakS(tS: number): number {
    if (!(tS >= this.start)) return this.start;
    const k = Math.floor((tS - this.start) / this.period);
    // Rounding can misplace tS by a hair around a period boundary, so scan from the period
    // before; the loop returns within two periods.
    for (let period = this.start + (k - 1) * this.period; ; period += this.period) {
      for (const edge of this.edges) {
        const at = period + edge;
        if (at > tS) return at;
      }
    }
  }

  /** ∫ from the period start to phase p of (demand − lowW). */
  private excess(p: number): number {
    const r = this.rise;
    const h = this.highEnd;
    const d = this.delta;
    if (p <= r) return r === 0 ? 0 : (d * p * p) / (2 * r);
    if (p <= h) return d * (p - r / 2);
    if (p <= h + r) {
      const q = p - h;
      return d * (h - r / 2 + q - (q * q) / (2 * r));
    }
    return d * h;
  }

  private integral(durationS: number): number {
    let area = this.low * durationS;
    const active = durationS - this.start;
    if (active > 0) {
      const periods = Math.floor(active / this.period);
      area += periods * this.delta * this.highEnd + this.excess(active - periods * this.period);
    }
    return area;
  }

  private peakOver(durationS: number): number {
    const active = durationS - this.start;
    if (!(active > 0)) return this.low;
    if (active >= this.rise) return this.low + this.delta;
    return this.low + (this.delta * active) / this.rise;
  }
}

export function createSwingModel(spec: SwingLoadSpec, ctx: LoadContext): LoadModel {
  return new SwingModel(spec, ctx.durationS);
}
