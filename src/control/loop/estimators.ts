import type { AcState } from '../view.js';

/** What the loop needs from the predictor (src/control/predictor implements both). */
export interface LoadForecaster {
  push(tMs: number, loadW: number): void;
  /** Predicted load `horizonMs` ahead, W. */
  forecast(horizonMs: number): number;
  /** A workload hint: `deltaW` expected `leadMs` from now, building up over `rampMs` if known. */
  hint?(deltaW: number, leadMs: number, nowMs: number, rampMs?: number): void;
}

export interface AcSensor {
  push(tMs: number, vac: number): void;
  readonly state: AcState;
}
