/** bench:loop's figures: one row per run, the targets, the table and the JSON. */
import type { RealtimeStats } from '../../src/control/realtime/index.js';
import type { PlatformRun } from './loop-platform.js';

export type Scenario = 'alone' | 'http';

export const TARGETS = {
  /** p99 tick start jitter under HTTP load, ms (aim: 0.2). */
  jitterP99Ms: 0.5,
  jitterAimP99Ms: 0.2,
  /** Worst tick start jitter under HTTP load, ms. */
  jitterMaxMs: 2,
} as const;

export interface LoopRun {
  readonly scenario: Scenario;
  readonly periodMs: number;
  readonly spinMs: number;
  readonly seconds: number;
  readonly ticks: number;
  /** Ticks expected in the window (seconds / period). */
  readonly expectedTicks: number;
  readonly overruns: number;
  readonly jitterMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly durationMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly telemetryDropped: number;
  /** Process CPU (all threads) over the window, % of one core. */
  readonly processCpuPct: number;
  /** The hypervisor's share of the machine's CPU time in the window (/proc/stat steal), %. */
  readonly stealPct: number | null;
  /** The machine's 1-minute load average at the window's end (other jobs share this box). */
  readonly loadAvg1: number;
  /** Nice value of the worker thread, null when inherited. */
  readonly nice: number | null;
  /** SCHED_FIFO priority of the worker thread, null when it kept the normal policy. */
  readonly fifo: number | null;
  /** Requests the in-process server answered per second in the window; null when alone. */
  readonly httpReqPerS: number | null;
  readonly httpTargetPerS: number | null;
  /** Client-side view from the load generator (whole run, warm-up included). */
  readonly loadgen: {
    readonly completed: number;
    readonly errors: number;
    readonly skipped: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
  } | null;
  readonly pass: { readonly jitterP99: boolean; readonly jitterMax: boolean };
}

export function summarizeRun(
  base: Pick<LoopRun, 'scenario' | 'periodMs' | 'spinMs' | 'seconds'>,
  s: RealtimeStats,
  extra: Pick<
    LoopRun,
    | 'processCpuPct'
    | 'stealPct'
    | 'loadAvg1'
    | 'nice'
    | 'fifo'
    | 'httpReqPerS'
    | 'httpTargetPerS'
    | 'loadgen'
  >,
): LoopRun {
  return {
    ...base,
    ticks: s.ticks,
    expectedTicks: Math.round((base.seconds * 1000) / base.periodMs),
    overruns: s.overruns,
    jitterMs: { p50: s.jitter.p50Ms, p99: s.jitter.p99Ms, max: s.jitter.maxMs },
    durationMs: { p50: s.duration.p50Ms, p99: s.duration.p99Ms, max: s.duration.maxMs },
    latencyMs: { p50: s.latency.p50Ms, p99: s.latency.p99Ms, max: s.latency.maxMs },
    telemetryDropped: s.telemetryDropped,
    ...extra,
    pass: {
      jitterP99: s.jitter.p99Ms <= TARGETS.jitterP99Ms,
      jitterMax: s.jitter.maxMs <= TARGETS.jitterMaxMs,
    },
  };
}

const ms = (v: number): string => v.toFixed(3);
const pct = (v: number | null): string => (v === null ? '-' : v.toFixed(1));

export function formatTable(runs: readonly LoopRun[]): string {
  const head = [
    'scenario',
    'spin',
    'prio',
    'ticks',
    'overruns',
    'jit p50',
    'jit p99',
    'jit max',
    'dur p50',
    'dur p99',
    'lat p50',
    'lat p99',
    'lat max',
    'req/s',
    'cpu%',
    'steal%',
    'load1',
    'target',
  ];
  const rows = runs.map((r) => [
    r.scenario,
    ms(r.spinMs),
    r.fifo !== null ? `fifo${r.fifo}` : r.nice !== null ? `nice${r.nice}` : '-',
    `${r.ticks}/${r.expectedTicks}`,
    String(r.overruns),
    ms(r.jitterMs.p50),
    ms(r.jitterMs.p99),
    ms(r.jitterMs.max),
    ms(r.durationMs.p50),
    ms(r.durationMs.p99),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p99),
    ms(r.latencyMs.max),
    r.httpReqPerS === null ? '-' : `${r.httpReqPerS.toFixed(0)}/${r.httpTargetPerS}`,
    r.processCpuPct.toFixed(0),
    pct(r.stealPct),
    r.loadAvg1.toFixed(1),
    verdict(r),
  ]);
  return table(head, rows);
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** One cyclictest run in the loop's place (test/bench/loop-platform.ts). */
export interface PlatformRow extends PlatformRun {
  readonly scenario: Scenario;
  readonly fifo: number | null;
  readonly stealPct: number | null;
  readonly httpReqPerS: number | null;
  readonly httpTargetPerS: number | null;
}

/**
 * The platform floor table and, per scenario, the loop's jitter as a ratio to it (the first loop
 * run of that scenario): ≤ 1 means the loop added nothing to what the machine does to any
 * sleeping thread; a floor above the target means no thread that sleeps can meet it here.
 */
export function formatPlatform(platform: readonly PlatformRow[], runs: readonly LoopRun[]): string {
  const head = ['platform', 'prio', 'cycles', 'lat p50', 'lat p99', 'lat max', 'req/s', 'steal%'];
  const rows = platform.map((p) => [
    p.scenario,
    p.fifo !== null ? `fifo${p.fifo}` : '-',
    `${p.cycles}/${p.expectedCycles}`,
    ms(p.p50Ms),
    ms(p.p99Ms),
    ms(p.maxMs),
    p.httpReqPerS === null ? '-' : `${p.httpReqPerS.toFixed(0)}/${p.httpTargetPerS}`,
    pct(p.stealPct),
  ]);
  const out = [
    "platform floor: cyclictest (rt-tests; C, mlockall, clock_nanosleep) in the loop's place, " +
      'same period, priority and load — wake-up latency of a sleeping thread, ms',
    table(head, rows),
  ];
  for (const p of platform) {
    const r = runs.find((x) => x.scenario === p.scenario);
    if (r === undefined) continue;
    const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toPrecision(2) : '-');
    const floor =
      p.maxMs > TARGETS.jitterMaxMs
        ? ` (the floor itself is over the ${TARGETS.jitterMaxMs} ms bound)`
        : '';
    out.push(
      `${p.scenario}: loop jitter / platform latency — p99 ${ratio(r.jitterMs.p99, p.p99Ms)}, ` +
        `max ${ratio(r.jitterMs.max, p.maxMs)}${floor}`,
    );
  }
  return out.join('\n');
}

/** "pass"/"FAIL p99"/"FAIL max"; alone runs are shown against the same targets for reference. */
export function verdict(r: LoopRun): string {
  const fails = [!r.pass.jitterP99 && 'p99', !r.pass.jitterMax && 'max'].filter(Boolean);
  return fails.length === 0 ? 'pass' : `FAIL ${fails.join('+')}`;
}
