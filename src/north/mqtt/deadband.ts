/**
 * Report by exception (Sparkplug §5 "Data Publish"): which samples go into the next NDATA/DDATA.
 * Pure bookkeeping over "what did we last report for this metric, and when" — no I/O, no timers;
 * the caller passes the monotonic time.
 */
import type { MetricSample } from './source.js';

/**
 * A deadband for the metrics whose name matches `pattern` (glob: `*` any run of characters,
 * including `/`; `?` one character). Exactly one of `absolute` (engineering units) or `relative`
 * (fraction of the last reported value, 0.01 = 1 %). Changes within the band are not reported.
 */
export interface DeadbandRule {
  readonly pattern: string;
  readonly absolute?: number;
  readonly relative?: number;
}

interface CompiledRule {
  readonly re: RegExp;
  readonly absolute?: number;
  readonly relative?: number;
}

interface Reported {
  readonly value: MetricSample['value'];
  readonly timestampMs: number;
  /** Monotonic time of the report, for the maximum silence. */
  readonly atMs: number;
}

export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

function numeric(v: MetricSample['value']): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

export class ReportFilter {
  private readonly rules: readonly CompiledRule[];
  /** Rule lookup per metric name: the patterns are matched once, not on every sample. */
  private readonly ruleCache = new Map<string, CompiledRule | null>();
  /** Per scope ('' = the node, else a device id), per metric name. */
  private readonly reported = new Map<string, Map<string, Reported>>();

  constructor(
    rules: readonly DeadbandRule[],
    private readonly maxSilenceMs: number,
  ) {
    this.rules = rules.map((r) => ({
      re: globToRegExp(r.pattern),
      ...(r.absolute !== undefined ? { absolute: r.absolute } : {}),
      ...(r.relative !== undefined ? { relative: r.relative } : {}),
    }));
  }

  /** A birth reported every metric of the scope: that is the new reference. */
  markBirth(scope: string, samples: readonly MetricSample[], nowMs: number): void {
    const m = new Map<string, Reported>();
    for (const s of samples)
      m.set(s.name, { value: s.value, timestampMs: s.timestampMs, atMs: nowMs });
    this.reported.set(scope, m);
  }

  /** The scope died (DDEATH) or its session ended: the next birth starts from scratch. */
  forget(scope: string): void {
    this.reported.delete(scope);
  }

  /** The samples of `scope` to report now, remembered as reported. */
  select(scope: string, samples: readonly MetricSample[], nowMs: number): MetricSample[] {
    let m = this.reported.get(scope);
    if (!m) {
      m = new Map();
      this.reported.set(scope, m);
    }
    const out: MetricSample[] = [];
    for (const s of samples) {
      const last = m.get(s.name);
      if (last && !this.mustReport(s, last, nowMs)) continue;
      m.set(s.name, { value: s.value, timestampMs: s.timestampMs, atMs: nowMs });
      out.push(s);
    }
    return out;
  }

  private mustReport(s: MetricSample, last: Reported, nowMs: number): boolean {
    // The same reading handed out twice (a cache that did not refresh) is never news, not even
    // for the maximum silence: republishing it would claim a freshness the value does not have.
    // Equality, not "older than": a wall clock stepped back by NTP must not mute the metric.
    const sameReading = s.timestampMs === last.timestampMs;
    if (this.changed(s, last)) return true;
    return !sameReading && this.maxSilenceMs > 0 && nowMs - last.atMs >= this.maxSilenceMs;
  }

  private changed(s: MetricSample, last: Reported): boolean {
    if ((s.value === null) !== (last.value === null)) return true;
    let delta: number;
    let ref: number;
    if (typeof s.value === 'bigint' && typeof last.value === 'bigint') {
      // Int64/UInt64 beyond 2^53 collapse as doubles: difference them exactly first.
      if (s.value === last.value) return false;
      delta = Math.abs(Number(s.value - last.value));
      ref = Math.abs(Number(last.value));
    } else {
      const cur = numeric(s.value);
      const prev = numeric(last.value);
      if (cur === null || prev === null) return !Object.is(s.value, last.value);
      if (Object.is(cur, prev)) return false;
      if (Number.isNaN(cur) || Number.isNaN(prev)) return true;
      delta = Math.abs(cur - prev);
      ref = Math.abs(prev);
    }
    const rule = this.ruleFor(s.name);
    if (rule?.absolute !== undefined) return delta > rule.absolute;
    if (rule?.relative !== undefined) return ref === 0 || delta > rule.relative * ref;
    return true;
  }

  private ruleFor(name: string): CompiledRule | null {
    let r = this.ruleCache.get(name);
    if (r === undefined) {
      r = this.rules.find((x) => x.re.test(name)) ?? null;
      this.ruleCache.set(name, r);
    }
    return r;
  }
}
