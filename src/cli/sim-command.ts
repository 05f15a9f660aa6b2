import { loadScenarioFile, defaultSharedDir } from '../../sim/scenario/index.js';
import { runScenario, type RunResult } from '../../sim/run/runner.js';
import { runScenarioWithGateway, type GatewayRunResult } from '../simlink/index.js';

export interface SimCommandOptions {
  scenarioFile: string;
  json: boolean;
  /** Gateway in the loop (control over the simulated buses); else the conventional shelf. */
  gateway?: boolean;
  traceSink?: ((line: string) => void) | undefined;
  traceEveryMs: number;
  sharedDir?: string | undefined;
  out: (s: string) => void;
}

export async function runSimCommand(o: SimCommandOptions): Promise<RunResult> {
  const sharedDir = o.sharedDir ?? defaultSharedDir();
  const scenario = loadScenarioFile(o.scenarioFile, { sharedDir });
  const runOpts = { traceSink: o.traceSink, traceEveryMs: o.traceEveryMs };
  const result = o.gateway
    ? await runScenarioWithGateway(scenario, runOpts)
    : runScenario(scenario, runOpts);
  o.out(o.json ? JSON.stringify(result, null, 2) + '\n' : formatResult(result));
  return result;
}

const fmt = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));

export function formatResult(r: RunResult): string {
  const rows: [string, string][] = [
    ['scenario', r.scenario],
    ['gateway', r.gateway ? 'in the loop' : 'off (conventional shelf)'],
    ['ride-through', r.rideThrough ? 'yes' : 'NO'],
    ['load dropped', r.loadDropped ? 'YES' : 'no'],
    [
      'PFAPR',
      r.pfaprS === null
        ? r.pfaprRecovered
          ? '— (no fault)'
          : 'not recovered'
        : `${fmt(r.pfaprS)} s`,
    ],
    ['pre-fault grid power', r.preFaultGridW === null ? '—' : `${fmt(r.preFaultGridW, 0)} W`],
    ['min bus voltage', `${fmt(r.minBusV)} V`],
    ['BBU native triggers', String(r.bbuNativeTriggers)],
    ['PSU overload events', String(r.psuOverloadEvents)],
    ['max grid ramp', `${fmt(r.maxGridRampWPerS / 1000, 1)} kW/s`],
    ['BBU energy delivered', `${fmt(r.bbuEnergyWh, 2)} Wh`],
    ['min BBU SoC', `${fmt(r.minBbuSocPct, 2)} %`],
    ['energy books imbalance', `${r.energy.imbalancePct.toExponential(2)} %`],
    [
      'simulated / wall',
      `${fmt(r.sim.durationS, 1)} s / ${fmt(r.sim.wallS, 2)} s = ${fmt(r.sim.speedup, 0)}×`,
    ],
  ];
  for (const [k, c] of Object.entries(r.criteria)) {
    const v =
      typeof c.value === 'number' && !Number.isInteger(c.value) ? fmt(c.value) : String(c.value);
    rows.push([
      `criterion ${k}`,
      `${c.passed ? 'pass' : 'FAIL'} (value ${v}, limit ${String(c.limit)})`,
    ]);
  }
  rows.push(['criteria passed', r.criteriaPassed ? 'yes' : 'NO']);
  if ('control' in r) {
    const c = (r as GatewayRunResult).control;
    rows.push(
      [
        'control ticks',
        `${c.ticks} (started at ${fmt(c.startedAtS, 3)} s, ${c.overruns} over 1 ms)`,
      ],
      ['bus time per tick', `mean ${fmt(c.meanTickBusUs, 0)} µs, max ${fmt(c.maxTickBusUs, 0)} µs`],
      ['commands written', `${c.writes} (${c.restarts} PSU restarts)`],
      [
        'interlock holds',
        Object.entries(c.interlocks)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ],
    );
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}
