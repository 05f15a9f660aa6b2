/**
 * A demand series given by points, held ('step') or interpolated ('linear') between them and
 * held flat outside them. Steps, traces and the inference model all reduce to one of these, so
 * the cursor logic that makes `powerAt` O(1) on monotone queries lives in one place.
 *
 * Two points at the same time make a jump in linear mode; the value at the jump is the later
 * one (right-continuous), as it is in step mode.
 */
import type { LoadModel } from './load-model.js';

export type Interpolation = 'step' | 'linear';

/** Forward walks longer than this fall back to binary search (random access stays O(log n)). */
const MAX_WALK = 8;

/** Largest i with arr[i] <= x, or -1. */
function lastAtOrBefore(arr: Float64Array, x: number): number {
  let lo = -1;
  let hi = arr.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (arr[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface SeriesOptions {
  mode: Interpolation;
  durationS: number;
  description: string;
  /** Linear mode: slope changes closer than this to the previous reported break are not reported. */
  minBreakGapS?: number;
}

export class PiecewiseSeries implements LoadModel {
  readonly meanW: number;
  readonly peakW: number;
  readonly description: string;
  readonly times: Float64Array;
  readonly watts: Float64Array;
  private readonly linear: boolean;
  private readonly breaks: Float64Array;
  private cursor = 0;
  private breakCursor = 0;

  /** times must be non-decreasing and non-empty; the caller validates. */
  constructor(times: ArrayLike<number>, watts: ArrayLike<number>, opts: SeriesOptions) {
    this.linear = opts.mode === 'linear';
    [this.times, this.watts] = compress(times, watts, this.linear);
    this.breaks = findBreaks(this.times, this.watts, this.linear, opts.minBreakGapS ?? 0);
    this.description = opts.description;
    [this.meanW, this.peakW] = this.summarise(opts.durationS);
  }

  get pointCount(): number {
    return this.times.length;
  }

  powerAt(tS: number): number {
    const t = this.times;
    const w = this.watts;
    if (!(tS >= t[0]!)) return w[0]!;
    let i = this.cursor;
    if (tS >= t[i]!) {
      const n = t.length;
      for (let walked = 0; i + 1 < n && t[i + 1]! <= tS; walked++) {
        if (walked === MAX_WALK) {
          i = lastAtOrBefore(t, tS);
          break;
        }
        i++;
      }
    } else {
      i = lastAtOrBefore(t, tS);
    }
    this.cursor = i;
    if (!this.linear || i + 1 >= t.length) return w[i]!;
    const t0 = t[i]!;
    const w0 = w[i]!;
    return w0 + ((w[i + 1]! - w0) * (tS - t0)) / (t[i + 1]! - t0);
  }

  nextBreakS(tS: number): number {
    const b = this.breaks;
    const n = b.length;
    let j = this.breakCursor;
    // Invariant sought: j is the first break > tS.
    if (j > 0 && !(b[j - 1]! <= tS)) {
      j = lastAtOrBefore(b, tS) + 1;
    } else {
      for (let walked = 0; j < n && b[j]! <= tS; walked++) {
        if (walked === MAX_WALK) {
          j = lastAtOrBefore(b, tS) + 1;
          break;
        }
        j++;
      }
    }
    this.breakCursor = j;
    return j < n ? b[j]! : Infinity;
  }

  /** Exact mean and supremum over [0, durationS]. */
  private summarise(durationS: number): [number, number] {
    const t = this.times;
    const w = this.watts;
    const n = t.length;
    let area = 0;
    let peak = -Infinity;
    const piece = (a: number, b: number, wa: number, wb: number): void => {
      // A piece [a, b) with value wa at a, tending linearly to wb at b.
      const lo = Math.max(a, 0);
      const hi = Math.min(b, durationS);
      if (!(hi > lo)) return;
      const at = (x: number): number =>
        b === a || !Number.isFinite(b - a) ? wa : wa + ((wb - wa) * (x - a)) / (b - a);
      const vlo = at(lo);
      const vhi = at(hi);
      area += ((vlo + vhi) / 2) * (hi - lo);
      peak = Math.max(peak, vlo, vhi);
    };
    piece(-Infinity, t[0]!, w[0]!, w[0]!);
    for (let i = 0; i + 1 < n; i++) {
      piece(t[i]!, t[i + 1]!, w[i]!, this.linear ? w[i + 1]! : w[i]!);
    }
    piece(t[n - 1]!, Infinity, w[n - 1]!, w[n - 1]!);
    return [area / durationS, peak];
  }
}

/** Drops points that change nothing, so cursor walks and break lists stay short. */
function compress(
  times: ArrayLike<number>,
  watts: ArrayLike<number>,
  linear: boolean,
): [Float64Array, Float64Array] {
  const n = times.length;
  const t: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const ti = times[i]!;
    const wi = watts[i]!;
    const k = t.length;
    if (!linear) {
      // At the first instant a second value is a jump from the level held before the series.
      if (k > 1 && t[k - 1] === ti) {
        w[k - 1] = wi; // same instant: the later value wins
        if (w[k - 2] === wi) {
          t.pop();
          w.pop();
        }
        continue;
      }
      if (k > 0 && w[k - 1] === wi) continue;
    } else if (k > 1 && t[k - 1] === ti && t[k - 2] === ti) {
      w[k - 1] = wi; // three at one instant: keep the first and the last
      continue;
    } else if (k > 1 && w[k - 1] === wi && w[k - 2] === wi && t[k - 1] !== t[k - 2]) {
      t[k - 1] = ti; // extend a flat run instead of adding a collinear point
      continue;
    }
    t.push(ti);
    w.push(wi);
  }
  return [Float64Array.from(t), Float64Array.from(w)];
}

function findBreaks(
  t: Float64Array,
  w: Float64Array,
  linear: boolean,
  minGapS: number,
): Float64Array {
  const out: number[] = [];
  const n = t.length;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    if (out.length > 0 && out[out.length - 1] === ti) continue;
    if (!linear) {
      if (i > 0) out.push(ti); // in step mode every kept point is a jump
      continue;
    }
    const jump = i + 1 < n && t[i + 1] === ti && w[i + 1] !== w[i];
    const slopeBefore = i > 0 && t[i - 1]! < ti ? (w[i]! - w[i - 1]!) / (ti - t[i - 1]!) : 0;
    const slopeAfter = i + 1 < n && t[i + 1]! > ti ? (w[i + 1]! - w[i]!) / (t[i + 1]! - ti) : 0;
    if (!jump && slopeBefore === slopeAfter) continue;
    // The tolerance keeps points exactly minGapS apart (up to rounding) as separate breaks.
    if (!jump && ti - last < minGapS * (1 - 1e-9)) continue;
    out.push(ti);
    last = ti;
  }
  return Float64Array.from(out);
}
