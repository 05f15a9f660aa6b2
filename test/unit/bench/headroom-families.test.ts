/**
 * bench:headroom's families and verdicts: the load shapes are what the definition says (built
 * through the simulator's own load models), the inference window arithmetic, and the pass
 * condition of one run.
 */
import { describe, expect, it } from 'vitest';
import { createLoadModel, type LoadModel, type LoadSpec } from '../../../sim/load/index.js';
import type { BenchOutcome } from '../../bench/control-bench-job.js';
import { feasibleSlowPeriodMs } from '../../bench/control-bench-job.js';
import { ErrorCode, Orv3Error } from '../../../src/errors.js';
import {
  HEADROOM_CAPACITY_W,
  headroomScenario,
  stepLoad,
  trainingLoad,
} from '../../bench/headroom-families.js';
import {
  extractWindow,
  movingAverageMax,
  PRE_ROLL_S,
  sample,
  windowStats,
} from '../../bench/headroom-inference.js';
import { formatH, judgeRun, ratio, type FamilyResult } from '../../bench/headroom-report.js';
import { parseScenario } from '../../../sim/scenario/index.js';

const C = HEADROOM_CAPACITY_W;
const model = (spec: LoadSpec, durationS: number): LoadModel =>
  createLoadModel(spec, { seed: 7, durationS, baseDir: '.', sharedDir: '.', fieldPath: 'load' });

describe('training family', () => {
  const S = 30000;
  const m = model(trainingLoad(S, 10), 10);

  it('alternates compute at S, an excursion to 1.3 S at each rise, and comms at 0.35 S', () => {
    expect(m.powerAt(1)).toBeCloseTo(0.35 * S, 6);
    expect(m.powerAt(2.02)).toBeCloseTo(1.3 * S, 6); // inside the 40 ms excursion
    expect(m.powerAt(2.2)).toBeCloseTo(S, 6);
    expect(m.powerAt(2.69)).toBeCloseTo(S, 6);
    expect(m.powerAt(2.8)).toBeCloseTo(0.35 * S, 6);
    expect(m.powerAt(3.02)).toBeCloseTo(1.3 * S, 6); // next iteration
    expect(m.peakW).toBeCloseTo(1.3 * S, 6);
  });

  it('is a valid scenario on the preset', () => {
    const s = parseScenario(headroomScenario('t', 'training', 10, trainingLoad(S, 10), 7));
    expect(s.zone.shelves * s.zone.psusPerShelf * s.zone.psuRatedW).toBe(C);
    expect(s.initial.socPct).toBe(100);
  });
});

describe('step family', () => {
  const S = 31000;
  const spec = stepLoad(S, C, 120, 7);

  it('depends on the seed only: the same times at every S', () => {
    const other = stepLoad(25000, C, 120, 7);
    expect(other.steps.map((s) => [s.atS, s.riseMs])).toEqual(
      spec.steps.map((s) => [s.atS, s.riseMs]),
    );
    expect(stepLoad(S, C, 120, 8).steps).not.toEqual(spec.steps);
  });

  it('stays between 0.4 S and S except for the overshoots, which reach S + 0.25 C', () => {
    const peak = S + 0.25 * C;
    const levels = spec.steps.map((s) => s.watts);
    for (const w of levels) expect(w === peak || (w >= 0.4 * S - 0.1 && w <= S + 0.1)).toBe(true);
    for (const s of spec.steps) expect(s.riseMs >= 1 && s.riseMs <= 50).toBe(true);
    // Every overshoot holds 100 ms after its rise and is followed by a settling step.
    spec.steps.forEach((s, i) => {
      if (s.watts !== peak) return;
      const next = spec.steps[i + 1]!;
      expect(next.atS - s.atS).toBeCloseTo((s.riseMs + 100) / 1000, 6);
      expect(next.watts).toBeLessThanOrEqual(S + 0.1);
    });
    expect(levels.filter((w) => w === peak).length).toBeGreaterThan(20);
  });

  it('builds as a valid steps load', () => {
    expect(model(spec, 120).peakW).toBeCloseTo(S + 0.25 * C, 6);
  });
});

