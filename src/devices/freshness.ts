/**
 * Every value the poller publishes carries when it was sampled; consumers see its age, so a
 * stale value is never mistaken for a fresh one. Lane statistics say how well a lane keeps up.
 */

export interface Fresh<T = unknown> {
  readonly key: string;
  readonly value: T;
  readonly sampledAtMs: number;
  readonly ageMs: number;
  /** Consecutive failed reads since this value was sampled (0 = the last read succeeded). */
  readonly failures: number;
}

interface Entry {
  value: unknown;
  sampledAtMs: number;
  failures: number;
}

export class FreshnessStore {
  private readonly entries = new Map<string, Entry>();

  set(key: string, value: unknown, sampledAtMs: number): void {
    this.entries.set(key, { value, sampledAtMs, failures: 0 });
  }

  /** A failed read: the old value stays, marked, and keeps ageing. */
  fail(key: string): void {
    const e = this.entries.get(key);
    if (e !== undefined) e.failures++;
  }

  get(key: string, nowMs: number): Fresh | undefined {
    const e = this.entries.get(key);
    return e === undefined ? undefined : fresh(key, e, nowMs);
  }

  all(nowMs: number): Fresh[] {
    return [...this.entries].map(([k, e]) => fresh(k, e, nowMs));
  }

  sampledAtMs(key: string): number | undefined {
    return this.entries.get(key)?.sampledAtMs;
  }
}

function fresh(key: string, e: Entry, nowMs: number): Fresh {
  return Object.freeze({
    key,
    value: e.value,
    sampledAtMs: e.sampledAtMs,
    ageMs: nowMs - e.sampledAtMs,
    failures: e.failures,
  });
}

export interface LaneStatsSnapshot {
  readonly periodMs: number;
  readonly targetHz: number;
  /** Completed ticks per second since start. */
  readonly achievedHz: number;
  readonly ticks: number;
  readonly completed: number;
  /** Ticks that found the previous one still running and were skipped. */
  readonly overruns: number;
  /** Ticks abandoned after running far past their period (a request that never settled). */
  readonly stalls: number;
  /** Failed reads (device or point), counted and survived. */
  readonly errors: number;
  /** Devices skipped because the registry had them dormant. */
  readonly skipped: number;
  /** Age of the lane's values as seen at each tick, ms (p50/p99 of the last samples). */
  readonly sampleAgeP50Ms: number;
  readonly sampleAgeP99Ms: number;
  /** Duration of completed ticks, ms. */
  readonly tickP50Ms: number;
  readonly tickP99Ms: number;
}

/** A fixed ring of recent observations with on-demand percentiles (no allocation per sample). */
export class Ring {
  private readonly buf: Float64Array;
  private n = 0;
  private next = 0;

  constructor(size = 4096) {
    this.buf = new Float64Array(size);
  }

  push(x: number): void {
    this.buf[this.next] = x;
    this.next = (this.next + 1) % this.buf.length;
    if (this.n < this.buf.length) this.n++;
  }

  get size(): number {
    return this.n;
  }

  /** Nearest-rank percentile, p in [0, 100]; NaN when empty. */
  percentile(p: number): number {
    if (this.n === 0) return NaN;
    const sorted = this.buf.slice(0, this.n).sort();
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1));
    return sorted[rank]!;
  }
}

export class LaneStats {
  ticks = 0;
  completed = 0;
  overruns = 0;
  stalls = 0;
  errors = 0;
  skipped = 0;
  startedAtMs: number | null = null;
  readonly ages = new Ring();
  readonly durations = new Ring(1024);

  constructor(readonly periodMs: number) {}

  snapshot(nowMs: number): LaneStatsSnapshot {
    const elapsedS = this.startedAtMs === null ? 0 : (nowMs - this.startedAtMs) / 1000;
    return Object.freeze({
      periodMs: this.periodMs,
      targetHz: 1000 / this.periodMs,
      achievedHz: elapsedS > 0 ? this.completed / elapsedS : 0,
      ticks: this.ticks,
      completed: this.completed,
      overruns: this.overruns,
      stalls: this.stalls,
      errors: this.errors,
      skipped: this.skipped,
      sampleAgeP50Ms: this.ages.percentile(50),
      sampleAgeP99Ms: this.ages.percentile(99),
      tickP50Ms: this.durations.percentile(50),
      tickP99Ms: this.durations.percentile(99),
    });
  }
}
