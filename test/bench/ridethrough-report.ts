/**
 * bench:ridethrough's arithmetic: one row per library case (its parts merged), the per-mode
 * summary, the acceptance lines of issue 4, and the side-by-side table. Pure functions.
 */
import type { BenchMode, BenchResult } from './control-bench-job.js';
import type { ProbeSummary } from './control-bench-probe.js';
import { fmt, percentile, table } from './control-bench-format.js';
import type { CaseClass } from './ridethrough-library.js';

/** The figures of one case in one mode (several slices merged into one). */
export interface CaseMetrics {
  rideThrough: boolean;
  loadDropped: boolean;
  /** null: no fault; Infinity: grid power never came back to 90 % of pre-fault. */
  pfaprS: number | null;
  minBusV: number;
  bbuNativeTriggers: number;
  psuOverloadEvents: number;
  maxGridRampWPerS: number;
  bbuEnergyWh: number;
  minBbuSocPct: number;
  criteriaPassed: boolean;
  /** When things happened (first slice where they did), s of that slice. */
  minBusAtS: number | null;
  firstNativeTriggerAtS: number | null;
  firstOverloadAtS: number | null;
  wallS: number;
  simS: number;
}

export interface CaseRow {
  name: string;
  klass: CaseClass;
  conventional: CaseMetrics;
  gateway: CaseMetrics;
}

export interface PartRun {
  result: BenchResult;
  probe: ProbeSummary;
  wallS: number;
}

const firstNonNull = (xs: (number | null)[]): number | null => xs.find((x) => x !== null) ?? null;

/** Merges the slices of one case: worst of each figure, sums of counts and energy. */
export function mergeParts(parts: readonly PartRun[]): CaseMetrics {
  if (parts.length === 0) throw new RangeError('no parts to merge');
  const r = parts.map((p) => p.result);
  const faulted = r.some((x) => x.pfaprS !== null || !x.pfaprRecovered);
  const pfapr = (x: BenchResult): number => x.pfaprS ?? (x.pfaprRecovered ? -Infinity : Infinity);
  let minBusAtS: number | null = null;
  let minBus = Infinity;
  for (const p of parts) {
    if (p.result.minBusV < minBus) {
      minBus = p.result.minBusV;
      minBusAtS = p.probe.minBusAtS;
    }
  }
  return {
    rideThrough: r.every((x) => x.rideThrough),
    loadDropped: r.some((x) => x.loadDropped),
    pfaprS: faulted ? Math.max(...r.map(pfapr)) : null,
    minBusV: minBus,
    bbuNativeTriggers: r.reduce((a, x) => a + x.bbuNativeTriggers, 0),
    psuOverloadEvents: r.reduce((a, x) => a + x.psuOverloadEvents, 0),
    maxGridRampWPerS: Math.max(...r.map((x) => x.maxGridRampWPerS)),
    bbuEnergyWh: r.reduce((a, x) => a + x.bbuEnergyWh, 0),
    minBbuSocPct: Math.min(...r.map((x) => x.minBbuSocPct)),
    criteriaPassed: r.every((x) => x.criteriaPassed),
    minBusAtS,
    firstNativeTriggerAtS: firstNonNull(parts.map((p) => p.probe.firstNativeTriggerAtS)),
    firstOverloadAtS: firstNonNull(parts.map((p) => p.probe.firstOverloadAtS)),
    wallS: parts.reduce((a, p) => a + p.wallS, 0),
    simS: r.reduce((a, x) => a + x.sim.durationS, 0),
  };
}

export interface ModeSummary {
  scenarios: number;
  rideThrough: number;
  rideThroughRate: number;
  sagScenarios: number;
  /** Over sag scenarios; a scenario that never recovered counts as ∞. */
  pfaprP50S: number;
  pfaprMaxS: number;
  /** Sag scenarios with PFAPR above the 1 s budget (or never recovered). */
  pfaprOverBudget: number;
  nativeTriggerScenarios: number;
  overloadEvents: number;
  overloadScenarios: number;
  loadDropScenarios: number;
  bbuEnergyWh: number;
  minBbuSocPct: number;
}

export function summarise(rows: readonly CaseRow[], mode: BenchMode, budgetS = 1): ModeSummary {
  const m = rows.map((r) => r[mode]);
  const sag = rows.filter((r) => r.klass === 'sag').map((r) => r[mode].pfaprS ?? Infinity);
  const ride = m.filter((x) => x.rideThrough).length;
  return {
    scenarios: m.length,
    rideThrough: ride,
    rideThroughRate: m.length > 0 ? ride / m.length : NaN,
    sagScenarios: sag.length,
    pfaprP50S: percentile(sag, 50),
    pfaprMaxS: sag.length > 0 ? Math.max(...sag) : NaN,
    pfaprOverBudget: sag.filter((x) => !(x <= budgetS)).length,
    nativeTriggerScenarios: m.filter((x) => x.bbuNativeTriggers > 0).length,
    overloadEvents: m.reduce((a, x) => a + x.psuOverloadEvents, 0),
    overloadScenarios: m.filter((x) => x.psuOverloadEvents > 0).length,
    loadDropScenarios: m.filter((x) => x.loadDropped).length,
    bbuEnergyWh: m.reduce((a, x) => a + x.bbuEnergyWh, 0),
    minBbuSocPct: m.length > 0 ? Math.min(...m.map((x) => x.minBbuSocPct)) : NaN,
  };
}

