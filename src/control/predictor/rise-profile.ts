/**
 * How this rack's steps rise: the mean normalised rise F(τ), the fraction of a step's change
 * done τ ms after its onset, averaged over the steps seen so far (a running mean per whole
 * ms, refreshed from the level history each time a detected step ends). A hint says how much
 * and when, never how fast; F fills that in, and being a mean over the rises seen it is the
 * least-squares guess when the rise of the coming step is unknown. Timed from hints, it also
 * absorbs how late the hints come.
 * Before any step is seen F is a 5 ms linear rise. O(BINS + HISTORY) once per step, nothing per sample.
 */
import type { WindowExtremes } from './extremes.js';
import { HISTORY } from './options.js';

const BINS = 64;
/**
 * The profile could also cover ms before the reference (hinted steps that come early); the
 * bench measured that a wash (±5 ms hints: 5 ms error −2 %, 1 ms error +6 %), so it is 0.
 */
const EARLY = 0;
const PRIOR_RISE_MS = 5;
/** Default weight of the newest step in the running mean: it follows the last ~100 steps. */
const RATE = 0.01;

export class RiseProfile {
  /** F at whole ms −EARLY..BINS. */
  private readonly table = new Float64Array(EARLY + BINS + 1);
  private seen = 0;

  /** rate: weight of the newest step (1 = the last step's own profile). */
  constructor(private readonly rate = RATE) {
    for (let tau = 0; tau <= BINS; tau++)
      this.table[EARLY + tau] = Math.min(1, tau / PRIOR_RISE_MS);
  }

  /** F(τ), τ in ms from the onset (or the hinted time); 0 long before it, flat past BINS. */
  at(tauMs: number): number {
    if (!(tauMs > -EARLY)) return 0;
    if (tauMs >= BINS) return this.table[EARLY + BINS]!;
    const x = tauMs + EARLY;
    const i = Math.floor(x);
    const w = x - i;
    return this.table[i]! * (1 - w) + this.table[i + 1]! * w;
  }

  /**
   * A step that began at onsetMs from baseW and settled at baseW + deltaW: fold its progress
   * at every whole ms after the onset (read back from the level history) into the mean.
   */
  learn(history: WindowExtremes, onsetMs: number, baseW: number, deltaW: number): void {
    const n = history.size;
    const first = Math.max(0, n - HISTORY);
    let i = first;
    const from = onsetMs - EARLY;
    while (i < n && history.timeAt(i) < from) i++;
    if (i === first && i < n && history.timeAt(i) > from) return; // older than the history
    // Early steps weigh more, so the prior washes out after a few steps.
    const rate = Math.max(this.rate, 1 / ++this.seen);
    for (let tau = 1 - EARLY; tau <= BINS; tau++) {
      const at = onsetMs + tau;
      while (i < n && history.timeAt(i) < at) i++;
      // The level at `at`, interpolated between the samples around it; settled past the newest.
      let frac = 1;
      if (i < n) {
        const t1 = history.timeAt(i);
        const v1 = history.valueAt(i);
        const t0 = i > first ? history.timeAt(i - 1) : from;
        const v0 = i > first ? history.valueAt(i - 1) : baseW;
        const v = t1 > t0 ? v0 + ((v1 - v0) * (at - t0)) / (t1 - t0) : v1;
        frac = Math.min(1, Math.max(0, (v - baseW) / deltaW));
      }
      const k = EARLY + tau;
      this.table[k] = this.table[k]! + rate * (frac - this.table[k]!);
    }
  }
}
