import { performance } from 'node:perf_hooks';
import type { EnergyBooks } from '../physics/zone.js';
import type { Scenario } from '../scenario/index.js';
import { Simulation } from '../simulation.js';
import { MetricsCollector } from './metrics.js';
import { TraceWriter } from './trace.js';

export interface RunOptions {
  /** Receives CSV lines (header first) every traceEveryMs of simulated time. */
  traceSink?: (line: string) => void;
  traceEveryMs?: number;
  /** Called about every progressEveryS of simulated time (CLI progress). */
  onProgress?: (tS: number) => void;
}

export interface CriterionResult {
  limit: number | boolean;
  value: number | boolean | null;
  passed: boolean;
}

/** The result object of DESIGN.md §6 plus the evidence behind it. */
export interface RunResult {
  scenario: string;
  gateway: boolean;
  rideThrough: boolean;
  loadDropped: boolean;
  pfaprS: number | null;
  pfaprRecovered: boolean;
  minBusV: number;
  bbuNativeTriggers: number;
  psuOverloadEvents: number;
  maxGridRampWPerS: number;
  bbuEnergyWh: number;
  minBbuSocPct: number;
  criteriaPassed: boolean;
  criteria: Record<string, CriterionResult>;
  preFaultGridW: number | null;
  psuRestartDelaysS: (number | null)[];
  energy: EnergyBooks & { imbalancePct: number };
  sim: {
    durationS: number;
    wallS: number;
    speedup: number;
    fineSteps: number;
    coarseSteps: number;
  };
}

/** First time the grid goes below 0.9 p.u., and the last time it comes back above. */
function faultWindow(s: Scenario, sim: Simulation): { start: number | null; ret: number | null } {
  const faults = s.grid.events.filter((e) => e.pu < 0.9).sort((a, b) => a.atS - b.atS);
  if (faults.length === 0) return { start: null, ret: null };
  return {
    start: faults[0]!.atS,
    ret: sim.grid.lastReturnAboveS(0.9, s.durationS),
  };
}

/**
 * One scenario run being measured: the simulation, its metrics and optional trace. Whoever
 * drives time (the plain runner below, or a gateway-in-the-loop runner) advances through
 * `advanceTo` so every physics step is measured, then asks for the result.
 */
export class ScenarioRun {
  readonly sim: Simulation;
  private readonly metrics: MetricsCollector;
  private readonly trace: TraceWriter | null;
  private readonly onStep: () => void;
  private readonly wall0 = performance.now();

  constructor(
    readonly scenario: Scenario,
    opts: RunOptions = {},
    sim: Simulation = new Simulation(scenario),
  ) {
    this.sim = sim;
    const inst = sim.instruments;
    const fw = faultWindow(scenario, sim);
    this.metrics = new MetricsCollector({ faultStartS: fw.start, returnS: fw.ret });
    const trace = opts.traceSink
      ? new TraceWriter(inst, opts.traceSink, opts.traceEveryMs ?? 1)
      : null;
    this.trace = trace;
    const metrics = this.metrics;
    this.onStep = () => {
      metrics.update(inst);
      trace?.update();
    };
  }

  get endUs(): number {
    return Math.round(this.scenario.durationS * 1e6);
  }

  advanceTo(targetUs: number): void {
    this.sim.advanceTo(Math.min(targetUs, this.endUs), this.onStep);
  }

  /** Advances by `us` from now (bus time charged by a lockstep gateway). */
  advanceBy(us: number): void {
    this.advanceTo(this.sim.tUs + us);
  }

  result(gateway: boolean): RunResult {
    const wallS = (performance.now() - this.wall0) / 1000;
    return { ...buildResult(this.scenario, this.sim, this.metrics, wallS), gateway };
  }
}

export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const run = new ScenarioRun(scenario, opts);
  const chunkUs = 1_000_000;
  for (let t = 0; t < run.endUs; t += chunkUs) {
    run.advanceTo(t + chunkUs);
    opts.onProgress?.(run.sim.instruments.tS);
  }
  return run.result(false);
}

function buildResult(s: Scenario, sim: Simulation, m: MetricsCollector, wallS: number): RunResult {
  const inst = sim.instruments;
  const books = inst.energyBooks();
  const loadDropped = inst.loadDropCount > 0;
  const minBusCrit = s.criteria.minBusV ?? null;
  const rideThrough = !loadDropped && (minBusCrit === null || m.minBusV >= minBusCrit);
  const { pfaprS, recovered } = m.pfapr();
  const criteria: Record<string, CriterionResult> = {};
  criteria.noLoadDrop = { limit: true, value: !loadDropped, passed: !loadDropped };
  if (minBusCrit !== null)
    criteria.minBusV = { limit: minBusCrit, value: m.minBusV, passed: m.minBusV >= minBusCrit };
  const c = s.criteria;
  if (c.pfaprS !== undefined) {
    const ok = pfaprS === null ? recovered : pfaprS <= c.pfaprS;
    criteria.pfaprS = { limit: c.pfaprS, value: pfaprS, passed: ok };
  }
  if (c.maxGridRampWPerS !== undefined)
    criteria.maxGridRampWPerS = {
      limit: c.maxGridRampWPerS,
      value: m.maxGridRampWPerS,
      passed: m.maxGridRampWPerS <= c.maxGridRampWPerS,
    };
  if (c.maxPsuOverloadEvents !== undefined) {
    const v = inst.psuOverloadEvents();
    criteria.maxPsuOverloadEvents = {
      limit: c.maxPsuOverloadEvents,
      value: v,
      passed: v <= c.maxPsuOverloadEvents,
    };
  }
  if (c.minBbuSocPct !== undefined)
    criteria.minBbuSocPct = {
      limit: c.minBbuSocPct,
      value: m.minSocPct,
      passed: m.minSocPct >= c.minBbuSocPct,
    };
  if (c.noLoadDrop === false) delete criteria.noLoadDrop;
  const criteriaPassed = rideThrough && Object.values(criteria).every((x) => x.passed);
  const steps = inst.stepCounts;
  const restart: (number | null)[] = [];
  for (let i = 0; i < inst.psuCount; i++) restart.push(inst.psu(i).lastRestartDelayS);
  return {
    scenario: s.name,
    gateway: false,
    rideThrough,
    loadDropped,
    pfaprS,
    pfaprRecovered: recovered,
    minBusV: m.minBusV,
    bbuNativeTriggers: inst.nativeTriggers(),
    psuOverloadEvents: inst.psuOverloadEvents(),
    maxGridRampWPerS: m.maxGridRampWPerS,
    bbuEnergyWh: books.bbuDischargeJ / 3600,
    minBbuSocPct: m.minSocPct,
    criteriaPassed,
    criteria,
    preFaultGridW: m.preFaultW > 0 ? m.preFaultW : null,
    psuRestartDelaysS: restart,
    energy: { ...books, imbalancePct: (100 * books.imbalanceJ) / Math.max(1, books.gridJ) },
    sim: {
      durationS: s.durationS,
      wallS,
      speedup: s.durationS / Math.max(wallS, 1e-9),
      fineSteps: steps.fine,
      coarseSteps: steps.coarse,
    },
  };
}
