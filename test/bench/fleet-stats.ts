/**
 * bench:fleet measurement arithmetic, pure (no sockets, no timers) so the unit tests can check it
 * without a broker: percentiles, the Sparkplug seq continuity check, /proc/<pid>/stat parsing and
 * a wall clock with sub-millisecond resolution that two processes agree on.
 */

/**
 * Nearest-rank percentile of an ascending array (p in [0, 100]): the smallest value with at
 * least p % of the samples at or below it. Nearest-rank, not interpolation, so every figure we
 * print is a latency that was actually observed. NaN for no samples.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((Math.min(p, 100) / 100) * n);
  return sorted[rank - 1]!;
}

export interface LatencySummary {
  readonly count: number;
  /** Below zero only if the two processes' clocks disagree: a causality check, not a figure. */
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export function summarise(latenciesMs: readonly number[]): LatencySummary {
  // Float64Array sorts numerically (Array#sort would compare as strings).
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    count: sorted.length,
    minMs: sorted.length === 0 ? Number.NaN : sorted[0]!,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/**
 * Sparkplug seq continuity per edge node, as the fleet consumer sees it: NBIRTH restarts at 0,
 * every later NBIRTH/DBIRTH/NDATA/DDATA/DDEATH is the previous + 1 mod 256, NDEATH has no seq.
 * A gap is a lost (or reordered) message — at QoS 0 the bench's only loss detector.
 */
export class SeqTracker {
  gaps = 0;
  private readonly last = new Map<string, number>();

  /** `node` = `<group>/<edge node>`; returns false when this message broke the sequence. */
  accept(node: string, messageType: string, seq: number | undefined): boolean {
    if (messageType === 'NDEATH') {
      this.last.delete(node);
      return true;
    }
    if (seq === undefined) {
      this.gaps++;
      return false;
    }
    const prev = this.last.get(node);
    this.last.set(node, seq);
    const ok =
      messageType === 'NBIRTH' ? seq === 0 : prev !== undefined && seq === (prev + 1) % 256;
    if (!ok) this.gaps++;
    return ok;
  }
}

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly ppid: number;
  /** utime + stime, in clock ticks (sysconf(_SC_CLK_TCK), 100 on Linux in practice). */
  readonly cpuTicks: number;
}

/**
 * One line of /proc/<pid>/stat (proc(5)). The command name sits in parentheses and may itself
 * contain spaces and ')', so fields are counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![ppid, utime, stime].every(Number.isFinite)) return null;
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid,
    cpuTicks: utime + stime,
  };
}

/** Share of one core, in %, for `cpuMs` of CPU time spent over `wallMs`. */
export function coreShare(cpuMs: number, wallMs: number): number {
  return wallMs > 0 ? (100 * cpuMs) / wallMs : Number.NaN;
}

/**
 * Wall-clock Unix time in fractional ms. Date.now() only has whole milliseconds, too coarse for
 * loopback latencies; performance.timeOrigin + performance.now() is fine-grained but its origin
 * may sit up to a millisecond off the wall clock, differently in each process. Calibrating the
 * fine clock against Date.now() (which floors the true time) makes the sample stamp of one
 * process and the receipt time of another comparable to a few microseconds.
 */
export class WallClock {
  private offsetMs = 0;

  constructor(private readonly spinMs = 3) {
    this.calibrate();
  }

  /**
   * Spins for spinMs, so it runs once at process start, not in a measured window (it would
   * delay whatever arrives meanwhile). Once is enough on Linux: NTP slews CLOCK_MONOTONIC
   * (performance.now) along with the wall clock; only a clock step moves them apart.
   */
  calibrate(): void {
    // Date.now() = floor(wall) <= wall, equality just after a millisecond tick. Reading the
    // fine clock *after* Date.now() keeps (Date.now() - fine) <= offset even when the process
    // is preempted between the two reads, so the largest value over a few ticks is the offset.
    let best = Number.NEGATIVE_INFINITY;
    const end = performance.now() + this.spinMs;
    while (performance.now() < end) {
      const coarse = Date.now();
      best = Math.max(best, coarse - (performance.timeOrigin + performance.now()));
    }
    this.offsetMs = best;
  }

  nowMs(): number {
    return performance.timeOrigin + performance.now() + this.offsetMs;
  }
}
