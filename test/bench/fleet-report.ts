/** bench:fleet results as the text table printed by `npm run bench:fleet` and pasted in docs/FLEET.md. */
import type { FleetResult } from './fleet-run.js';

interface Column {
  readonly head: string;
  readonly cell: (r: FleetResult) => string;
}

const fixed = (v: number | null, digits: number): string =>
  v === null || !Number.isFinite(v) ? '–' : v.toFixed(digits);

const COLUMNS: readonly Column[] = [
  { head: 'N', cell: (r) => String(r.n) },
  { head: 'procs', cell: (r) => String(r.processes) },
  { head: 'pub msg/s', cell: (r) => fixed(r.publishedPerS, 1) },
  { head: 'recv msg/s', cell: (r) => fixed(r.receivedPerS, 1) },
  { head: 'metrics/s', cell: (r) => fixed(r.metricsPerS, 0) },
  { head: 'kB/s', cell: (r) => fixed(r.bytesPerS / 1000, 1) },
  { head: 'birth kB/gw', cell: (r) => fixed(r.birthBytesPerGateway / 1000, 1) },
  { head: 'p50 ms', cell: (r) => fixed(r.latency.p50Ms, 2) },
  { head: 'p99 ms', cell: (r) => fixed(r.latency.p99Ms, 2) },
  { head: 'max ms', cell: (r) => fixed(r.latency.maxMs, 2) },
  { head: 'wire p50', cell: (r) => fixed(r.wire.p50Ms, 2) },
  { head: 'CPU/gw %', cell: (r) => fixed(r.cpu.perGateway, 3) },
  { head: 'gw CPU %', cell: (r) => fixed(r.cpu.gatewaysTotal, 1) },
  { head: 'consumer %', cell: (r) => fixed(r.cpu.consumer, 1) },
  { head: 'broker %', cell: (r) => fixed(r.cpu.broker, 1) },
  { head: 'heap/gw KiB', cell: (r) => fixed(r.memory.heapPerGatewayKiB, 0) },
  { head: 'RSS/gw KiB', cell: (r) => fixed(r.memory.rssPerGatewayKiB, 0) },
  { head: 'check', cell: (r) => (r.consistent ? 'ok' : 'FAIL') },
];

export function formatTable(results: readonly FleetResult[]): string {
  const rows = [COLUMNS.map((c) => c.head), ...results.map((r) => COLUMNS.map((c) => c.cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  for (const r of results) {
    if (!r.consistent) lines.push(`N=${r.n}: ${r.problems.join('; ')}`);
  }
  return lines.join('\n');
}

export interface Setup {
  readonly broker: string;
  readonly periodMs: number;
  readonly windowS: number;
  readonly qos: 0 | 1;
  readonly aligned: boolean;
}

/** What every row was measured under, printed above the table. */
export function describeSetup(s: Setup): string {
  return [
    `bench:fleet: N simulated HPR gateways (6 PSU + 6 BBU + shelf each; EdgeNode over mqtt.js,`,
    `RealClock) -> ${s.broker} on loopback -> 1 fleet consumer (mqtt.js, decodes every payload).`,
    `Publish period ${s.periodMs} ms, measured window ${s.windowS} s, data QoS ${s.qos}, ` +
      `ticks ${s.aligned ? 'aligned (worst case)' : 'spread over the period'}.`,
    `Latency: metric sample timestamp -> consumer receipt; "wire p50": payload (publish) ` +
      `timestamp -> receipt.`,
    `CPU in % of one core; "gw CPU" = all gateway processes; memory = growth over the process ` +
      `baseline after GC, / N.`,
  ].join('\n');
}
