/**
 * bench:predictor load families, built with the simulator's own load generators (sim/load):
 * step-heavy (the `steps` kind), training swings (the `swing` kind, one segment per period) and
 * the inference hour (the `inference` kind from sim/scenarios/inference-hour.json). Each family
 * knows its truth as a LoadModel factory (one instance per consumer keeps every cursor
 * monotone), every onset of a change (what no causal forecaster can know beforehand) and the
 * true steps ≥ the detection size with their onset, delta and rise.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLoadModel,
  PiecewiseSeries,
  type InferenceLoadModel,
  type LoadModel,
  type LoadStep,
} from '../../sim/load/index.js';
import { createScenarioLoadModel, loadScenarioFile } from '../../sim/scenario/index.js';
import { Rng } from '../../sim/rng.js';

export interface TrueStep {
  onsetMs: number;
  deltaW: number;
  riseMs: number;
}

export interface Family {
  name: string;
  ratedW: number;
  psus: number;
  psuRatedW: number;
  durationS: number;
  /** A fresh truth model (demanded W at scenario seconds); cheap, call once per consumer. */
  truth(): LoadModel;
  /** Start of every change of the truth (ms, ascending): the limit of causal foresight. */
  onsetsMs: Float64Array;
  /** Changes ≥ stepFrac × ratedW (the detection targets), ascending by onset. */
  steps: TrueStep[];
}

/** Steps and swing edges of interest: ≥ 10 % of the rating (the brief's detection target). */
export const STEP_FRAC = 0.1;
/** The longest rise in the families; a step's change is judged over this window. */
export const STEP_WINDOW_MS = 50;
const HPR_SHELF = { psus: 6, psuRatedW: 5500 };

function ctx(durationS: number, seed: number) {
  return { seed, durationS, baseDir: process.cwd(), sharedDir: process.cwd(), fieldPath: 'load' };
}

/** Steps of 10–60 % of the rating, rise 1/5/20/50 ms (cycled at random), random gaps. */
export function stepFamily(seed: number, durationS: number): Family {
  const rng = new Rng(seed).fork('steps');
  const ratedW = HPR_SHELF.psus * HPR_SHELF.psuRatedW;
  const rises = [1, 5, 20, 50];
  const steps: LoadStep[] = [];
  const truthSteps: TrueStep[] = [];
  let level = 0.5 * ratedW;
  let t = 1000;
  for (;;) {
    const riseMs = rises[rng.int(0, rises.length - 1)]!;
    // Quiet gap after the previous rise: ≥ 100 ms, mean 500 ms.
    t += 100 + rng.exponential(1 / 400);
    if (t + riseMs + 100 > durationS * 1000) break;
    // The widest feasible move inside [5 %, 100 %] of the rating is always ≥ 47.5 %.
    const room = Math.max(ratedW - level, level - 0.05 * ratedW) / ratedW;
    const mag = rng.uniform(0.1, Math.min(0.6, room)) * ratedW;
    const canUp = level + mag <= ratedW;
    const canDown = level - mag >= 0.05 * ratedW;
    const up = canUp && canDown ? rng.next() < 0.5 : canUp;
    const next = up ? level + mag : level - mag;
    const atMs = Math.round(t * 1000) / 1000;
    steps.push({ atS: atMs / 1000, watts: next, riseMs });
    truthSteps.push({ onsetMs: atMs, deltaW: next - level, riseMs });
    level = next;
    t = atMs + riseMs;
  }
  const spec = { kind: 'steps' as const, baseW: 0.5 * ratedW, steps };
  return {
    name: 'step-heavy',
    ratedW,
    ...HPR_SHELF,
    durationS,
    truth: () => createLoadModel(spec, ctx(durationS, seed)),
    onsetsMs: Float64Array.from(truthSteps, (s) => s.onsetMs),
    steps: truthSteps,
  };
}

interface Segment {
  startS: number;
  model: LoadModel;
}