export interface Target {
  target: string;
  pass: boolean;
  value: string;
}

/** The acceptance of issue 4 for this bench, judged on one run's rows. */
export function acceptance(rows: readonly CaseRow[], budgetS = 1): Target[] {
  const g = summarise(rows, 'gateway', budgetS);
  const c = summarise(rows, 'conventional', budgetS);
  const names = (f: (r: CaseRow) => boolean): string => {
    const n = rows.filter(f).map((r) => r.name);
    return n.length === 0 ? '' : ` (${n.slice(0, 4).join(', ')}${n.length > 4 ? ', …' : ''})`;
  };
  const gw = (r: CaseRow): CaseMetrics => r.gateway;
  return [
    {
      target: 'gateway: 100 % of the library rides through (bus ≥ 48.5 V, load kept)',
      pass: g.scenarios > 0 && g.rideThrough === g.scenarios,
      value: `${g.rideThrough}/${g.scenarios}${names((r) => !gw(r).rideThrough)}`,
    },
    {
      target: 'gateway: 0 BBU native triggers',
      pass: g.nativeTriggerScenarios === 0,
      value:
        `${rows.reduce((a, r) => a + gw(r).bbuNativeTriggers, 0)} in ` +
        `${g.nativeTriggerScenarios} scenarios${names((r) => gw(r).bbuNativeTriggers > 0)}`,
    },
    {
      target: 'gateway: no load dropped',
      pass: g.loadDropScenarios === 0,
      value: `${g.loadDropScenarios} scenarios${names((r) => gw(r).loadDropped)}`,
    },
    {
      target: `gateway: PFAPR ≤ ${budgetS} s on every sag scenario`,
      pass: g.sagScenarios > 0 && g.pfaprOverBudget === 0,
      value:
        `max ${fmt(g.pfaprMaxS, 3)} s, ${g.pfaprOverBudget}/${g.sagScenarios} over` +
        names((r) => r.klass === 'sag' && !((gw(r).pfaprS ?? Infinity) <= budgetS)),
    },
    {
      target: `conventional shows the gaps in the same run (PFAPR > ${budgetS} s and native triggers)`,
      pass: c.pfaprOverBudget > 0 && c.nativeTriggerScenarios > 0,
      value:
        `PFAPR > ${budgetS} s in ${c.pfaprOverBudget}/${c.sagScenarios} sags, ` +
        `native triggers in ${c.nativeTriggerScenarios}/${c.scenarios} scenarios`,
    },
  ];
}

const kw = (w: number): string => fmt(w / 1000, 0);

function pair(a: string, b: string): string {
  return `${a} | ${b}`;
}

/** The side-by-side table: each cell "conventional | gateway". */
export function formatRows(rows: readonly CaseRow[]): string {
  const head = [
    'scenario',
    'ride-through',
    'PFAPR s',
    'min bus V',
    'native trig',
    'PSU overload',
    'max ramp kW/s',
    'BBU Wh',
    'min SoC %',
  ];
  const yn = (b: boolean): string => (b ? 'yes' : 'NO');
  const pf = (x: number | null): string => (x === null ? '—' : fmt(x, 2));
  const body = rows.map((r) => {
    const c = r.conventional;
    const g = r.gateway;
    return [
      r.name,
      pair(yn(c.rideThrough), yn(g.rideThrough)),
      pair(pf(c.pfaprS), pf(g.pfaprS)),
      pair(fmt(c.minBusV, 2), fmt(g.minBusV, 2)),
      pair(String(c.bbuNativeTriggers), String(g.bbuNativeTriggers)),
      pair(String(c.psuOverloadEvents), String(g.psuOverloadEvents)),
      pair(kw(c.maxGridRampWPerS), kw(g.maxGridRampWPerS)),
      pair(fmt(c.bbuEnergyWh, 1), fmt(g.bbuEnergyWh, 1)),
      pair(fmt(c.minBbuSocPct, 1), fmt(g.minBbuSocPct, 1)),
    ];
  });
  return table(head, body);
}

export function formatSummary(rows: readonly CaseRow[], budgetS = 1): string {
  const c = summarise(rows, 'conventional', budgetS);
  const g = summarise(rows, 'gateway', budgetS);
  const pct = (x: number): string => `${fmt(100 * x, 1)} %`;
  const line = (label: string, f: (s: ModeSummary) => string): string[] => [label, f(c), f(g)];
  return table(
    ['summary', 'conventional', 'gateway'],
    [
      line(
        'ride-through rate',
        (s) => `${pct(s.rideThroughRate)} (${s.rideThrough}/${s.scenarios})`,
      ),
      line('PFAPR p50, sag scenarios (s)', (s) => fmt(s.pfaprP50S, 3)),
      line('PFAPR max, sag scenarios (s)', (s) => fmt(s.pfaprMaxS, 3)),
      line(`sags over the ${budgetS} s budget`, (s) => `${s.pfaprOverBudget}/${s.sagScenarios}`),
      line('scenarios with native triggers', (s) => String(s.nativeTriggerScenarios)),
      line(
        'PSU overload events (scenarios)',
        (s) => `${s.overloadEvents} (${s.overloadScenarios})`,
      ),
      line('scenarios with load dropped', (s) => String(s.loadDropScenarios)),
      line('BBU energy, all scenarios (Wh)', (s) => fmt(s.bbuEnergyWh, 1)),
      line('lowest SoC (%)', (s) => fmt(s.minBbuSocPct, 1)),
    ],
  );
}