describe('inference window arithmetic', () => {
  // 0–1 s at 10, 1–1.5 s at 30, then 20.
  const s = { t: [0, 1, 1.5], w: [10, 30, 20] };

  it('samples a step series', () => {
    expect([...sample(s, 0.9, 0.8, 0.1)]).toEqual([10, 30, 30, 30, 30, 30, 20, 20]);
  });

  it('finds the largest trailing moving average', () => {
    expect(movingAverageMax([1, 2, 3, 10, 0, 0], 2)).toBe(6.5);
    expect(movingAverageMax([5], 2)).toBeNaN();
  });

  it('extracts a window behind a pre-roll at its first value', () => {
    expect(extractWindow(s, 0.5, 1.2)).toEqual({
      t: [0, PRE_ROLL_S + 0.5, PRE_ROLL_S + 1],
      w: [10, 30, 20],
    });
  });

  it('takes the peak and the 1-s moving-average maximum', () => {
    const st = windowStats(s, 3);
    expect(st.peakW).toBe(30);
    // The best 1 s window holds 0.5 s at 30 and 0.5 s at 20.
    expect(st.ma1sMaxW).toBeCloseTo(25, 6);
    expect(st.ratio).toBeCloseTo(1.2, 6);
  });
});

function outcome(
  over: Partial<BenchOutcome['result']>,
  reserveIntact: boolean | null,
): BenchOutcome {
  return {
    key: 'k',
    mode: 'gateway',
    result: {
      psuOverloadEvents: 0,
      loadDropped: false,
      bbuNativeTriggers: 0,
      minBusV: 50,
      bbuEnergyWh: 1,
      ...over,
    } as BenchOutcome['result'],
    probe: {
      samples: 10,
      minBusV: 50,
      minBusAtS: 1,
      firstNativeTriggerAtS: null,
      firstOverloadAtS: 2.5,
      firstLoadDropAtS: null,
      reserve:
        reserveIntact === null
          ? null
          : {
              reserveWh: 800,
              minStoredWh: reserveIntact ? 850 : 790,
              minStoredAtS: 3,
              minMarginWh: reserveIntact ? 50 : -10,
              brokenAtS: reserveIntact ? null : 3,
              brokenSamples: reserveIntact ? 0 : 1,
              samples: 10,
              intact: reserveIntact,
            },
    },
    slowPeriodMs: null,
    wallS: 1,
  };
}

describe('judgeRun', () => {
  it('passes a clean run with the reserve intact', () => {
    expect(judgeRun(outcome({}, true), 'gateway', 30000)).toMatchObject({
      pass: true,
      reasons: [],
    });
  });

  it('fails on overloads, native triggers, a load drop, or a broken reserve (gateway only)', () => {
    const v = judgeRun(outcome({ psuOverloadEvents: 6 }, true), 'gateway', 30000);
    expect(v.pass).toBe(false);
    expect(v.reasons[0]).toMatch(/6 PSU overload events \(first at 2\.500 s\)/);
    expect(judgeRun(outcome({ bbuNativeTriggers: 1 }, true), 'conventional', 1).pass).toBe(false);
    expect(judgeRun(outcome({ loadDropped: true }, true), 'conventional', 1).pass).toBe(false);
    expect(judgeRun(outcome({}, false), 'gateway', 1).reasons[0]).toMatch(/reserve broken/);
    expect(judgeRun(outcome({}, false), 'conventional', 1).pass).toBe(true);
    expect(judgeRun(outcome({}, null), 'gateway', 1).pass).toBe(false);
  });
});

describe('family table helpers', () => {
  const search = (hPct: number | null) => ({
    status: hPct === null ? ('none' as const) : ('found' as const),
    hPct,
    verified: { at: null, below: null },
    evaluations: [],
  });
  const fam = (c: number | null, g: number | null): FamilyResult => ({
    family: 'f',
    durationS: 1,
    conventional: search(c),
    gateway: search(g),
  });

  it('prints headroom and the gateway/conventional ratio', () => {
    expect(formatH(search(19.5))).toBe('19.5 %');
    expect(formatH(search(null))).toBe('> 40.0 %');
    expect(ratio(fam(20, 3))).toBeCloseTo(0.15, 12);
    expect(ratio(fam(0, 0))).toBeNull();
    expect(ratio(fam(null, 3))).toBeNull();
  });
});

describe('feasibleSlowPeriodMs', () => {
  it('reads the shortest feasible slow-lane period from E503, rounded up to 250 ms', () => {
    const e = new Orv3Error(ErrorCode.ScheduleOverCapacity, 'over', {
      over: [{ lane: 'slow', minPeriodMs: 1553.7 }],
    });
    expect(feasibleSlowPeriodMs(e)).toBe(1750);
    expect(feasibleSlowPeriodMs(new Error('x'))).toBeNull();
    expect(
      feasibleSlowPeriodMs(
        new Orv3Error(ErrorCode.ScheduleOverCapacity, 'x', {
          over: [{ lane: 'fast', minPeriodMs: 2 }],
        }),
      ),
    ).toBeNull();
  });
});
