/**
 * The IT load seen by the busbar: demanded rack power as a function of scenario time. The
 * physics asks for it every step, so every model precomputes what it can and answers from a
 * cursor; the step scheduler aligns to `nextBreakS` so that edges are never stepped over.
 */
import { Orv3Error, ErrorCode } from '../../src/errors.js';
import { checkLoadSpec } from './check.js';
import { createConstantModel } from './constant.js';
import { createStepsModel } from './steps.js';
import { createSwingModel } from './swing.js';
import { createTraceModel } from './trace.js';
import { createInferenceModel } from './inference.js';

export interface LoadModel {
  /** Demanded rack power in W at tS seconds after scenario start. Pure in tS, called every physics step (≈1e6 calls per simulated second at worst): O(1) amortised, no allocation; monotone-in-time calls are the common case, so keep a cursor. */
  powerAt(tS: number): number;
  /** Earliest time strictly after tS at which the demand jumps or its slope changes abruptly (step start/end of a rise, swing edges, trace points closer than 1 ms apart may be skipped), or Infinity. The physics aligns its steps to these. */
  nextBreakS(tS: number): number;
  /** Mean and peak demand over the run, for presets and reports. */
  readonly meanW: number;
  readonly peakW: number;
  readonly description: string;
}

export interface LoadContext {
  seed: number;
  durationS: number;
  /** Folder that relative file paths resolve against (the scenario file's folder). */
  baseDir: string;
  /** Folder that `$SHARED/...` paths resolve against. */
  sharedDir: string;
  /** JSON path of the spec, used in error messages (e.g. `load`). */
  fieldPath: string;
}

export interface ConstantLoadSpec {
  kind: 'constant';
  watts: number;
}

export interface LoadStep {
  atS: number;
  watts: number;
  /** Linear ramp from the previous level, starting at atS; 0 = a jump. */
  riseMs: number;
}

export interface StepsLoadSpec {
  kind: 'steps';
  /** Level before the first step; defaults to the first step's watts. */
  baseW?: number;
  steps: LoadStep[];
}

export interface SwingLoadSpec {
  kind: 'swing';
  lowW: number;
  highW: number;
  periodS: number;
  /** Fraction of the period from the start of the rise to the start of the fall, in (0, 1). */
  duty: number;
  /** Rise and fall time of each edge (default 10 ms). */
  riseMs?: number;
  /** First rise; the load sits at lowW before it (default 0). */
  startS?: number;
}

export type ColumnRef = string | number;

export interface TraceLoadSpec {
  kind: 'trace';
  file: string;
  /** Header name or 0-based index (default 0). Times in s from scenario start. */
  timeColumn?: ColumnRef;
  /** Header name or 0-based index (default 1). */
  wattsColumn?: ColumnRef;
  /** Between points (default 'linear'). */
  interpolate?: 'step' | 'linear';
  /** Multiplies every watts value (default 1). */
  scale?: number;
}

export interface InferenceLoadSpec {
  kind: 'inference';
  file: string;
  gpus?: number;
  gpuIdleW?: number;
  gpuStandbyW?: number;
  gpuActiveW?: number;
  standbyHoldMs?: number;
  prefillTokensPerS?: number;
  decodeTokensPerS?: number;
  maxBatch?: number;
  gpusPerInstance?: number;
  rateScale?: number;
  startOffsetS?: number;
  baseW?: number;
}

export type LoadSpec =
  ConstantLoadSpec | StepsLoadSpec | SwingLoadSpec | TraceLoadSpec | InferenceLoadSpec;

export type LoadKind = LoadSpec['kind'];

export const LOAD_KINDS: readonly LoadKind[] = Object.freeze([
  'constant',
  'steps',
  'swing',
  'trace',
  'inference',
]);

export function createLoadModel(spec: LoadSpec, ctx: LoadContext): LoadModel {
  const errors = checkLoadSpec(spec, ctx.fieldPath);
  if (!(ctx.durationS > 0)) errors.push(`durationS: must be > 0`);
  if (errors.length > 0) {
    throw new Orv3Error(ErrorCode.ScenarioInvalid, errors.join('\n'), { errors });
  }
  switch (spec.kind) {
    case 'constant':
      return createConstantModel(spec, ctx);
    case 'steps':
      return createStepsModel(spec, ctx);
    case 'swing':
      return createSwingModel(spec, ctx);
    case 'trace':
      return createTraceModel(spec, ctx);
    case 'inference':
      return createInferenceModel(spec, ctx);
  }
}
