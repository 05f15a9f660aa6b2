/**
 * bench:redfish figures: per-kind and per-group latency summaries of one rate, the table
 * `npm run bench:redfish` prints, and the target verdict. Pure, so the unit test can check it.
 */
import { summarise, type LatencySummary } from './fleet-stats.js';
import type { LoadResult, Target } from './redfish-protocol.js';

export interface Row {
  readonly label: string;
  readonly requests: number;
  readonly perS: number;
  readonly latency: LatencySummary;
  readonly errors: number;
}

export interface RateSummary {
  readonly ratePerS: number;
  readonly windowS: number;
  readonly rows: readonly Row[];
  readonly groups: readonly Row[];
  readonly all: Row;
  /** Responses completed inside the window per second. */
  readonly achievedPerS: number;
  readonly sendLagP99Ms: number;
  /** All kinds, from the actual send: what the service (and the 4 sockets) cost without generator lag. */
  readonly fromSend: LatencySummary;
  readonly socketsOpened: number;
  /** CPU of the process serving Redfish (and running the real-time shelf), % of one core. */
  readonly serviceCpuPct: number | null;
  readonly loadCpuPct: number;
  /** Event-loop delay of the service process over the run (warm-up included), ms. */
  readonly serviceLoopDelay: { readonly p99Ms: number; readonly maxMs: number } | null;
  readonly errorSamples: readonly string[];
}

function row(label: string, latencies: number[], errors: number, windowS: number): Row {
  return {
    label,
    requests: latencies.length + errors,
    perS: latencies.length / windowS,
    latency: summarise(latencies),
    errors,
  };
}

export function summariseRate(
  ratePerS: number,
  targets: readonly Target[],
  r: LoadResult,
  serviceCpuMs: number | null,
  serviceLoopDelay: RateSummary['serviceLoopDelay'] = null,
): RateSummary {
  const windowS = r.windowMs / 1000;
  const rows = targets.map((t) =>
    row(t.kind, r.latencyMs[t.kind] ?? [], r.errors[t.kind] ?? 0, windowS),
  );
  const pool = (ts: readonly Target[]): [number[], number] => [
    ts.flatMap((t) => r.latencyMs[t.kind] ?? []),
    ts.reduce((a, t) => a + (r.errors[t.kind] ?? 0), 0),
  ];
  const groups = (['sensor', 'collection'] as const)
    .map((g) => [g, targets.filter((t) => t.group === g)] as const)
    .filter(([, ts]) => ts.length > 0)
    .map(([g, ts]) => row(`${g} GETs`, ...pool(ts), windowS));
  return {
    ratePerS,
    windowS,
    rows,
    groups,
    all: row('all', ...pool(targets), windowS),
    achievedPerS: r.completed / windowS,
    sendLagP99Ms: r.sendLagP99Ms,
    fromSend: summarise(r.fromSendMs),
    socketsOpened: r.socketsOpened,
    serviceCpuPct: serviceCpuMs === null ? null : (100 * serviceCpuMs) / r.windowMs,
    loadCpuPct: (100 * r.cpuMs) / r.windowMs,
    serviceLoopDelay,
    errorSamples: r.errorSamples,
  };
}

const fixed = (v: number | null, d: number): string =>
  v === null || !Number.isFinite(v) ? '–' : v.toFixed(d);

export function formatRate(s: RateSummary): string {
  const head = ['kind', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'];
  const cells = (r: Row): string[] => [
    r.label,
    String(r.requests),
    fixed(r.perS, 1),
    fixed(r.latency.p50Ms, 2),
    fixed(r.latency.p99Ms, 2),
    fixed(r.latency.maxMs, 2),
    String(r.errors),
  ];
  const table = [head, ...s.rows.map(cells), ...s.groups.map(cells), cells(s.all)];
  const widths = head.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
  const lines = table.map((t) =>
    t.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
  const sep = '-'.repeat(lines[0]!.length);
  lines.splice(1 + s.rows.length, 0, sep);
  lines.splice(1, 0, sep);
  return [
    `rate ${s.ratePerS} req/s for ${s.windowS} s: achieved ${fixed(s.achievedPerS, 1)} responses/s, ` +
      `${s.socketsOpened} connection(s) opened, generator send lag p99 ${fixed(s.sendLagP99Ms, 2)} ms, ` +
      `CPU: service ${fixed(s.serviceCpuPct, 1)} %, load ${fixed(s.loadCpuPct, 1)} % of one core`,
    ...lines,
    `from actual send (generator lag excluded): p50 ${fixed(s.fromSend.p50Ms, 2)} ms, ` +
      `p99 ${fixed(s.fromSend.p99Ms, 2)} ms, max ${fixed(s.fromSend.maxMs, 2)} ms`,
    ...(s.serviceLoopDelay
      ? [
          `service event-loop delay: p99 ${fixed(s.serviceLoopDelay.p99Ms, 2)} ms, ` +
            `max ${fixed(s.serviceLoopDelay.maxMs, 2)} ms`,
        ]
      : []),
    ...s.errorSamples.map((e) => `  error: ${e}`),
  ].join('\n');
}

export interface Verdict {
  readonly pass: boolean;
  readonly line: string;
}

/** The target: p99 of all requests ≤ targetP99Ms at targetRate, without errors. */
export function verdict(s: RateSummary, targetP99Ms: number, targetRate: number): Verdict {
  const p99 = s.all.latency.p99Ms;
  const errors = s.all.errors;
  const pass = Number.isFinite(p99) && p99 <= targetP99Ms && errors === 0;
  const why = errors > 0 ? `, ${errors} errors` : '';
  const rateNote =
    s.ratePerS === targetRate
      ? ''
      : ` (measured at ${s.ratePerS} req/s, target rate ${targetRate})`;
  return {
    pass,
    line: `target p99 <= ${targetP99Ms} ms at ${targetRate} req/s: p99 ${fixed(p99, 2)} ms${why}${rateNote} -> ${pass ? 'PASS' : 'FAIL'}`,
  };
}
