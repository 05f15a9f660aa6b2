/**
 * Runs one load family through the wire model and scores, per horizon, the predictor (plain
 * and, on request, fed workload hints), a persistence forecast and the causal bound on the
 * same ticks; collects the predictor's step detections for matching. Forecasts are scored
 * against the true load at tick time + h (measurement noise is not counted as error).
 */
import { LoadPredictor, type LoadPredictorOptions } from '../../src/control/predictor/index.js';
import type { Family, TrueStep } from './predictor-families.js';
import { ErrorStats, type Detection } from './predictor-metrics.js';
import { WireStream, WIRE_DEFAULTS, type WireOptions } from './predictor-wire.js';
import { Rng } from '../../sim/rng.js';

export const HORIZONS = [1, 5, 10, 20] as const;

export interface HintPlan {
  name: string;
  /** Hint arrives this long before the step's onset, ms. */
  leadMs: number;
  /** Uniform error of the hinted time (± ms) and of the hinted change (± fraction). */
  timeErrMs: number;
  deltaErrFrac: number;
}

export interface Scored {
  name: string;
  /** One ErrorStats per horizon of HORIZONS. */
  err: ErrorStats[];
  detections: Detection[];
}

export interface FamilyRun {
  family: Family;
  warmupS: number;
  ticks: number;
  missing: number;
  persistence: ErrorStats[];
  bound: ErrorStats[];
  /**
   * With hints: what exact hints allow at best — every onset and change known beforehand, the
   * rise of each step unknown (the family's mean rise profile stands in for it).
   */
  hintBound: ErrorStats[] | null;
  models: Scored[];
  /** 5 ms errors split by the rise time of the step the target time falls in (step family). */
  byRise: Map<number, { model: ErrorStats; persistence: ErrorStats; bound: ErrorStats }>;
}

const stats = (): ErrorStats[] => HORIZONS.map(() => new ErrorStats());

interface PendingHint {
  atMs: number;
  deltaW: number;
  onsetMs: number;
}

function hintSchedule(steps: readonly TrueStep[], plan: HintPlan, seed: number): PendingHint[] {
  const rng = new Rng(seed).fork(`hints.${plan.name}`);
  return steps.map((s) => {
    const onsetMs = s.onsetMs + rng.uniform(-plan.timeErrMs, plan.timeErrMs);
    const deltaW = s.deltaW * (1 + rng.uniform(-plan.deltaErrFrac, plan.deltaErrFrac));
    return { atMs: s.onsetMs - plan.leadMs, deltaW, onsetMs };
  });
}

export function runFamily(
  family: Family,
  opts: {
    seed: number;
    warmupS: number;
    hints?: HintPlan[];
    wire?: WireOptions;
    predictor?: LoadPredictorOptions;
  },
): FamilyRun {
  const wire = new WireStream(
    family.truth(),
    family.psus,
    family.psuRatedW,
    family.durationS,
    opts.seed,
    opts.wire ?? WIRE_DEFAULTS,
  );
  const truthAt = HORIZONS.map(() => family.truth());
  const boundAt = HORIZONS.map(() => family.truth());
  const plans = opts.hints ?? [];
  const models = [{ name: 'predictor', hints: [] as PendingHint[] }].concat(
    plans.map((p) => ({
      name: `predictor + hints (${p.name})`,
      hints: hintSchedule(family.steps, p, opts.seed),
    })),
  );
  const predictors = models.map(
    () => new LoadPredictor({ ...opts.predictor, ratedW: family.ratedW }),
  );
  const scored: Scored[] = models.map((m) => ({ name: m.name, err: stats(), detections: [] }));
  const hintNext = models.map(() => 0);
  const persistence = stats();
  const bound = stats();
  const byRise = new Map<
    number,
    { model: ErrorStats; persistence: ErrorStats; bound: ErrorStats }
  >();
  for (const s of family.steps) {
    if (!byRise.has(s.riseMs) && Number.isFinite(s.riseMs)) {
      byRise.set(s.riseMs, {
        model: new ErrorStats(),
        persistence: new ErrorStats(),
        bound: new ErrorStats(),
      });
    }
  }
  const onsets = family.onsetsMs;
  const hintBound = plans.length > 0 && family.steps.length === onsets.length ? stats() : null;
  const rises = family.steps.map((s) => s.riseMs);
  const meanRise = (tau: number): number =>
    rises.reduce((a, r) => a + (r > 0 ? Math.min(tau / r, 1) : 1), 0) / rises.length;
  const warmMs = opts.warmupS * 1000;
  let onsetCursor = 0;
  let stepCursor = 0;
  let last = Number.NaN;
  let ticks = 0;
  let missing = 0;
  const counts = predictors.map(() => 0);
  const i5 = HORIZONS.indexOf(5);
  while (wire.next()) {
    const t = wire.t;
    const y = wire.y;
    ticks++;
    if (y !== y) missing++;
    else last = y;
    for (let m = 0; m < predictors.length; m++) {
      const p = predictors[m]!;
      const hs = models[m]!.hints;
      while (hintNext[m]! < hs.length && hs[hintNext[m]!]!.atMs <= t) {
        const h = hs[hintNext[m]!++]!;
        p.hint(h.deltaW, h.onsetMs - t, t);
      }
      p.push(t, y);
      if (p.count !== counts[m]) {
        counts[m] = p.count;
        if (t >= warmMs)
          scored[m]!.detections.push({ atMs: p.detectedAtMs, deltaW: p.lastStepDeltaW });
      }
    }
    while (onsetCursor < onsets.length && onsets[onsetCursor]! <= t) onsetCursor++;
    const nextOnset = onsetCursor < onsets.length ? onsets[onsetCursor]! : Infinity;
    if (t < warmMs || last !== last) continue;
    for (let j = 0; j < HORIZONS.length; j++) {
      const h = HORIZONS[j]!;
      const truth = truthAt[j]!.powerAt((t + h) / 1000);
      persistence[j]!.add(last, truth);
      // Just before the next onset: the bound knows every change that has begun, none that has not.
      const bt = Math.min(t + h, nextOnset - 1e-6);
      const b = boundAt[j]!.powerAt(bt / 1000);
      bound[j]!.add(b, truth);
      if (hintBound !== null) {
        const next = family.steps[onsetCursor];
        const announced =
          next !== undefined && next.onsetMs <= t + h
            ? next.deltaW * meanRise(t + h - next.onsetMs)
            : 0;
        hintBound[j]!.add(b + announced, truth);
      }
      for (let m = 0; m < predictors.length; m++)
        scored[m]!.err[j]!.add(predictors[m]!.forecast(h), truth);
      if (j === i5 && byRise.size > 0) {
        const steps = family.steps;
        while (stepCursor + 1 < steps.length && steps[stepCursor + 1]!.onsetMs <= t + h)
          stepCursor++;
        const s = steps[stepCursor];
        const slot = s !== undefined && s.onsetMs <= t + h ? byRise.get(s.riseMs) : undefined;
        if (slot !== undefined) {
          slot.model.add(predictors[0]!.forecast(h), truth);
          slot.persistence.add(last, truth);
          slot.bound.add(b, truth);
        }
      }
    }
  }
  return {
    family,
    warmupS: opts.warmupS,
    ticks,
    missing,
    persistence,
    bound,
    hintBound,
    models: scored,
    byRise,
  };
}