/** Swing segments played one after another (each segment's own time starts at 0). */
class Segments implements LoadModel {
  readonly meanW = Number.NaN;
  readonly peakW = Number.NaN;
  readonly description = 'swing segments';
  private i = 0;
  constructor(private readonly segs: readonly Segment[]) {}
  powerAt(tS: number): number {
    const s = this.segs;
    while (this.i + 1 < s.length && tS >= s[this.i + 1]!.startS) this.i++;
    while (this.i > 0 && tS < s[this.i]!.startS) this.i--;
    const seg = s[this.i]!;
    return seg.model.powerAt(tS - seg.startS);
  }
  nextBreakS(): number {
    return Infinity;
  }
}

/** Training-like swings: 40 s segments, period log-uniform 0.1–10 s, edges 5/10/20 ms. */
export function swingFamily(seed: number, durationS: number): Family {
  const rng = new Rng(seed).fork('swings');
  const ratedW = HPR_SHELF.psus * HPR_SHELF.psuRatedW;
  const segS = 40;
  const leadS = 0.5;
  const specs: {
    startS: number;
    lowW: number;
    highW: number;
    p: number;
    duty: number;
    rise: number;
  }[] = [];
  for (let s = 0; s + segS <= durationS; s += segS) {
    const p = Math.exp(rng.uniform(Math.log(0.1), Math.log(10)));
    const lowW = rng.uniform(0.1, 0.5) * ratedW;
    const highW = Math.min(ratedW, lowW + rng.uniform(0.2, 0.5) * ratedW);
    const duty = rng.uniform(0.3, 0.7);
    const rise = Math.min([5, 10, 20][rng.int(0, 2)]!, 250 * p * Math.min(duty, 1 - duty));
    specs.push({ startS: s, lowW, highW, p, duty, rise });
  }
  const segs: Segment[] = specs.map((x) => ({
    startS: x.startS,
    model: createLoadModel(
      {
        kind: 'swing',
        lowW: x.lowW,
        highW: x.highW,
        periodS: x.p,
        duty: x.duty,
        riseMs: x.rise,
        startS: leadS,
      },
      ctx(segS, seed),
    ),
  }));
  const onsets: number[] = [];
  const steps: TrueStep[] = [];
  // Where the previous segment's last change began and from which level: an edge cut by the
  // segment end runs on into the junction, so the two are one step.
  let tailOnset = NaN;
  let tailLevel = NaN;
  for (const [n, x] of specs.entries()) {
    const startMs = x.startS * 1000;
    const endMs = startMs + segS * 1000;
    if (Number.isFinite(tailLevel) && tailLevel !== x.lowW) {
      onsets.push(startMs);
      if (Math.abs(x.lowW - tailLevel) >= STEP_FRAC * ratedW) {
        steps.push({ onsetMs: tailOnset, deltaW: x.lowW - tailLevel, riseMs: 0 });
      }
    }
    const model = segs[n]!.model;
    tailOnset = endMs;
    tailLevel = model.powerAt(segS - 1e-9);
    const d = x.highW - x.lowW;
    for (let k = 0; ; k++) {
      const up = startMs + (leadS + k * x.p) * 1000;
      if (up >= endMs) break;
      for (const [at, delta] of [
        [up, d],
        [up + x.duty * x.p * 1000, -d],
      ] as const) {
        if (at >= endMs) continue;
        onsets.push(at);
        if (at + x.rise <= endMs) {
          if (Math.abs(delta) >= STEP_FRAC * ratedW)
            steps.push({ onsetMs: at, deltaW: delta, riseMs: x.rise });
        } else {
          tailOnset = at;
          tailLevel = model.powerAt((at - startMs) / 1000);
        }
      }
    }
  }
  steps.sort((a, b) => a.onsetMs - b.onsetMs);
  return {
    name: 'training swings',
    ratedW,
    ...HPR_SHELF,
    durationS: specs.length * segS,
    truth: () =>
      new Segments(
        specs.map((x) => ({
          startS: x.startS,
          model: createLoadModel(
            {
              kind: 'swing',
              lowW: x.lowW,
              highW: x.highW,
              periodS: x.p,
              duty: x.duty,
              riseMs: x.rise,
              startS: leadS,
            },
            ctx(segS, seed),
          ),
        })),
      ),
    onsetsMs: Float64Array.from(onsets).sort(),
    steps,
  };
}

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INFERENCE_SCENARIO = resolve(REPO, 'sim/scenarios/inference-hour.json');

