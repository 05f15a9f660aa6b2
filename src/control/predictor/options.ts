import { ErrorCode, Orv3Error } from '../../errors.js';

/**
 * Options of the load predictor. Every power is scaled to `ratedW` (the shelf or rack rating),
 * so one set of defaults serves a 33 kW HPR shelf and a 132 kW four-shelf rack alike. The
 * defaults are the ones bench:predictor measured (docs/CONTROL-PREDICTOR.md).
 */
export interface LoadPredictorOptions {
  /** Rating the powers below scale with, W (default 33 000: one HPR shelf, 6 × 5.5 kW). */
  ratedW?: number;
  /** Least measurement noise (1 σ) assumed, fraction of ratedW (default 1e-4). */
  noiseFloorFrac?: number;
  /** An innovation beyond this many σ is a shock: the trend restarts from the sample (default 6). */
  shockSigma?: number;
  /** CUSUM drift κ and alarm height h, in σ, for changes too slow for one shock (0.5, 12). */
  cusumDrift?: number;
  cusumAlarm?: number;
  /** The transient is over after this long without a shock and with a flat slope, ms (default 8). */
  quietMs?: number;
  /** Forgetting factor of the learned horizon gains, per update of a cell (default 0.998). */
  gainForgetting?: number;
  /** Weight of the prior gain, in updates at a slope of 1 % of ratedW per ms (default 2). */
  gainPriorWeight?: number;
  /** Size of the steps to detect, fraction of ratedW (default 0.1). */
  stepFrac?: number;
  /** Flag a step when observed + forecast change reaches this fraction of the size (default 1). */
  detectFrac?: number;
  /** Horizon of the forecast the detector adds to the observed change, ms (default 5). */
  detectHorizonMs?: number;
  /** Window over which a change is measured (from the window's extreme), ms (default 50). */
  detectWindowMs?: number;
  /**
   * The forecast may join the detector on a ramp's first increment, where the rack's own data
   * back it (default true). Off, a step is flagged no earlier than its second visible sample
   * unless that sample alone shows the whole size: a lone jump that this rack's history says
   * goes on is then not flagged early, at the cost of ~1 ms on fast ramps.
   */
  detectFirstIncrement?: boolean;
  /** A hint engages with a transient whose onset is within this of the hinted time, ms (15). */
  hintToleranceMs?: number;
  /**
   * Periodic self-hints: steps recurring at a period steady within this fraction (≥ 2 ms) are
   * anticipated like hinted ones (default 0.03; 0 turns it off).
   */
  periodTolerance?: number;
}

export type ResolvedPredictorOptions = Readonly<Required<LoadPredictorOptions>>;

export const PREDICTOR_DEFAULTS: ResolvedPredictorOptions = Object.freeze({
  ratedW: 33000,
  noiseFloorFrac: 1e-4,
  shockSigma: 6,
  cusumDrift: 0.5,
  cusumAlarm: 12,
  quietMs: 8,
  gainForgetting: 0.998,
  gainPriorWeight: 2,
  stepFrac: 0.1,
  detectFrac: 1,
  detectHorizonMs: 5,
  detectWindowMs: 50,
  detectFirstIncrement: true,
  hintToleranceMs: 15,
  periodTolerance: 0.03,
});

/** Longest forecast horizon the gains are learned for, ms. */
export const MAX_HORIZON_MS = 20;
/** History kept for the detector window and the gain pairing (power of two), samples. */
export const HISTORY = 128;

export function resolvePredictorOptions(o: LoadPredictorOptions = {}): ResolvedPredictorOptions {
  const r = { ...PREDICTOR_DEFAULTS };
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) (r as Record<string, number | boolean>)[k] = v as number | boolean;
  }
  const bad = (why: string): never => {
    throw new Orv3Error(ErrorCode.PredictorBadOptions, `predictor options: ${why}`, { ...r });
  };
  for (const [k, v] of Object.entries(r)) {
    if (typeof PREDICTOR_DEFAULTS[k as keyof LoadPredictorOptions] === 'boolean') {
      if (typeof v !== 'boolean') bad(`${k} must be a boolean`);
    } else if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${k} must be a finite number`);
  }
  if (!(r.ratedW > 0)) bad('ratedW must be > 0');
  if (!(r.noiseFloorFrac > 0)) bad('noiseFloorFrac must be > 0');
  if (!(r.shockSigma > 0 && r.cusumDrift >= 0 && r.cusumAlarm > 0)) bad('shock/CUSUM must be > 0');
  if (!(r.quietMs > 0)) bad('quietMs must be > 0');
  if (!(r.gainForgetting > 0 && r.gainForgetting <= 1)) bad('gainForgetting must be in (0, 1]');
  if (!(r.gainPriorWeight > 0)) bad('gainPriorWeight must be > 0');
  if (!(r.stepFrac > 0 && r.detectFrac > 0 && r.detectFrac <= 1)) bad('stepFrac/detectFrac');
  if (!(r.detectHorizonMs >= 0 && r.detectHorizonMs <= MAX_HORIZON_MS)) {
    bad(`detectHorizonMs must be in [0, ${MAX_HORIZON_MS}]`);
  }
  if (!(r.detectWindowMs >= 1 && r.detectWindowMs <= HISTORY / 2)) {
    bad(`detectWindowMs must be in [1, ${HISTORY / 2}]`);
  }
  if (!(r.hintToleranceMs >= 0)) bad('hintToleranceMs must be ≥ 0');
  if (!(r.periodTolerance >= 0 && r.periodTolerance < 1)) bad('periodTolerance must be in [0, 1)');
  return Object.freeze(r);
}
