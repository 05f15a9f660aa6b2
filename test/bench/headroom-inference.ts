/**
 * The inference family's load shape: a window of the inference hour (sim/scenarios/
 * inference-hour.json on the Azure trace) written as a step trace, so that it can be scaled to
 * any sustained level with the trace's `scale`. The window is the one of the hour whose
 * fastest peaks stand highest above its 1-s moving average: the hardest for a power budget.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLoadModel,
  resolveDataPath,
  type InferenceLoadModel,
  type InferenceLoadSpec,
} from '../../sim/load/index.js';
import { LIBRARY_DIR } from './ridethrough-library.js';

/** Seconds the trace holds its first value before the window starts (the gateway starts). */
export const PRE_ROLL_S = 2;

/** A piecewise-constant series: w[i] holds from t[i] to t[i + 1], the last one to the end. */
export interface StepSeries {
  t: ArrayLike<number>;
  w: ArrayLike<number>;
}

/** Index of the last point at or before tS (0 when tS is before the first). */
function indexAt(s: StepSeries, tS: number, from = 0): number {
  let i = Math.max(0, from);
  while (i + 1 < s.t.length && s.t[i + 1]! <= tS) i++;
  return i;
}

/** Samples the series every dtS over [fromS, fromS + lengthS). */
export function sample(s: StepSeries, fromS: number, lengthS: number, dtS: number): Float64Array {
  const n = Math.round(lengthS / dtS);
  const out = new Float64Array(n);
  let i = indexAt(s, fromS);
  for (let k = 0; k < n; k++) {
    i = indexAt(s, fromS + k * dtS, i);
    out[k] = s.w[i]!;
  }
  return out;
}

/** Largest trailing moving average of `windowN` samples (windows fully inside the samples). */
export function movingAverageMax(samples: ArrayLike<number>, windowN: number): number {
  if (windowN < 1 || samples.length < windowN) return NaN;
  let sum = 0;
  for (let k = 0; k < windowN; k++) sum += samples[k]!;
  let best = sum;
  for (let k = windowN; k < samples.length; k++) {
    sum += samples[k]! - samples[k - windowN]!;
    if (sum > best) best = sum;
  }
  return best / windowN;
}

/** The window [off, off + lengthS) of `s` as a series starting at PRE_ROLL_S. */
export function extractWindow(s: StepSeries, offS: number, lengthS: number): StepSeries {
  const t: number[] = [0];
  const w: number[] = [s.w[indexAt(s, offS)]!];
  for (let i = 0; i < s.t.length; i++) {
    const ti = s.t[i]!;
    if (ti <= offS) continue;
    if (ti >= offS + lengthS) break;
    t.push(PRE_ROLL_S + ti - offS);
    w.push(s.w[i]!);
  }
  return { t, w };
}

export interface WindowStats {
  offsetS: number;
  peakW: number;
  ma1sMaxW: number;
  /** peak / 1-s moving-average maximum. */
  ratio: number;
}

/** 1-s moving-average maximum and peak of a series over [0, durationS), 1 ms samples. */
export function windowStats(s: StepSeries, durationS: number, offsetS = 0): WindowStats {
  const x = sample(s, 0, durationS, 0.001);
  let peak = -Infinity;
  for (const v of x) if (v > peak) peak = v;
  // Sub-millisecond spikes are peaks too: take the series' own maximum over the span.
  for (let i = 0; i < s.t.length; i++) if (s.t[i]! < durationS && s.w[i]! > peak) peak = s.w[i]!;
  const ma = movingAverageMax(x, 1000);
  return { offsetS, peakW: peak, ma1sMaxW: ma, ratio: peak / ma };
}

/** The window of `lengthS` (offsets every strideS, after warmS) with the largest peak ratio. */
export function pickWindow(
  s: StepSeries,
  totalS: number,
  lengthS: number,
  strideS: number,
  warmS: number,
): WindowStats {
  let best: WindowStats | null = null;
  for (let off = warmS; off + lengthS <= totalS + 1e-9; off += strideS) {
    const st = windowStats(extractWindow(s, off, lengthS), PRE_ROLL_S + lengthS, off);
    if (best === null || st.ratio > best.ratio) best = st;
  }
  if (best === null) throw new RangeError('no window fits');
  return best;
}

export interface InferenceShape extends WindowStats {
  /** Step-interpolated CSV (time_s, watts) of the window, unscaled; scale = S / ma1sMaxW. */
  file: string;
  lengthS: number;
  points: number;
}

/**
 * Builds the hour on inference-hour.json's parameters, picks the window and writes it to
 * `dir`; null when the request trace is absent.
 */
export function buildInferenceShape(
  sharedDir: string,
  lengthS: number,
  dir: string,
): InferenceShape | null {
  const doc = JSON.parse(readFileSync(join(LIBRARY_DIR, 'inference-hour.json'), 'utf8')) as {
    durationS: number;
    seed: number;
    load: InferenceLoadSpec;
  };
  try {
    readFileSync(resolveDataPath(doc.load.file, LIBRARY_DIR, sharedDir));
  } catch {
    return null;
  }
  const model = createLoadModel(doc.load, {
    seed: doc.seed,
    durationS: doc.durationS,
    baseDir: LIBRARY_DIR,
    sharedDir,
    fieldPath: 'load',
  }) as InferenceLoadModel;
  const hour: StepSeries = { t: model.times, w: model.watts };
  // Offsets every 30 s after a 60 s warm-up (the trace starts on an idle rack).
  const best = pickWindow(hour, doc.durationS, lengthS, 30, 60);
  const win = extractWindow(hour, best.offsetS, lengthS);
  const lines = ['time_s,watts'];
  for (let i = 0; i < win.t.length; i++) lines.push(`${win.t[i]!.toFixed(6)},${win.w[i]!}`);
  const file = join(dir, `inference-window-${best.offsetS}s-${lengthS}s.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return { ...best, file, lengthS, points: win.t.length };
}
