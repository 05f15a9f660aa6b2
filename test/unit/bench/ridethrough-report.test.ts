/**
 * bench:ridethrough's arithmetic on hand-made results: merging slices, the per-mode summary,
 * the acceptance lines, and the library's classification and bench criteria.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../bench/control-bench-job.js';
import type { ProbeSummary } from '../../bench/control-bench-probe.js';
import { percentile, toJson } from '../../bench/control-bench-format.js';
import {
  benchCriteria,
  classify,
  loadLibrary,
  QUICK_SET,
  sliceDocs,
} from '../../bench/ridethrough-library.js';
import {
  acceptance,
  formatRows,
  mergeParts,
  summarise,
  type CaseMetrics,
  type CaseRow,
  type PartRun,
} from '../../bench/ridethrough-report.js';

function result(over: Partial<BenchResult> = {}): BenchResult {
  return {
    scenario: 'x',
    gateway: false,
    rideThrough: true,
    loadDropped: false,
    pfaprS: null,
    pfaprRecovered: true,
    minBusV: 50,
    bbuNativeTriggers: 0,
    psuOverloadEvents: 0,
    maxGridRampWPerS: 1000,
    bbuEnergyWh: 0,
    minBbuSocPct: 100,
    criteriaPassed: true,
    criteria: {},
    preFaultGridW: null,
    energy: {} as BenchResult['energy'],
    sim: { durationS: 10, wallS: 1, speedup: 10, fineSteps: 0, coarseSteps: 0 },
    ...over,
  };
}

const probe = (over: Partial<ProbeSummary> = {}): ProbeSummary => ({
  samples: 1,
  minBusV: 50,
  minBusAtS: null,
  firstNativeTriggerAtS: null,
  firstOverloadAtS: null,
  firstLoadDropAtS: null,
  reserve: null,
  ...over,
});

const part = (r: Partial<BenchResult>, p: Partial<ProbeSummary> = {}): PartRun => ({
  result: result(r),
  probe: probe(p),
  wallS: 2,
});

describe('mergeParts', () => {
  it('takes the worst of each figure and sums counts and energy', () => {
    const m = mergeParts([
      part(
        { minBusV: 49, bbuNativeTriggers: 1, bbuEnergyWh: 2, minBbuSocPct: 97 },
        { minBusAtS: 3 },
      ),
      part(
        { minBusV: 48, rideThrough: false, psuOverloadEvents: 2, maxGridRampWPerS: 5000 },
        { minBusAtS: 7, firstOverloadAtS: 6 },
      ),
    ]);
    expect(m).toMatchObject({
      rideThrough: false,
      minBusV: 48,
      minBusAtS: 7,
      bbuNativeTriggers: 1,
      psuOverloadEvents: 2,
      maxGridRampWPerS: 5000,
      bbuEnergyWh: 2,
      minBbuSocPct: 97,
      pfaprS: null,
      firstOverloadAtS: 6,
      wallS: 4,
      simS: 20,
    });
  });

  it('gives ∞ PFAPR to a fault that never recovered, null without a fault', () => {
    expect(mergeParts([part({ pfaprS: null, pfaprRecovered: false })]).pfaprS).toBe(Infinity);
    expect(mergeParts([part({ pfaprS: 0.4 })]).pfaprS).toBe(0.4);
    expect(mergeParts([part({}), part({})]).pfaprS).toBeNull();
  });
});

const metrics = (over: Partial<CaseMetrics> = {}): CaseMetrics => ({
  ...mergeParts([part({})]),
  ...over,
});

const row = (
  name: string,
  klass: CaseRow['klass'],
  c: Partial<CaseMetrics>,
  g: Partial<CaseMetrics>,
): CaseRow => ({ name, klass, conventional: metrics(c), gateway: metrics(g) });

/** A small run where the gateway meets everything and the conventional shelf shows the gaps. */
const good: CaseRow[] = [
  row('sag-a', 'sag', { pfaprS: 14.7, bbuNativeTriggers: 6, rideThrough: false }, { pfaprS: 0.09 }),
  row('sag-b', 'sag', { pfaprS: 0 }, { pfaprS: 0.2 }),
  row('sag-c', 'sag', { pfaprS: 9.1, bbuNativeTriggers: 6 }, { pfaprS: 0.5 }),
  row('step', 'load', { psuOverloadEvents: 6 }, {}),
];

