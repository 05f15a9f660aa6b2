/**
 * sim/load: demanded IT power over scenario time. Owns the load kinds of docs/SCENARIOS.md and
 * the data files they read. To fake it, hand the physics any object implementing LoadModel.
 */
export {
  createLoadModel,
  LOAD_KINDS,
  type ColumnRef,
  type ConstantLoadSpec,
  type InferenceLoadSpec,
  type LoadContext,
  type LoadKind,
  type LoadModel,
  type LoadSpec,
  type LoadStep,
  type StepsLoadSpec,
  type SwingLoadSpec,
  type TraceLoadSpec,
} from './load-model.js';
export { checkLoadSpec } from './check.js';
export { resolveDataPath, SHARED_PREFIX } from './files.js';
export {
  INFERENCE_DEFAULTS,
  resolveInferenceParams,
  type InferenceParams,
} from './inference-params.js';
export { type InferenceLoadModel } from './inference.js';
export { simulateInference, type InferenceRun } from './inference-sim.js';
export { parseRequestTrace, type RequestTrace } from './request-trace.js';
export { PiecewiseSeries, type Interpolation } from './series.js';
export { SWING_DEFAULT_RISE_MS } from './swing.js';
export { TRACE_MIN_BREAK_GAP_S } from './trace.js';
