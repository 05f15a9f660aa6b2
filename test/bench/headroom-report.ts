/**
 * bench:headroom's verdicts and tables: whether one run at a headroom passes (no PSU overload,
 * no load dropped, no BBU native trigger, and with the gateway the backup reserve intact), the
 * family table and the acceptance lines. Pure functions.
 */
import type { BenchMode, BenchOutcome } from './control-bench-job.js';
import type { ReserveVerdict } from './control-bench-probe.js';
import { fmt, table } from './control-bench-format.js';
import type { SearchResult } from './headroom-search.js';

export interface RunVerdict {
  pass: boolean;
  /** Why it failed, one phrase per broken condition (empty when it passed). */
  reasons: string[];
  sustainedW: number;
  psuOverloadEvents: number;
  bbuNativeTriggers: number;
  loadDropped: boolean;
  minBusV: number;
  bbuEnergyWh: number;
  reserve: ReserveVerdict | null;
  wallS: number;
}

const at = (t: number | null): string => (t === null ? '' : ` (first at ${fmt(t, 3)} s)`);

/** The pass condition of docs/CONTROL-BENCHES.md; the reserve is judged with the gateway only. */
export function judgeRun(o: BenchOutcome, mode: BenchMode, sustainedW: number): RunVerdict {
  const r = o.result;
  const p = o.probe;
  const reasons: string[] = [];
  if (r.psuOverloadEvents > 0)
    reasons.push(`${r.psuOverloadEvents} PSU overload events${at(p.firstOverloadAtS)}`);
  if (r.loadDropped) reasons.push(`load dropped${at(p.firstLoadDropAtS)}`);
  if (r.bbuNativeTriggers > 0)
    reasons.push(`${r.bbuNativeTriggers} BBU native triggers${at(p.firstNativeTriggerAtS)}`);
  if (mode === 'gateway') {
    const rv = p.reserve;
    if (rv === null) reasons.push('reserve not judged');
    else if (!rv.intact)
      reasons.push(
        `reserve broken${at(rv.brokenAtS)}: min ${fmt(rv.minStoredWh, 1)} Wh < ${fmt(rv.reserveWh, 1)} Wh`,
      );
  }
  return {
    pass: reasons.length === 0,
    reasons,
    sustainedW,
    psuOverloadEvents: r.psuOverloadEvents,
    bbuNativeTriggers: r.bbuNativeTriggers,
    loadDropped: r.loadDropped,
    minBusV: r.minBusV,
    bbuEnergyWh: r.bbuEnergyWh,
    reserve: p.reserve,
    wallS: o.wallS,
  };
}

export interface FamilyResult {
  family: string;
  durationS: number;
  conventional: SearchResult<RunVerdict>;
  gateway: SearchResult<RunVerdict>;
}

/** The headroom a search found, for tables: "> 40.0 %" when even the top failed. */
export function formatH(s: SearchResult<unknown>, hiPct = 40): string {
  if (s.hPct === null) return `> ${fmt(hiPct, 1)} %`;
  return `${fmt(s.hPct, 1)} %`;
}

/** gateway h / conventional h; null when either is unknown or the conventional one is 0. */
export function ratio(f: FamilyResult): number | null {
  const c = f.conventional.hPct;
  const g = f.gateway.hPct;
  if (c === null || g === null || c === 0) return null;
  return g / c;
}

export function formatFamilies(rows: readonly FamilyResult[], hiPct = 40): string {
  return table(
    ['family', 'conventional h', 'gateway h', 'ratio', 'runs (conv + gw)'],
    rows.map((f) => [
      f.family,
      formatH(f.conventional, hiPct),
      formatH(f.gateway, hiPct),
      fmt(ratio(f), 2),
      `${f.conventional.evaluations.length} + ${f.gateway.evaluations.length}`,
    ]),
  );
}

/** The deciding pair of runs of each search: h passes, h − step fails and why. */
export function formatVerification(rows: readonly FamilyResult[]): string {
  const lines: string[] = [];
  for (const f of rows) {
    for (const mode of ['conventional', 'gateway'] as const) {
      const s = f[mode];
      const v = s.verified;
      const pass = v.at ? `${fmt(v.at.hPct, 1)} % passes` : 'no passing point';
      const fail = v.below
        ? `${fmt(v.below.hPct, 1)} % fails: ${v.below.detail.reasons.join('; ') || '—'}`
        : 'nothing below';
      const rv = v.at?.detail.reserve;
      const margin = rv ? `; reserve margin at h ${fmt(rv.minMarginWh, 1)} Wh` : '';
      lines.push(`  ${f.family} / ${mode}: ${pass}${margin}; ${fail}`);
    }
  }
  return lines.join('\n') + '\n';
}

export interface Target {
  target: string;
  pass: boolean;
  value: string;
}

export function acceptance(rows: readonly FamilyResult[], skipped: readonly string[]): Target[] {
  const worst = (limit: number): Target => {
    const bad = rows.filter((f) => !(f.gateway.hPct !== null && f.gateway.hPct <= limit));
    return {
      target: `gateway headroom ≤ ${limit} % on every family${limit === 3 ? ' (aim)' : ''}`,
      pass: rows.length > 0 && bad.length === 0 && skipped.length === 0,
      value:
        rows.map((f) => `${f.family} ${formatH(f.gateway)}`).join(', ') +
        (skipped.length > 0 ? `; not run: ${skipped.join(', ')}` : ''),
    };
  };
  return [worst(5), worst(3)];
}
