/**
 * bench:loop's platform baseline: how late this machine wakes a sleeping real-time thread at all,
 * measured by cyclictest (rt-tests, the standard tool for it: C, mlockall, clock_nanosleep on
 * absolute deadlines) at the loop's period and priority, under the same load as the loop's run.
 * No thread that sleeps between ticks can beat that floor — the loop's spin absorbs wake-ups up to
 * `spinMs` late, nothing more — so the loop's figures are printed beside it and as ratios to it.
 *
 * Also reads the machine's CPU time split from /proc/stat, for the steal share: on a VM the time
 * a vCPU waited for the hypervisor, which no guest thread can see or avoid.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PlatformRun {
  readonly cycles: number;
  readonly expectedCycles: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Cycles later than the histogram's range (their latency is known only through the max). */
  readonly overflows: number;
}

/** True when cyclictest can be run here. */
export function cyclictestAvailable(): boolean {
  const r = spawnSync('cyclictest', ['--help'], { encoding: 'utf8' });
  return r.error === undefined;
}

/**
 * Parses `cyclictest -q -h N -t1` output: one "bucket count" line per µs bucket, then "# Total",
 * "# Max Latencies" and "# Histogram Overflows" lines. Quantiles are the upper edge of the bucket
 * holding the rank (1 µs resolution), clamped to the exact max — a bound, as the loop's own.
 */
export function parseCyclictest(text: string, expectedCycles: number): PlatformRun {
  const counts: number[] = [];
  let total = NaN;
  let max = NaN;
  let overflows = 0;
  for (const line of text.split('\n')) {
    const bucket = /^(\d+)\s+(\d+)\s*$/.exec(line);
    if (bucket) {
      counts[Number(bucket[1])] = Number(bucket[2]);
      continue;
    }
    const field = /^# (Total|Max Latencies|Histogram Overflows):\s+(\d+)/.exec(line);
    if (!field) continue;
    const v = Number(field[2]);
    if (field[1] === 'Total') total = v;
    else if (field[1] === 'Max Latencies') max = v;
    else overflows = v;
  }
  if (!Number.isFinite(total) || !Number.isFinite(max) || counts.length === 0)
    throw new Error('cyclictest output has no histogram summary (was it run with -q -h?)');
  const quantile = (q: number): number => {
    const rank = Math.ceil(q * total);
    let seen = 0;
    for (let us = 0; us < counts.length; us++) {
      seen += counts[us] ?? 0;
      if (seen >= rank) return Math.min(us + 1, max) / 1000;
    }
    return max / 1000; // the rank lies among the overflows
  };
  return {
    cycles: total,
    expectedCycles,
    p50Ms: quantile(0.5),
    p99Ms: quantile(0.99),
    maxMs: max / 1000,
    overflows,
  };
}

/**
 * Runs cyclictest for `seconds` at `periodMs`, SCHED_FIFO `fifo` (null: normal policy), one
 * thread, memory locked. Asynchronous, so the caller's event loop (the HTTP load) keeps running.
 */
export function runCyclictest(
  seconds: number,
  periodMs: number,
  fifo: number | null,
): Promise<PlatformRun> {
  const histogramUs = 20_000;
  const args = ['-q', '-m', '-t1', `-i${Math.round(periodMs * 1000)}`, `-D${Math.round(seconds)}`];
  args.push(`-h${histogramUs}`);
  if (fifo !== null) args.push(`-p${fifo}`);
  return new Promise((resolve, reject) => {
    const child = spawn('cyclictest', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0)
        return reject(new Error(`cyclictest ${args.join(' ')} exited ${code}: ${err}`));
      try {
        resolve(parseCyclictest(out, Math.round((seconds * 1000) / periodMs)));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

/** The "cpu" line of /proc/stat: jiffies per state, summed over CPUs. */
export interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return null;
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, steal: v[7]! };
}

export function readCpuTimes(): CpuTimes | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** Steal between two readings, % of all CPU time; null where /proc/stat is not there. */
export function stealPct(a: CpuTimes | null, b: CpuTimes | null): number | null {
  if (a === null || b === null || b.total <= a.total) return null;
  return ((b.steal - a.steal) / (b.total - a.total)) * 100;
}
