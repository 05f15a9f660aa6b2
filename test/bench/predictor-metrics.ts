/**
 * bench:predictor scoring, pure so that the unit tests check it on hand-computed cases:
 * forecast error accumulators, the error ratio against persistence, and the matching of
 * detections to true steps (recall, latency, false alarms).
 */
import { percentile } from './fleet-stats.js';

/** Running RMS and MAE of forecast errors. */
export class ErrorStats {
  n = 0;
  sumSq = 0;
  sumAbs = 0;
  add(forecast: number, truth: number): void {
    const e = forecast - truth;
    this.n++;
    this.sumSq += e * e;
    this.sumAbs += Math.abs(e);
  }
  get rms(): number {
    return this.n === 0 ? Number.NaN : Math.sqrt(this.sumSq / this.n);
  }
  get mae(): number {
    return this.n === 0 ? Number.NaN : this.sumAbs / this.n;
  }
}

/** RMS of `model` over RMS of `reference` on the same samples (< 1: better than reference). */
export function errorRatio(model: ErrorStats, reference: ErrorStats): number {
  return model.rms / reference.rms;
}

export interface StepRef {
  onsetMs: number;
  deltaW: number;
}

export interface Detection {
  /** Tick time at which the detector flagged the step. */
  atMs: number;
  /** Signed change the detector reports (only its sign is used). */
  deltaW: number;
}

export interface MatchResult {
  steps: number;
  hits: number;
  recall: number;
  /** Detection time − true onset of every hit, ascending. */
  latenciesMs: Float64Array;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  detections: number;
  /** Detections with no true step whose onset lies in [atMs − windowMs, atMs]. */
  falseAlarms: number;
}

/** Per step, the index of the detection matched to it (see matchDetections), or −1. */
function matchIndices(
  steps: readonly StepRef[],
  detections: readonly Detection[],
  windowMs: number,
): Int32Array {
  const used = new Uint8Array(detections.length);
  const hit = new Int32Array(steps.length).fill(-1);
  let first = 0;
  steps.forEach((s, i) => {
    while (first < detections.length && detections[first]!.atMs < s.onsetMs) first++;
    for (let j = first; j < detections.length; j++) {
      const d = detections[j]!;
      if (d.atMs > s.onsetMs + windowMs) break;
      if (used[j] === 0 && Math.sign(d.deltaW) === Math.sign(s.deltaW)) {
        used[j] = 1;
        hit[i] = j;
        break;
      }
    }
  });
  return hit;
}

/**
 * A step is detected when a detection of its sign falls in [onset, onset + windowMs]; the first
 * such detection not already used by an earlier step counts, its latency is atMs − onset. A
 * detection is a false alarm when no true step (of either sign) has its onset in
 * [atMs − windowMs, atMs] — a second detection inside a real step's window is not one.
 * Both lists must be ascending in time.
 */
export function matchDetections(
  steps: readonly StepRef[],
  detections: readonly Detection[],
  windowMs: number,
): MatchResult {
  const hit = matchIndices(steps, detections, windowMs);
  const lat: number[] = [];
  steps.forEach((s, i) => {
    if (hit[i]! >= 0) lat.push(detections[hit[i]!]!.atMs - s.onsetMs);
  });
  let falseAlarms = 0;
  let k = 0;
  for (const d of detections) {
    while (k < steps.length && steps[k]!.onsetMs < d.atMs - windowMs) k++;
    if (!(k < steps.length && steps[k]!.onsetMs <= d.atMs)) falseAlarms++;
  }
  const sorted = Float64Array.from(lat).sort();
  return {
    steps: steps.length,
    hits: lat.length,
    recall: steps.length === 0 ? Number.NaN : lat.length / steps.length,
    latenciesMs: sorted,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    detections: detections.length,
    falseAlarms,
  };
}

export function perHour(count: number, durationS: number): number {
  return (count * 3600) / durationS;
}

/**
 * When each true step became a step of the detection size: the first time, on a `resolutionMs`
 * grid from its onset, the true load stands ≥ `sizeW` away from its level just before the
 * onset (onset + rise when it never does). A ramp is not yet a 10 % step while it has moved
 * 3 %: no detector, however good, can say so sooner without foresight.
 */
export function crossingTimesMs(
  steps: readonly (StepRef & { riseMs: number })[],
  truthAtMs: (tMs: number) => number,
  sizeW: number,
  resolutionMs = 0.05,
): Float64Array {
  const out = new Float64Array(steps.length);
  steps.forEach((s, i) => {
    const before = truthAtMs(s.onsetMs - 0.001);
    const end = s.onsetMs + s.riseMs;
    let k = 0;
    let t = s.onsetMs;
    while (t < end && Math.abs(truthAtMs(t) - before) < sizeW) t = s.onsetMs + ++k * resolutionMs;
    out[i] = Math.min(t, end);
  });
  return out;
}

/**
 * Latency of each detected step measured from `refMs[i]` instead of its onset, with the same
 * matching as matchDetections (a detection of the step's sign in [onset, onset + windowMs],
 * first unused); negative when the detector flagged it before the reference (forecast). Ascending.
 */
export function latenciesFrom(
  steps: readonly StepRef[],
  refMs: Float64Array,
  detections: readonly Detection[],
  windowMs: number,
): Float64Array {
  const hit = matchIndices(steps, detections, windowMs);
  const lat: number[] = [];
  steps.forEach((_, i) => {
    if (hit[i]! >= 0) lat.push(detections[hit[i]!]!.atMs - refMs[i]!);
  });
  return Float64Array.from(lat).sort();
}
