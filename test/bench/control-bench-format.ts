/**
 * Shared by bench:ridethrough and bench:headroom: plain-text tables, number formats, the
 * common command-line options, and percentiles.
 */
import { parseArgs } from 'node:util';
import { defaultSharedDir } from '../../sim/scenario/index.js';

export interface CommonOptions {
  quick: boolean;
  json: boolean;
  jobs: number;
  sharedDir: string;
}

/** Parses --quick, --json, --jobs N, --shared DIR plus the bench's own string options. */
export function parseCommon(
  argv: readonly string[],
  usage: string,
  extra: Record<string, { type: 'string' }> = {},
): CommonOptions & { extra: Record<string, string | undefined> } {
  let v: ReturnType<typeof parseArgs>['values'];
  try {
    ({ values: v } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        jobs: { type: 'string', default: '2' },
        shared: { type: 'string' },
        help: { type: 'boolean', default: false },
        ...extra,
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (v.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const jobs = Number(v.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    process.stderr.write(`--jobs must be an integer ≥ 1\n${usage}`);
    process.exit(2);
  }
  const extraValues: Record<string, string | undefined> = {};
  for (const k of Object.keys(extra)) extraValues[k] = v[k] as string | undefined;
  return {
    quick: v.quick === true,
    json: v.json === true,
    jobs,
    sharedDir: (v.shared as string | undefined) ?? defaultSharedDir(),
    extra: extraValues,
  };
}

/** Columns padded to their widest cell; numeric-looking cells right-aligned. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const num = /^[-+]?[\d.]+( ?[%a-zA-Z/]*)?$|^[—-]$/;
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (num.test(c) && i > 0 ? c.padStart(w[i]!) : c.padEnd(w[i]!)))
      .join('  ')
      .trimEnd();
  const rule = w.map((x) => '-'.repeat(x)).join('  ');
  return [line(head), rule, ...rows.map(line)].join('\n') + '\n';
}

/** Fixed decimals, '—' for null/NaN, '∞' for Infinity. */
export function fmt(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  return v.toFixed(digits);
}

/** Nearest-rank percentile (an observed value); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1]!;
}

/** JSON for --json: ±Infinity (e.g. a PFAPR that never recovered) as strings, not null. */
export function toJson(value: unknown): string {
  const inf = (_: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v) ? String(v) : v;
  return JSON.stringify(value, inf, 2) + '\n';
}

/** One progress line on stderr (kept off stdout so --json stays parseable). */
export function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}
