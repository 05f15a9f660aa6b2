/**
 * Runs one load family through the wire model and scores, per horizon, the predictor (plain,
 * with other detector options and, on request, fed workload hints), a persistence forecast
 * and the causal bound on the same ticks, in aggregate and per rise-time class; collects each
 * model's step detections for matching. Forecasts are scored against the true load at tick
 * time + h (measurement noise is not counted as error).
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
  /** The hint carries the step's ramp (rampMs), with this uniform error (± fraction). */
  rampErrFrac?: number;
}

/** A predictor with other options, scored for detection only (its forecasts are not scored). */
export interface DetectorVariant {
  name: string;
  options: LoadPredictorOptions;
}

export interface Scored {
  name: string;
  /** One ErrorStats per horizon of HORIZONS (empty for a detector variant). */
  err: ErrorStats[];
  detections: Detection[];
}

/** Errors of the ticks whose target time falls in a step of one rise time, per horizon. */
export interface RiseClassErrors {
  /** Per model (in FamilyRun.models order, detector variants excluded), per horizon. */
  models: ErrorStats[][];
  persistence: ErrorStats[];
  bound: ErrorStats[];
  hintBound: ErrorStats[] | null;
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
  /**
   * Errors split by the rise time of the step the target time (tick + h) falls in, i.e. the
   * last step whose onset is ≤ tick + h, quiet time after it included.
   */
  byRise: Map<number, RiseClassErrors>;
}

const stats = (): ErrorStats[] => HORIZONS.map(() => new ErrorStats());

export interface PendingHint {
  atMs: number;
  deltaW: number;
  onsetMs: number;
  /** undefined: the hint says nothing of the ramp. */
  rampMs: number | undefined;
}

export function hintSchedule(
  steps: readonly TrueStep[],
  plan: HintPlan,
  seed: number,
): PendingHint[] {
  const rng = new Rng(seed).fork(`hints.${plan.name}`);
  return steps.map((s) => {
    const onsetMs = s.onsetMs + rng.uniform(-plan.timeErrMs, plan.timeErrMs);
    const deltaW = s.deltaW * (1 + rng.uniform(-plan.deltaErrFrac, plan.deltaErrFrac));
    const e = plan.rampErrFrac;
    const rampMs = e === undefined ? undefined : s.riseMs * (1 + rng.uniform(-e, e));
    return { atMs: s.onsetMs - plan.leadMs, deltaW, onsetMs, rampMs };
  });
}

export function runFamily(
  family: Family,
  opts: {
    seed: number;
    warmupS: number;
    hints?: HintPlan[];
    /** Predictors with other options whose detections are collected beside the plain one's. */
    variants?: DetectorVariant[];
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
  const variants = opts.variants ?? [];
  const models = [{ name: 'predictor', hints: [] as PendingHint[], options: {} }].concat(
    plans.map((p) => ({
      name: `predictor + hints (${p.name})`,
      hints: hintSchedule(family.steps, p, opts.seed),
      options: {},
    })),
  );
  // Forecasting models first, then the detector variants (detections only).
  const nScored = models.length;
  const all = models.concat(variants.map((v) => ({ name: v.name, hints: [], options: v.options })));
  const predictors = all.map(
    (m) => new LoadPredictor({ ...opts.predictor, ...m.options, ratedW: family.ratedW }),
  );
  const scored: Scored[] = all.map((m, i) => ({
    name: m.name,
    err: i < nScored ? stats() : [],
    detections: [],
  }));
  const hintNext = all.map(() => 0);
  const persistence = stats();
  const bound = stats();
  const onsets = family.onsetsMs;
  const withHintBound = plans.length > 0 && family.steps.length === onsets.length;
  const hintBound = withHintBound ? stats() : null;
  const byRise = new Map<number, RiseClassErrors>();
  for (const s of family.steps) {
    if (!byRise.has(s.riseMs) && Number.isFinite(s.riseMs)) {
      byRise.set(s.riseMs, {
        models: models.map(() => stats()),
        persistence: stats(),
        bound: stats(),
        hintBound: withHintBound ? stats() : null,
      });
    }
  }
  const rises = family.steps.map((s) => s.riseMs);
  const meanRise = (tau: number): number =>
    rises.reduce((a, r) => a + (r > 0 ? Math.min(tau / r, 1) : 1), 0) / rises.length;
  const warmMs = opts.warmupS * 1000;
  let onsetCursor = 0;
  // Per horizon: the last step whose onset is ≤ tick + h (its rise class takes the error).
  const stepCursor = HORIZONS.map(() => 0);
  let last = Number.NaN;
  let ticks = 0;
  let missing = 0;
  const counts = predictors.map(() => 0);
  const forecasts = new Float64Array(nScored);
  while (wire.next()) {
    const t = wire.t;
    const y = wire.y;
    ticks++;
    if (y !== y) missing++;
    else last = y;
    for (let m = 0; m < predictors.length; m++) {
      const p = predictors[m]!;
      const hs = all[m]!.hints;
      while (hintNext[m]! < hs.length && hs[hintNext[m]!]!.atMs <= t) {
        const h = hs[hintNext[m]!++]!;
        p.hint(h.deltaW, h.onsetMs - t, t, h.rampMs);
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
      let hb = Number.NaN;
      if (hintBound !== null) {
        const next = family.steps[onsetCursor];
        const announced =
          next !== undefined && next.onsetMs <= t + h
            ? next.deltaW * meanRise(t + h - next.onsetMs)
            : 0;
        hb = b + announced;
        hintBound[j]!.add(hb, truth);
      }
      for (let m = 0; m < nScored; m++) {
        forecasts[m] = predictors[m]!.forecast(h);
        scored[m]!.err[j]!.add(forecasts[m]!, truth);
      }
      if (byRise.size === 0) continue;
      const steps = family.steps;
      let c = stepCursor[j]!;
      while (c + 1 < steps.length && steps[c + 1]!.onsetMs <= t + h) c++;
      stepCursor[j] = c;
      const s = steps[c];
      const slot = s !== undefined && s.onsetMs <= t + h ? byRise.get(s.riseMs) : undefined;
      if (slot === undefined) continue;
      for (let m = 0; m < nScored; m++) slot.models[m]![j]!.add(forecasts[m]!, truth);
      slot.persistence[j]!.add(last, truth);
      slot.bound[j]!.add(b, truth);
      slot.hintBound?.[j]!.add(hb, truth);
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
