/**
 * One bench run: a scenario document, conventional or with the gateway in the loop, measured
 * by the run's own result object plus a RunProbe on simulator truth. Runs inside a worker
 * process (control-bench-worker.ts); pure data in and out so it crosses the IPC channel.
 */
import { performance } from 'node:perf_hooks';
import { ErrorCode, isOrv3Error } from '../../src/errors.js';
import { runScenarioWithGateway, type GatewayRunResult } from '../../src/simlink/index.js';
import { ScenarioRun, type RunResult } from '../../sim/run/runner.js';
import { parseScenario, type Scenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { RunProbe, type ProbeSummary } from './control-bench-probe.js';

export type BenchMode = 'conventional' | 'gateway';

export interface BenchJob {
  /** The caller's key, echoed in the outcome. */
  readonly key: string;
  readonly mode: BenchMode;
  /** A scenario document (docs/SCENARIOS.md); relative data paths resolve against baseDir. */
  readonly scenario: unknown;
  readonly baseDir: string;
  readonly sharedDir?: string;
  /** Judge the backup reserve at this many Wh (bench:headroom); absent: not judged. */
  readonly reserveWh?: number;
}

/** The run's result without the bulky per-PSU list; gateway runs keep their control stats. */
export type BenchResult = Omit<RunResult, 'psuRestartDelaysS'> & {
  control?: GatewayRunResult['control'];
};

export interface BenchOutcome {
  key: string;
  mode: BenchMode;
  result: BenchResult;
  probe: ProbeSummary;
  /**
   * The gateway's slow-lane period when its default did not fit the Modbus line (a large zone):
   * the gateway refused to start and the run was repeated at the shortest feasible period.
   */
  slowPeriodMs: number | null;
  wallS: number;
}

/** A Simulation that also reports every physics step to the probe (conventional runs). */
class ProbedSimulation extends Simulation {
  probe: (() => void) | null = null;

  override advanceTo(targetUs: number, onStep?: () => void): void {
    const probe = this.probe;
    if (probe === null) return super.advanceTo(targetUs, onStep);
    super.advanceTo(targetUs, () => {
      onStep?.();
      probe();
    });
  }
}

/** runScenario (sim/run/runner.ts) with the probe on every physics step. */
function runConventional(s: Scenario, probe: RunProbe): RunResult {
  const sim = new ProbedSimulation(s);
  sim.probe = () => probe.sample(sim.instruments);
  const run = new ScenarioRun(s, {}, sim);
  for (let t = 0; t < run.endUs; t += 1_000_000) run.advanceTo(t + 1_000_000);
  return run.result(false);
}

/** The shortest feasible slow-lane period an E503 names, rounded up to 250 ms; else null. */
export function feasibleSlowPeriodMs(e: unknown): number | null {
  if (!isOrv3Error(e, ErrorCode.ScheduleOverCapacity)) return null;
  const over = (e.context as { over?: { lane?: string; minPeriodMs?: number }[] }).over ?? [];
  const need = Math.max(
    0,
    ...over.filter((o) => o.lane === 'slow').map((o) => o.minPeriodMs ?? Infinity),
  );
  return need > 0 && Number.isFinite(need) ? Math.ceil(need / 250) * 250 : null;
}

async function runGateway(
  s: Scenario,
  makeProbe: () => RunProbe,
): Promise<{ result: GatewayRunResult; probe: RunProbe; slowPeriodMs: number | null }> {
  let slowPeriodMs: number | null = null;
  for (;;) {
    const probe = makeProbe();
    try {
      const result = await runScenarioWithGateway(s, {
        ...(slowPeriodMs === null ? {} : { gateway: { slowPeriodMs } }),
        onReady: (ctx) => probe.sample(ctx.sg.sim.instruments),
        onTick: (ctx) => probe.sample(ctx.sg.sim.instruments),
      });
      return { result, probe, slowPeriodMs };
    } catch (e) {
      const period: number | null = slowPeriodMs === null ? feasibleSlowPeriodMs(e) : null;
      if (period === null) throw e;
      slowPeriodMs = period;
    }
  }
}

export async function runJob(job: BenchJob): Promise<BenchOutcome> {
  const t0 = performance.now();
  const s = parseScenario(job.scenario, {
    baseDir: job.baseDir,
    ...(job.sharedDir === undefined ? {} : { sharedDir: job.sharedDir }),
  });
  const makeProbe = (): RunProbe => new RunProbe(s.zone.bbuEnergyWh, job.reserveWh ?? null);
  let result: RunResult | GatewayRunResult;
  let probe: RunProbe;
  let slowPeriodMs: number | null = null;
  if (job.mode === 'conventional') {
    probe = makeProbe();
    result = runConventional(s, probe);
  } else {
    ({ result, probe, slowPeriodMs } = await runGateway(s, makeProbe));
  }
  const { psuRestartDelaysS: _, ...rest } = result;
  return {
    key: job.key,
    mode: job.mode,
    result: rest,
    probe: probe.summary(),
    slowPeriodMs,
    wallS: (performance.now() - t0) / 1000,
  };
}
