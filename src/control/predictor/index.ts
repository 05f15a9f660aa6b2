/**
 * src/control/predictor: the millisecond transient predictor of the control loop — the load
 * forecaster with its step detector and workload-hint feed-forward, and the AC sag detector.
 * Pure and clock-free: the caller passes each tick's time, so tests replay any stream and the
 * real-time worker runs the same code. To fake it, hand the loop any object with the same
 * plain fields and methods. Reference: docs/CONTROL-PREDICTOR.md.
 */
export { LoadPredictor } from './load-predictor.js';
export {
  MAX_HORIZON_MS,
  PREDICTOR_DEFAULTS,
  resolvePredictorOptions,
  type LoadPredictorOptions,
  type ResolvedPredictorOptions,
} from './options.js';
export {
  SAG_DEFAULTS,
  SagDetector,
  type SagDetectorOptions,
  type SagState,
} from './sag-detector.js';
