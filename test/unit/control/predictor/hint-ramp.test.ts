/**
 * Workload hints that carry the ramp (rampMs): the forecast follows the hinted course before
 * and during the change, a missing or bad rampMs falls back to the bare hint, and the learned
 * lateness smears the hinted ramp by how far hints have missed (hand-computed values).
 */
import { describe, expect, it } from 'vitest';
import { LoadPredictor } from '../../../../src/control/predictor/index.js';
import { HintLateness, rampFraction } from '../../../../src/control/predictor/lateness.js';

const RATED = 33000;

function feed(p: LoadPredictor, load: (t: number) => number, from: number, to: number): void {
  for (let t = from; t < to; t++) p.push(t, load(t));
}

/** Flat at `a` until t0, then a linear ramp to `b` over riseMs. */
const ramp = (a: number, b: number, t0: number, riseMs: number) => (t: number) =>
  t <= t0 ? a : t >= t0 + riseMs ? b : a + ((b - a) * (t - t0)) / riseMs;

describe('hints with a ramp', () => {
  it('before the onset, forecasts the hinted ramp itself; a bare hint only a mean rise', () => {
    // +6600 W over 20 ms from t = 1050, hinted 50 ms ahead.
    const load = ramp(10000, 16600, 1050, 20);
    const bare = new LoadPredictor({ ratedW: RATED });
    const ramped = new LoadPredictor({ ratedW: RATED });
    feed(bare, () => 10000, 0, 1000);
    feed(ramped, () => 10000, 0, 1000);
    bare.hint(6600, 50, 1000);
    ramped.hint(6600, 50, 1000, 20);
    feed(bare, load, 1000, 1049);
    feed(ramped, load, 1000, 1049);
    // Last sample at 1048: 10 ms ahead is 8 ms into the ramp (40 % of it: 12 640 W).
    expect(ramped.forecast(10)).toBeCloseTo(load(1058), 0);
    expect(ramped.forecast(2)).toBeCloseTo(10000, 0);
    // The bare hint's prior rise (5 ms linear) is done by then: it forecasts the whole step.
    expect(bare.forecast(10)).toBeCloseTo(16600, 0);
  });

  it('during the ramp, carries the hinted rate up to the hinted level and never past it', () => {
    const load = ramp(10000, 16600, 1050, 20); // 330 W/ms
    const p = new LoadPredictor({ ratedW: RATED });
    feed(p, () => 10000, 0, 1000);
    p.hint(6600, 50, 1000, 20);
    feed(p, load, 1000, 1056);
    expect(p.hintPending).toBe(true);
    expect(p.forecast(4)).toBeCloseTo(load(1059), -1);
    expect(p.forecast(20)).toBeCloseTo(16600, -1);
    expect(p.forecast(20)).toBeLessThanOrEqual(16600 + 1);
  });

  it('a hinted jump (rampMs 0) is forecast whole from its hinted time', () => {
    const p = new LoadPredictor({ ratedW: RATED });
    feed(p, () => 20000, 0, 1000);
    p.hint(-8000, 20, 999, 0);
    expect(p.forecast(19.5)).toBeCloseTo(20000, 0);
    expect(p.forecast(20.5)).toBeCloseTo(12000, 0);
  });

  it('an absent, NaN or negative rampMs is an unknown ramp: the same as a bare hint', () => {
    const forecasts = (rampMs?: number): number[] => {
      const p = new LoadPredictor({ ratedW: RATED });
      feed(p, () => 10000, 0, 500);
      p.hint(5000, 30, 499, rampMs);
      feed(p, () => 10000, 500, 520);
      return [1, 5, 10, 20].map((h) => p.forecast(h));
    };
    const bare = forecasts();
    expect(forecasts(Number.NaN)).toEqual(bare);
    expect(forecasts(-3)).toEqual(bare);
    expect(forecasts(Number.POSITIVE_INFINITY)).toEqual(bare);
    expect(forecasts(40)).not.toEqual(bare);
  });
});

describe('hint lateness', () => {
  it('with nothing learned, the hinted ramp is taken at its word', () => {
    const l = new HintLateness();
    expect(l.expectedRise(-1, 4)).toBe(0);
    expect(l.expectedRise(1, 4)).toBe(0.25);
    expect(l.expectedRise(5, 4)).toBe(1);
    expect(rampFraction(0.5, 0)).toBe(1);
    expect(rampFraction(0, 0)).toBe(0);
  });

  it('learns mean and spread, and smears the ramp uniformly over mean ± √3 σ', () => {
    const l = new HintLateness();
    l.learn(-2);
    l.learn(2); // mean 0, σ 2: uniform on ±2√3 = ±3.464 ms
    expect(l.meanMs).toBeCloseTo(0, 12);
    expect(l.sdMs).toBeCloseTo(2, 12);
    const a = 2 * Math.sqrt(3);
    // A jump: the uniform CDF.
    expect(l.expectedRise(0, 0)).toBeCloseTo(0.5, 12);
    expect(l.expectedRise(1, 0)).toBeCloseTo((1 + a) / (2 * a), 12);
    // A 4 ms ramp at its hinted start: ∫₀^a u/4 du / 2a = a / 16.
    expect(l.expectedRise(0, 4)).toBeCloseTo(a / 16, 12);
    // Its middle, by symmetry, and far past it.
    expect(l.expectedRise(2, 4)).toBeCloseTo(0.5, 12);
    expect(l.expectedRise(10, 4)).toBeCloseTo(1, 12);
    // A constant lateness only shifts the ramp.
    const late = new HintLateness();
    for (let i = 0; i < 10; i++) late.learn(3);
    expect(late.sdMs).toBeCloseTo(0, 6);
    expect(late.expectedRise(5, 4)).toBeCloseTo(0.5, 6);
  });

  it('a predictor learns how late its hints come from the steps they announce', () => {
    const p = new LoadPredictor({ ratedW: RATED });
    let t = 0;
    feed(p, () => 10000, t, 1000);
    // Five hinted 5 ms ramps of +-20 %, each starting 4 ms after its hinted time.
    let level = 10000;
    for (let i = 0; i < 5; i++) {
      t = 1000 + i * 400;
      const next = level === 10000 ? 16600 : 10000;
      p.hint(next - level, 50, t, 5);
      feed(p, ramp(level, next, t + 54, 5), t, t + 400);
      level = next;
    }
    const internals = p as unknown as { hints: { lateness: HintLateness } };
    expect(internals.hints.lateness.meanMs).toBeGreaterThan(3);
    expect(internals.hints.lateness.meanMs).toBeLessThan(5);
  });
});
