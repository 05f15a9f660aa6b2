/**
 * bench:predictor's scoring and stream generation on tiny hand-computed cases: error ratio,
 * recall, latency, false alarms, the fast LINEAR11 round trip against the codec, and the
 * families' true-step lists. Correctness of the bench only; no wall-clock figures.
 */
import { describe, expect, it } from 'vitest';
import { PiecewiseSeries } from '../../../../sim/load/index.js';
import {
  STEP_FRAC,
  stepFamily,
  swingFamily,
  windowedSteps,
} from '../../../bench/predictor-families.js';
import {
  crossingTimesMs,
  errorRatio,
  ErrorStats,
  latenciesFrom,
  matchDetections,
  perHour,
} from '../../../bench/predictor-metrics.js';
import { fastWire11, wire11 } from '../../../bench/predictor-wire.js';

describe('forecast error accumulators', () => {
  it('RMS, MAE and the ratio to persistence on the same samples', () => {
    const model = new ErrorStats();
    const persistence = new ErrorStats();
    // (forecast, truth): model errors 3 and −4; persistence errors 6 and −8.
    model.add(13, 10);
    model.add(6, 10);
    persistence.add(16, 10);
    persistence.add(2, 10);
    expect(model.rms).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(model.mae).toBe(3.5);
    expect(persistence.rms).toBeCloseTo(Math.sqrt(50), 12);
    expect(errorRatio(model, persistence)).toBeCloseTo(0.5, 12);
    expect(new ErrorStats().rms).toBeNaN();
  });
});

describe('matchDetections', () => {
  const steps = [
    { onsetMs: 100, deltaW: 5000 },
    { onsetMs: 500, deltaW: -5000 },
    { onsetMs: 900, deltaW: 5000 },
  ];

  it('recall, latency, duplicates and false alarms of a hand-made case', () => {
    const r = matchDetections(
      steps,
      [
        { atMs: 101.5, deltaW: 4000 }, // hit, 1.5 ms
        { atMs: 130, deltaW: 4500 }, // duplicate inside the first step's window: not false
        { atMs: 520, deltaW: 3000 }, // wrong sign: no hit, but a real step is in its window
        { atMs: 700, deltaW: 3000 }, // nothing within 60 ms before it: false alarm
        { atMs: 1000, deltaW: 3000 }, // the third step's detection comes after its window
      ],
      60,
    );
    expect(r.hits).toBe(1);
    expect(r.recall).toBeCloseTo(1 / 3, 12);
    expect([...r.latenciesMs]).toEqual([1.5]);
    expect(r.p50Ms).toBe(1.5);
    expect(r.maxMs).toBe(1.5);
    expect(r.falseAlarms).toBe(2); // 700 and 1000
    expect(r.detections).toBe(5);
  });

  it('greedy in time: each detection serves the earliest step still waiting for one', () => {
    const r = matchDetections(
      [
        { onsetMs: 0, deltaW: 1 },
        { onsetMs: 10, deltaW: 1 },
        { onsetMs: 20, deltaW: 1 },
      ],
      [
        { atMs: 12, deltaW: 1 }, // the first step's (12 ms)
        { atMs: 29, deltaW: 1 }, // the second step's (19 ms); the third is missed
      ],
      60,
    );
    expect(r.hits).toBe(2);
    expect([...r.latenciesMs]).toEqual([12, 19]);
    expect(r.p50Ms).toBe(12);
    expect(r.p99Ms).toBe(19);
    expect(r.falseAlarms).toBe(0);
  });

  it('per hour', () => {
    expect(perHour(2, 1800)).toBe(4);
  });
});

describe('the wire model', () => {
  it('the fast LINEAR11 round trip equals the codec on a sweep and at exponent edges', () => {
    for (let v = 0; v < 40000; v += 3.731) expect(fastWire11(v)).toBe(wire11(v));
    for (let n = -16; n < 15; n++) {
      for (const k of [1023.5, 1023.49, 1023.51, 511.5, 512]) {
        const v = k * 2 ** n;
        expect(fastWire11(v)).toBe(wire11(v));
      }
    }
  });
});

