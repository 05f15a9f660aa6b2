import type { AcState } from '../view.js';

/** What the loop needs from the predictor (src/control/predictor implements both). */
export interface LoadForecaster {
  push(tMs: number, loadW: number): void;
  /** Predicted load `horizonMs` ahead, W. */
  forecast(horizonMs: number): number;
  hint?(deltaW: number, leadMs: number, nowMs: number): void;
}

export interface AcSensor {
  push(tMs: number, vac: number): void;
  readonly state: AcState;
}

/**
 * Debounced AC thresholds: `sag` after `confirm` consecutive samples below the engage level,
 * `loss` below 0.3 p.u., back to `normal` after `returnConfirm` samples at or above the return
 * level. Missing samples (NaN) neither confirm nor clear.
 */
export class ThresholdAcSensor implements AcSensor {
  state: AcState = 'normal';
  private below = 0;
  private above = 0;

  constructor(
    private readonly engageBelowV: number,
    private readonly returnAboveV: number,
    private readonly lossBelowV: number,
    private readonly confirm: number,
    private readonly returnConfirm: number,
  ) {}

  push(_tMs: number, vac: number): void {
    if (Number.isNaN(vac)) return;
    if (this.state === 'normal') {
      this.below = vac < this.engageBelowV ? this.below + 1 : 0;
      if (this.below >= this.confirm) {
        this.state = vac < this.lossBelowV ? 'loss' : 'sag';
        this.above = 0;
      }
      return;
    }
    if (vac < this.lossBelowV) this.state = 'loss';
    this.above = vac >= this.returnAboveV ? this.above + 1 : 0;
    if (this.above >= this.returnConfirm) {
      this.state = 'normal';
      this.below = 0;
    }
  }
}

/** Persistence with a damped slope: the fallback forecaster (no allocation per sample). */
export class SlopeForecaster implements LoadForecaster {
  private level = NaN;
  private slope = 0;
  private lastT = NaN;

  push(tMs: number, loadW: number): void {
    if (Number.isNaN(loadW)) return;
    if (Number.isFinite(this.level) && tMs > this.lastT) {
      const s = (loadW - this.level) / (tMs - this.lastT);
      this.slope += (s - this.slope) * 0.3;
    }
    this.level = loadW;
    this.lastT = tMs;
  }

  forecast(horizonMs: number): number {
    return this.level + Math.max(0, this.slope) * horizonMs;
  }
}