describe('summarise and acceptance', () => {
  it('computes the rates and PFAPR p50/max over sag scenarios only', () => {
    const c = summarise(good, 'conventional');
    expect(c).toMatchObject({
      scenarios: 4,
      rideThrough: 3,
      rideThroughRate: 0.75,
      sagScenarios: 3,
      pfaprP50S: 9.1,
      pfaprMaxS: 14.7,
      pfaprOverBudget: 2,
      nativeTriggerScenarios: 2,
      overloadEvents: 6,
      overloadScenarios: 1,
    });
    const g = summarise(good, 'gateway');
    expect(g).toMatchObject({
      rideThroughRate: 1,
      pfaprP50S: 0.2,
      pfaprMaxS: 0.5,
      pfaprOverBudget: 0,
    });
  });

  it('passes every line on a good run', () => {
    const t = acceptance(good);
    expect(t).toHaveLength(5);
    expect(t.every((x) => x.pass)).toBe(true);
  });

  it('fails the line a gateway miss breaks, and names the scenario', () => {
    const bad = [
      ...good,
      row('sag-d', 'sag', { pfaprS: 8 }, { pfaprS: Infinity, bbuNativeTriggers: 1 }),
      row('swing', 'load', {}, { rideThrough: false, loadDropped: true }),
    ];
    const t = acceptance(bad);
    const line = (s: string) => t.find((x) => x.target.includes(s))!;
    expect(line('100 %')).toMatchObject({ pass: false });
    expect(line('100 %').value).toContain('swing');
    expect(line('native').pass).toBe(false);
    expect(line('load dropped').pass).toBe(false);
    expect(line('PFAPR').pass).toBe(false);
    expect(line('PFAPR').value).toContain('sag-d');
    expect(line('conventional').pass).toBe(true);
  });

  it('fails the conventional line when the run shows no gap', () => {
    const flat = good.map((r) => ({ ...r, conventional: r.gateway }));
    expect(acceptance(flat).find((x) => x.target.startsWith('conventional'))!.pass).toBe(false);
  });

  it('prints one row per case with both modes in each cell', () => {
    const text = formatRows(good);
    expect(text.split('\n')[2]).toMatch(/^sag-a\s+NO \| yes\s+14\.70 \| 0\.09/);
  });
});

describe('percentile', () => {
  it('is nearest-rank: an observed value, the lower middle for an even count', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([1, 2, Infinity], 100)).toBe(Infinity);
    expect(percentile([], 50)).toBeNaN();
  });

  it('keeps ∞ distinct from null in --json output', () => {
    expect(JSON.parse(toJson({ a: Infinity, b: null, c: -Infinity, d: 1.5 }))).toEqual({
      a: 'Infinity',
      b: null,
      c: '-Infinity',
      d: 1.5,
    });
  });
});

describe('ride-through library', () => {
  it('classifies by the grid events', () => {
    expect(classify({ grid: { events: [{ pu: 0.5 }] } })).toBe('sag');
    expect(classify({ grid: { events: [{ pu: 1 }] } })).toBe('grid');
    expect(classify({ grid: { events: [] } })).toBe('load');
  });

  it('judges every scenario at 48.5 V and every fault at PFAPR 1 s, keeping other criteria', () => {
    expect(benchCriteria({ minBusV: 46, maxPsuOverloadEvents: 0 }, 'load')).toEqual({
      minBusV: 48.5,
      maxPsuOverloadEvents: 0,
    });
    expect(benchCriteria({ minBusV: 46 }, 'sag')).toEqual({ minBusV: 48.5, pfaprS: 1 });
  });

  it('slices a long trace scenario: spread over its length, contiguous when it is all run', () => {
    const doc = {
      name: 'inf',
      durationS: 3600,
      grid: { events: [] },
      criteria: {},
      load: { kind: 'inference', startOffsetS: 0 },
    };
    const cut = (totalS: number, sliceS: number) =>
      sliceDocs(doc, totalS, sliceS).map((d) => [d.name, d.durationS, d.load['startOffsetS']]);
    expect(cut(1800, 600)).toEqual([
      ['inf.t0000-0600', 600, 0],
      ['inf.t1200-1800', 600, 1200],
      ['inf.t2400-3000', 600, 2400],
    ]);
    expect(cut(3600, 1200).map((x) => x[2])).toEqual([0, 1200, 2400]);
    expect(cut(99999, 1200).map((x) => x[2])).toEqual([0, 1200, 2400]);
    expect(cut(300, 300)).toEqual([['inf.t0000-0300', 300, 0]]);
  });

  it('holds every scenario of the quick set, each classified, with the bench criteria', () => {
    const { cases, skipped } = loadLibrary({
      quick: true,
      sharedDir: '/nonexistent',
      inferenceS: 300,
      sliceS: 300,
    });
    const names = [...cases.map((c) => c.name), ...skipped.map((s) => s.name)].sort();
    expect(names).toEqual([...QUICK_SET].sort());
    expect(skipped.map((s) => s.name)).toEqual(['inference-hour']);
    for (const c of cases) {
      expect(c.parts[0]!['criteria']).toMatchObject({ minBusV: 48.5 });
      if (c.klass === 'sag') expect(c.parts[0]!['criteria']).toMatchObject({ pfaprS: 1 });
    }
  });
});
