/**
 * src/control: the control core — a 1 kHz loop on the PMBus fast lane (io/, loop/), the
 * coordinator and its policies (policies/), the interlocks every command passes (safety/), and
 * the predictor (predictor/). It sees the shelf only through FastLaneIo; fake it with the
 * simulated SMBus twin (src/bus/pmbus) or feed the Coordinator ZoneViews directly.
 */
export { controlConfig, DEFAULT_CONTROL_CONFIG, type ControlConfig } from './config.js';
export { Coordinator, type Decision, type Mode, type ModeChange } from './coordinator.js';
export { FAMILY_FACTS, type FamilyFacts } from './device-facts.js';
export {
  EXT_STATUS_BIT,
  FastLaneIo,
  type ControlDevice,
  type ReadPoint,
  type WritePoint,
} from './io/fast-lane-io.js';
export { ControlLoop, type ControlLoopOptions, type ControlStats } from './loop/control-loop.js';
export type { AcSensor, LoadForecaster } from './loop/estimators.js';
export { LoadPredictor, SagDetector } from './predictor/index.js';
export {
  CHARGE_MAP_MAX_W,
  DISCHARGE_MAP_MAX_W,
  enforceCharge,
  enforceDischarge,
  isOutage,
  type InterlockCounters,
} from './safety/interlocks.js';
export { reserveSocPct, reserveWh, spendableWh, storedWh } from './safety/reserve.js';
export { Watchdog } from './safety/watchdog.js';
export type { AcState, BbuView, PsuView, ZoneView } from './view.js';