describe('the families', () => {
  it('step-heavy: steps of 10–60 % of the rating, rises 1/5/20/50 ms, levels in [5 %, 100 %]', () => {
    const f = stepFamily(3, 120);
    expect(f.steps.length).toBeGreaterThan(100);
    const truth = f.truth();
    let last = -Infinity;
    for (const s of f.steps) {
      expect(Math.abs(s.deltaW)).toBeGreaterThanOrEqual(STEP_FRAC * f.ratedW - 1e-6);
      expect(Math.abs(s.deltaW)).toBeLessThanOrEqual(0.6 * f.ratedW + 1e-6);
      expect([1, 5, 20, 50]).toContain(s.riseMs);
      expect(s.onsetMs).toBeGreaterThan(last);
      last = s.onsetMs;
      const after = truth.powerAt((s.onsetMs + s.riseMs) / 1000);
      expect(after).toBeGreaterThanOrEqual(0.05 * f.ratedW - 1e-6);
      expect(after).toBeLessThanOrEqual(f.ratedW + 1e-6);
      expect(after - truth.powerAt(s.onsetMs / 1000)).toBeCloseTo(s.deltaW, 3);
    }
  });

  it('swings: every listed edge is a change of ≥ 10 % that the truth makes', () => {
    const f = swingFamily(3, 120);
    const truth = f.truth();
    for (const s of f.steps) {
      const before = truth.powerAt((s.onsetMs - 0.01) / 1000);
      const after = truth.powerAt((s.onsetMs + s.riseMs + 0.01) / 1000);
      expect(after - before).toBeCloseTo(s.deltaW, 0);
    }
  });

  it('windowed true steps: a +7 % then +7 % within 50 ms is one step, 60 ms apart is none', () => {
    const rated = 100000;
    const at = (times: number[], watts: number[]) =>
      new PiecewiseSeries(times, watts, { mode: 'step', durationS: 1, description: '' });
    const close = windowedSteps(
      at([0, 0.1, 0.14], [50000, 57000, 64000]),
      1000,
      rated,
      Float64Array.of(100, 140),
    );
    expect(close).toEqual([{ onsetMs: 100, deltaW: 14000, riseMs: NaN }]);
    const apart = windowedSteps(
      at([0, 0.1, 0.16], [50000, 57000, 64000]),
      1000,
      rated,
      Float64Array.of(100, 160),
    );
    expect(apart).toEqual([]);
  });
});

describe('latency from the detection-size crossing', () => {
  // 0 W until 100 ms, then a linear ramp to 1000 W over 50 ms; a 1 ms step down to 0 at 300 ms.
  const truth = (t: number): number =>
    t < 100 ? 0 : t < 150 ? (t - 100) * 20 : t < 300 ? 1000 : t < 301 ? 1000 - (t - 300) * 1000 : 0;
  const steps = [
    { onsetMs: 100, deltaW: 1000, riseMs: 50 },
    { onsetMs: 300, deltaW: -1000, riseMs: 1 },
  ];

  it('finds when each step had moved the load by the size, on the grid', () => {
    const cross = crossingTimesMs(steps, truth, 300, 0.05);
    // 300 W of a 20 W/ms ramp: 15 ms after the onset; 300 W of the 1 ms step: 0.3 ms (within
    // one grid step of 0.05 ms).
    expect(Math.abs(cross[0]! - 115)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(Math.abs(cross[1]! - 300.3)).toBeLessThanOrEqual(0.05 + 1e-9);
    // A size never reached ends at onset + rise.
    expect(crossingTimesMs([steps[0]!], truth, 5000, 0.05)[0]).toBe(150);
  });

  it('matches like matchDetections and measures from the reference (negative: early)', () => {
    const ref = Float64Array.from([115, 300.3]);
    const lat = latenciesFrom(
      steps,
      ref,
      [
        { atMs: 112, deltaW: 800 }, // before the crossing: forecast
        { atMs: 301, deltaW: -900 },
        { atMs: 400, deltaW: 500 }, // no step: not counted here
      ],
      60,
    );
    expect(Array.from(lat).map((x) => Math.round(x * 10) / 10)).toEqual([-3, 0.7]);
    // Wrong sign or outside the window: not matched.
    expect(latenciesFrom(steps, ref, [{ atMs: 120, deltaW: -1 }], 60).length).toBe(0);
    expect(latenciesFrom(steps, ref, [{ atMs: 170, deltaW: 1 }], 60).length).toBe(0);
  });
});
