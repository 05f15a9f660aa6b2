/**
 * AC sag / loss / return detector on the PSUs' READ_VIN (V rms as LINEAR11 on the wire).
 * States: normal (≥ returnPu), sag (< sagPu: PSUs may derate, the event the PFAPR clock is
 * about), loss (< lossVac: below the PFC cut-off, PSUs run on hold-up and drop out in ~20 ms).
 * Every transition needs `confirmSamples` consecutive valid samples on the new side, so one
 * noisy reading never flips it; a failed read (NaN) neither counts nor breaks a run. With the
 * default 2 a sag is flagged on the second sample below 0.9 p.u., i.e. 1 ms after the first
 * sample showing it at 1 kHz (2 ms if one read in between failed).
 * Onset fields hold the first sample of the confirming run; detected fields the flag time.
 */
import { ErrorCode, Orv3Error } from '../../errors.js';

export type SagState = 'normal' | 'sag' | 'loss';

export interface SagDetectorOptions {
  /** Nominal line voltage, V rms (default 277: HPR shelves, line to neutral). */
  nominalVac?: number;
  /** Below this many p.u. the AC is sagging (default 0.9). */
  sagPu?: number;
  /** Back at or above this many p.u. the AC has returned (default 0.9, the PFAPR definition). */
  returnPu?: number;
  /** Below this the PFCs cut out: AC lost for the PSUs, V rms (default 180, the PSU fact). */
  lossVac?: number;
  /** Consecutive valid samples that confirm a transition (default 2). */
  confirmSamples?: number;
}

export const SAG_DEFAULTS: Readonly<Required<SagDetectorOptions>> = Object.freeze({
  nominalVac: 277,
  sagPu: 0.9,
  returnPu: 0.9,
  lossVac: 180,
  confirmSamples: 2,
});

export class SagDetector {
  state: SagState = 'normal';
  sagOnsetMs = Number.NaN;
  sagDetectedAtMs = Number.NaN;
  lossOnsetMs = Number.NaN;
  lossDetectedAtMs = Number.NaN;
  returnOnsetMs = Number.NaN;
  returnDetectedAtMs = Number.NaN;
  /** Sag events (normal → sag or loss) so far. */
  events = 0;
  /** Lowest valid reading since the current (or last) event began, V. */
  minVac = Number.NaN;
  lastVac = Number.NaN;
  samples = 0;
  missing = 0;

  private readonly sagV: number;
  private readonly returnV: number;
  private readonly lossV: number;
  private readonly n: number;
  // Runs of consecutive valid samples: below sagV, below lossV, at/above lossV, at/above returnV.
  private below = 0;
  private belowFrom = Number.NaN;
  private belowMin = Number.NaN;
  private lost = 0;
  private lostFrom = Number.NaN;
  private held = 0;
  private back = 0;
  private backFrom = Number.NaN;

  constructor(options: SagDetectorOptions = {}) {
    const o = { ...SAG_DEFAULTS };
    for (const [k, v] of Object.entries(options)) {
      if (v !== undefined) (o as Record<string, number>)[k] = v as number;
    }
    const ok =
      o.nominalVac > 0 &&
      o.sagPu > 0 &&
      o.sagPu < 1 &&
      o.returnPu >= o.sagPu &&
      o.returnPu <= 1 &&
      o.lossVac >= 0 &&
      o.lossVac < o.sagPu * o.nominalVac &&
      Number.isInteger(o.confirmSamples) &&
      o.confirmSamples >= 1;
    if (!ok) {
      throw new Orv3Error(ErrorCode.PredictorBadOptions, 'sag detector options cannot work', o);
    }
    this.sagV = o.sagPu * o.nominalVac;
    this.returnV = o.returnPu * o.nominalVac;
    this.lossV = o.lossVac;
    this.n = o.confirmSamples;
  }

  push(tMs: number, acVrms: number): void {
    this.samples++;
    if (!Number.isFinite(acVrms)) {
      this.missing++;
      return;
    }
    const v = acVrms;
    this.lastVac = v;
    if (v < this.sagV) {
      if (this.below++ === 0) {
        this.belowFrom = tMs;
        this.belowMin = v;
      } else if (v < this.belowMin) this.belowMin = v;
    } else this.below = 0;
    if (v < this.lossV) {
      if (this.lost++ === 0) this.lostFrom = tMs;
      this.held = 0;
    } else {
      this.lost = 0;
      this.held++;
    }
    if (v >= this.returnV) {
      if (this.back++ === 0) this.backFrom = tMs;
    } else this.back = 0;
    if (this.state !== 'normal' && v < this.minVac) this.minVac = v;

    const n = this.n;
    if (this.state === 'normal') {
      if (this.below < n) return;
      this.events++;
      this.sagOnsetMs = this.belowFrom;
      this.sagDetectedAtMs = tMs;
      this.minVac = this.belowMin;
      this.state = 'sag';
    } else if (this.back >= n) {
      this.returnOnsetMs = this.backFrom;
      this.returnDetectedAtMs = tMs;
      this.state = 'normal';
      return;
    }
    if (this.state === 'sag' && this.lost >= n) {
      this.lossOnsetMs = this.lostFrom;
      this.lossDetectedAtMs = tMs;
      this.state = 'loss';
    } else if (this.state === 'loss' && this.held >= n) {
      this.state = 'sag';
    }
  }
}
