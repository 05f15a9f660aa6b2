/**
 * bench:predictor's report and helpers on hand-computed cases: error ratios per rise class,
 * detection per class and per group (fast ≤ 5 ms, slow), hints carrying a ramp, and the sag
 * replay's latencies. Correctness of the bench only; no wall-clock figures.
 */
import { describe, expect, it } from 'vitest';
import type { LoadModel } from '../../../../sim/load/index.js';
import type { Family } from '../../../bench/predictor-families.js';
import { ErrorStats } from '../../../bench/predictor-metrics.js';
import { buildReport } from '../../../bench/predictor-report.js';
import { hintSchedule, type FamilyRun } from '../../../bench/predictor-run.js';
import { latencies, LOOP_SAG, replay } from '../../../bench/predictor-sag.js';

/** Four ErrorStats (one per horizon) each holding the errors given. */
const errs = (...e: number[]): ErrorStats[] =>
  [1, 5, 10, 20].map(() => {
    const s = new ErrorStats();
    for (const x of e) s.add(x, 0);
    return s;
  });

const steps = [
  { onsetMs: 40000, deltaW: 200, riseMs: 1 },
  { onsetMs: 50000, deltaW: -200, riseMs: 1 },
  { onsetMs: 60000, deltaW: 200, riseMs: 20 },
  { onsetMs: 70000, deltaW: -200, riseMs: 20 },
];
const family: Family = {
  name: 'hand',
  ratedW: 1000,
  psus: 1,
  psuRatedW: 1000,
  durationS: 120,
  truth: () => ({}) as LoadModel,
  onsetsMs: Float64Array.from(steps, (s) => s.onsetMs),
  steps,
};

describe('buildReport', () => {
  const run: FamilyRun = {
    family,
    warmupS: 30,
    ticks: 90000,
    missing: 90,
    // Aggregate: persistence RMS 10, model 5, bound 8.
    persistence: errs(10, -10),
    bound: errs(8, -8),
    hintBound: null,
    models: [
      {
        name: 'predictor',
        err: errs(5, -5),
        // Latencies 1, 1.5 (fast), 10, 30 (slow); 80000 has no step in the 60 ms before it.
        detections: [
          { atMs: 40001, deltaW: 150 },
          { atMs: 50001.5, deltaW: -150 },
          { atMs: 60010, deltaW: 150 },
          { atMs: 70030, deltaW: -150 },
          { atMs: 80000, deltaW: 150 },
        ],
      },
      { name: 'variant', err: [], detections: [{ atMs: 40002, deltaW: 150 }] },
    ],
    byRise: new Map([
      [1, { models: [errs(6)], persistence: errs(6, 6, 6, 6), bound: errs(3), hintBound: null }],
      [20, { models: [errs(1)], persistence: errs(4), bound: errs(2), hintBound: null }],
    ]),
  };
  const r = buildReport(run, 60);

  it('ratios in aggregate and per class, per horizon, with the causal bound', () => {
    expect(r.byRise.map((c) => c.rise)).toEqual(['all', '1 ms', '20 ms']);
    const all = r.byRise[0]!;
    expect(all.ratios.map((x) => x.model)).toEqual(['predictor', 'causal bound']);
    expect(all.ratios[0]!.ratio).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(all.ratios[1]!.ratio[1]).toBeCloseTo(0.8, 12);
    expect(r.byRise[1]!.ratios[0]!.ratio[2]).toBeCloseTo(1, 12);
    expect(r.byRise[1]!.ticks).toEqual([4, 4, 4, 4]);
    expect(r.byRise[2]!.ratios[0]!.ratio[0]).toBeCloseTo(0.25, 12);
    expect(r.byRise[2]!.ratios[1]!.ratio[3]).toBeCloseTo(0.5, 12);
    expect(r.forecasts.find((f) => f.horizonMs === 5)!.ratio).toBeCloseTo(0.5, 12);
  });

  it('detection in aggregate, per rise, per group; variants get their own rows', () => {
    const row = (model: string, s: string) =>
      r.detection.find((d) => d.model === model && d.steps === s)!;
    const all = row('predictor', 'all');
    expect(all.n).toBe(4);
    expect(all.recall).toBe(1);
    expect(all.falseAlarms).toBe(1);
    expect(all.falseAlarmsPerHour).toBeCloseTo(40, 12); // 1 in 90 evaluated seconds
    const fast = row('predictor', 'rise ≤ 5 ms');
    expect([fast.n, fast.p50Ms, fast.p99Ms, fast.maxMs]).toEqual([2, 1, 1.5, 1.5]);
    const slow = row('predictor', 'rise > 5 ms');
    expect([slow.n, slow.p50Ms, slow.p99Ms]).toEqual([2, 10, 30]);
    expect(row('predictor', '20 ms').maxMs).toBe(30);
    expect(row('variant', 'all').recall).toBe(0.25);
    expect(row('variant', '1 ms').recall).toBe(0.5);
    expect(row('variant', '1 ms').falseAlarms).toBeUndefined();
  });
});

describe('hints with a ramp in the schedule', () => {
  it('exact: the step’s rise; ±20 %: within it; no rampErrFrac: no ramp', () => {
    const base = { name: 'x', leadMs: 50, timeErrMs: 0, deltaErrFrac: 0 };
    const exact = hintSchedule(steps, { ...base, rampErrFrac: 0 }, 1);
    expect(exact.map((h) => h.rampMs)).toEqual([1, 1, 20, 20]);
    expect(exact.map((h) => h.atMs)).toEqual([39950, 49950, 59950, 69950]);
    const rough = hintSchedule(steps, { ...base, rampErrFrac: 0.2 }, 1);
    rough.forEach((h, i) => {
      expect(h.rampMs!).toBeGreaterThanOrEqual(0.8 * steps[i]!.riseMs);
      expect(h.rampMs!).toBeLessThanOrEqual(1.2 * steps[i]!.riseMs);
    });
    expect(hintSchedule(steps, base, 1).every((h) => h.rampMs === undefined)).toBe(true);
  });
});

describe('sag replay', () => {
  it('latency from the onset, loss, and return from the end, on a hand-made READ_VIN', () => {
    // Ticks at k + 0.3 ms; the sag starts at 1000 ms, lasts 100 ms; READ_VIN steps with it.
    const vin = Float64Array.from({ length: 2000 }, (_, k) => (k >= 1000 && k < 1100 ? 150 : 277));
    const event = { atS: 1, pu: 150 / 277, durationMs: 100, rampMs: 0, frequencyHz: 60 };
    const x = replay(vin, [event], LOOP_SAG);
    // First sample below at 1000.3, confirmed at 1001.3; back at 1100.3, confirmed 1101.3.
    expect(x.engage[0]).toBeCloseTo(1.3, 9);
    expect(x.loss[0]).toBeCloseTo(1.3, 9);
    expect(x.ret[0]).toBeCloseTo(1.3, 9);
    const l = latencies([3, 1, 2], 4);
    expect(l).toEqual({ n: 3, of: 4, p50Ms: 2, maxMs: 3 });
  });
});
