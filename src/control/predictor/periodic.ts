/**
 * Training loads repeat: every iteration lifts the rack by the same step at the same period
 * (0.1–10 Hz). This tracker keeps the onsets of the last detected steps of each sign; when
 * the last three intervals agree (within `tolerance` of the period, at least 2 ms), it
 * expects the next step of that sign one mean period after the last, with the last change.
 * The predictor feeds that expectation to its hint path, so a steady swing is anticipated
 * like a hinted one; one irregular interval, or one expected step that does not come, and
 * the expectation is gone until three intervals agree again. Plain numbers in fixed slots: no allocation.
 */

const DEPTH = 4;
const MIN_TOLERANCE_MS = 2;

export class PeriodTracker {
  // Per sign (0: rises, 1: falls): the last DEPTH onsets (ring), count, last change.
  private readonly onsets = new Float64Array(2 * DEPTH);
  private readonly n = new Int32Array(2);
  private readonly lastDelta = new Float64Array(2);

  constructor(private readonly tolerance: number) {}

  /** A detected step of signed change deltaW that began at onsetMs. */
  record(onsetMs: number, deltaW: number): void {
    const s = deltaW > 0 ? 0 : 1;
    this.onsets[s * DEPTH + (this.n[s]! % DEPTH)] = onsetMs;
    this.n[s]!++;
    this.lastDelta[s] = deltaW;
  }

  /** Expected onset of the next step of this sign (0 rise, 1 fall), or NaN when not periodic. */
  nextOnset(sign: number): number {
    if (this.n[sign]! < DEPTH) return Number.NaN;
    const i1 = this.back(sign, 0) - this.back(sign, 1);
    const i2 = this.back(sign, 1) - this.back(sign, 2);
    const i3 = this.back(sign, 2) - this.back(sign, 3);
    const mean = (i1 + i2 + i3) / 3;
    const tol = Math.max(MIN_TOLERANCE_MS, this.tolerance * mean);
    if (Math.abs(i1 - mean) > tol || Math.abs(i2 - mean) > tol || Math.abs(i3 - mean) > tol) {
      return Number.NaN;
    }
    return this.back(sign, 0) + mean;
  }

  /** The k-th most recent onset of this sign. */
  private back(sign: number, k: number): number {
    return this.onsets[sign * DEPTH + ((this.n[sign]! - 1 - k) % DEPTH)]!;
  }

  /** An expected step of this sign did not come: the rhythm is broken until three agree again. */
  forget(sign: number): void {
    this.n[sign] = 0;
  }

  /** A better onset estimate for the newest step of this sign (e.g. once it settled). */
  refine(sign: number, onsetMs: number): void {
    if (this.n[sign]! > 0) this.onsets[sign * DEPTH + ((this.n[sign]! - 1) % DEPTH)] = onsetMs;
  }

  /** The newest step's change as observed so far (it grows while the step rises). */
  update(deltaW: number): void {
    this.lastDelta[deltaW > 0 ? 0 : 1] = deltaW;
  }

  lastDeltaW(sign: number): number {
    return this.lastDelta[sign]!;
  }
}
