/**
 * How far the north side's hints miss the onset they announce: a running mean and spread of
 * (observed onset − hinted time) over the hints that engaged. A hint carrying its ramp knows
 * the course of the change but not, to the ms, when it starts; the expected course is the
 * ramp smeared over that spread (taken as uniform on mean ± √3·σ, which keeps the expectation
 * in closed form: O(1) per forecast, no allocation). Exact hints learn σ ≈ 0 and keep the
 * bare ramp; before any hint has engaged, the hinted time is taken at its word.
 */

/** Weight of the newest hint in the running moments once past the first 1/RATE hints. */
const RATE = 0.02;
const SQRT3 = Math.sqrt(3);

export class HintLateness {
  private mean = 0;
  private meanSq = 0;
  private n = 0;

  /** A hinted change began lateMs after its hinted time (negative: early). */
  learn(lateMs: number): void {
    if (!Number.isFinite(lateMs)) return;
    const r = Math.max(RATE, 1 / ++this.n);
    this.mean += r * (lateMs - this.mean);
    this.meanSq += r * (lateMs * lateMs - this.meanSq);
  }

  get meanMs(): number {
    return this.mean;
  }
  get sdMs(): number {
    return Math.sqrt(Math.max(0, this.meanSq - this.mean * this.mean));
  }

  /**
   * Expected fraction done tauMs after the hinted time of a linear ramp of rampMs (0: a jump)
   * whose start is the hinted time plus the learned lateness.
   */
  expectedRise(tauMs: number, rampMs: number): number {
    const a = SQRT3 * this.sdMs;
    const x = tauMs - this.mean;
    if (a < 1e-3) return rampFraction(x, rampMs);
    return (rampIntegral(x + a, rampMs) - rampIntegral(x - a, rampMs)) / (2 * a);
  }
}

/** Fraction of a linear ramp of rampMs done tauMs after its start (a jump when rampMs = 0). */
export function rampFraction(tauMs: number, rampMs: number): number {
  if (!(tauMs > 0)) return 0;
  return tauMs >= rampMs ? 1 : tauMs / rampMs;
}

/** ∫ rampFraction(u) du from −∞ to x. */
function rampIntegral(x: number, rampMs: number): number {
  if (!(x > 0)) return 0;
  if (x >= rampMs) return x - 0.5 * rampMs;
  return (0.5 * x * x) / rampMs;
}