/**
 * The inference hour of sim/scenarios/inference-hour.json (its trace lives in the shared data
 * folder); null when the trace is absent. Its load jumps at request-driven change points, so
 * its true steps come from the detector's own rule applied to the true load on the 1 ms grid:
 * a step of a sign begins when the load has moved ≥ STEP_FRAC × rating from its extreme over
 * the last STEP_WINDOW_MS (that extreme's change point is the onset) and ends when it has not.
 */
export function inferenceFamily(sharedDir: string, durationS: number): Family | null {
  const scenario = loadScenarioFile(INFERENCE_SCENARIO, { sharedDir });
  if (scenario.load.kind !== 'inference' || !existsSync(scenario.load.file)) return null;
  const model = createScenarioLoadModel(scenario) as InferenceLoadModel;
  const z = scenario.zone;
  const ratedW = z.shelves * z.psusPerShelf * z.psuRatedW;
  const times = model.times;
  const watts = model.watts;
  const endMs = Math.min(durationS, scenario.durationS) * 1000;
  const onsets: number[] = [];
  for (let i = 1; i < times.length && times[i]! * 1000 < endMs; i++) onsets.push(times[i]! * 1000);
  const truth = (): LoadModel =>
    new PiecewiseSeries(times, watts, { mode: 'step', durationS: endMs / 1000, description: '' });
  return {
    name: 'inference hour',
    ratedW,
    psus: z.shelves * z.psusPerShelf,
    psuRatedW: z.psuRatedW,
    durationS: endMs / 1000,
    truth,
    onsetsMs: Float64Array.from(onsets),
    steps: windowedSteps(truth(), endMs, ratedW, Float64Array.from(onsets)),
  };
}

/** True steps of a load by the windowed-change rule (see inferenceFamily), on the 1 ms grid. */
export function windowedSteps(
  load: LoadModel,
  endMs: number,
  ratedW: number,
  changesMs: Float64Array,
): TrueStep[] {
  const n = Math.floor(endMs);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) y[k] = load.powerAt(k / 1000);
  const thr = STEP_FRAC * ratedW;
  const steps: TrueStep[] = [];
  const minQ: number[] = [];
  const maxQ: number[] = [];
  let upActive = false;
  let downActive = false;
  let c = 0;
  // Onset = the first change point after the extreme's grid time.
  const onsetAfter = (ms: number): number => {
    while (c > 0 && changesMs[c - 1]! > ms) c--;
    while (c < changesMs.length && changesMs[c]! <= ms) c++;
    return c < changesMs.length ? changesMs[c]! : ms;
  };
  for (let k = 0; k < n; k++) {
    while (minQ.length > 0 && y[minQ[minQ.length - 1]!]! >= y[k]!) minQ.pop();
    minQ.push(k);
    while (maxQ.length > 0 && y[maxQ[maxQ.length - 1]!]! <= y[k]!) maxQ.pop();
    maxQ.push(k);
    while (minQ[0]! < k - STEP_WINDOW_MS) minQ.shift();
    while (maxQ[0]! < k - STEP_WINDOW_MS) maxQ.shift();
    const up = y[k]! - y[minQ[0]!]!;
    const down = y[maxQ[0]!]! - y[k]!;
    if (up >= thr && !upActive)
      steps.push({ onsetMs: onsetAfter(minQ[0]!), deltaW: up, riseMs: NaN });
    if (down >= thr && !downActive)
      steps.push({ onsetMs: onsetAfter(maxQ[0]!), deltaW: -down, riseMs: NaN });
    upActive = up >= thr;
    downActive = down >= thr;
  }
  return steps.sort((a, b) => a.onsetMs - b.onsetMs);
}
