/**
 * The ride-through library: every scenario file in sim/scenarios/, classified and judged by
 * the bench's own criteria (docs/CONTROL-BENCHES.md): the bus must stay ≥ 48.5 V (the BBUs'
 * native trigger) everywhere, and every scenario with a grid fault must recover its grid power
 * within 1 s. The inference hour runs as consecutive slices, each warmed up by the requests
 * before it, so the hour spreads over the workers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataPath } from '../../sim/load/index.js';

export const LIBRARY_DIR = fileURLToPath(new URL('../../sim/scenarios/', import.meta.url));

/** The bench's criteria: no native trigger means the bus never reached 48.5 V. */
export const BENCH_MIN_BUS_V = 48.5;
export const BENCH_PFAPR_S = 1.0;

export type CaseClass = 'sag' | 'grid' | 'load';

export interface LibraryCase {
  name: string;
  /** sag: a grid event below 0.9 p.u. (PFAPR judged); grid: other grid events; load: none. */
  klass: CaseClass;
  /** Scenario documents run for this case (one, or the slices of a long trace). */
  parts: Record<string, unknown>[];
  /** Simulated seconds (all parts), for scheduling the longest first. */
  durationS: number;
}

export interface LibraryOptions {
  quick: boolean;
  sharedDir: string;
  /** Seconds of the inference hour to run (in slices spread over the hour), slice length. */
  inferenceS: number;
  sliceS: number;
  /** Only these scenario names (tests, --only). */
  only?: readonly string[];
}

/** The --quick subset: one of each kind of event, the fast ones. */
export const QUICK_SET: readonly string[] = [
  'sag-0pu-20ms-at-80pct',
  'sag-0pu-150ms-at-80pct',
  'sag-0.5pu-500ms-at-80pct',
  'sag-0.7pu-150ms-at-80pct',
  'sag-0.8pu-2s-at-80pct',
  'repeated-sags-3x-0.5pu-150ms-at-80pct',
  'sag-0.5pu-150ms-during-step-30-to-80pct',
  'ac-loss-30s-at-80pct',
  'step-10-to-60pct-1ms',
  'step-60-to-10pct-1ms',
  'training-swing-10hz',
  'inference-hour',
];

type Doc = Record<string, unknown> & {
  name: string;
  durationS: number;
  grid: { events: { pu: number }[] };
  criteria: Record<string, unknown>;
  load: Record<string, unknown>;
};

export function classify(doc: { grid: { events: readonly { pu: number }[] } }): CaseClass {
  const ev = doc.grid.events;
  if (ev.some((e) => e.pu < 0.9)) return 'sag';
  return ev.length > 0 ? 'grid' : 'load';
}

/** The file's criteria with the bench's bus floor, and the PFAPR budget on faults. */
export function benchCriteria(
  criteria: Record<string, unknown>,
  klass: CaseClass,
): Record<string, unknown> {
  return {
    ...criteria,
    minBusV: BENCH_MIN_BUS_V,
    ...(klass === 'sag' ? { pfaprS: BENCH_PFAPR_S } : {}),
  };
}

/**
 * Slices of sliceS covering totalS seconds of a trace-driven scenario, spread evenly over its
 * whole length (contiguous when totalS is the whole run): the load's startOffsetS moves each
 * window, and the requests before it warm the rack up.
 */
export function sliceDocs(doc: Doc, totalS: number, sliceS: number): Doc[] {
  const span = doc.durationS;
  const len = Math.min(sliceS, span);
  const n = Math.max(1, Math.min(Math.ceil(span / len), Math.round(totalS / len)));
  const base = Number(doc.load['startOffsetS'] ?? 0);
  const pad = (x: number): string => String(Math.round(x)).padStart(4, '0');
  const out: Doc[] = [];
  for (let k = 0; k < n; k++) {
    const off = Math.min(span - len, Math.round((k * span) / n));
    out.push({
      ...doc,
      name: `${doc.name}.t${pad(off)}-${pad(off + len)}`,
      durationS: len,
      load: { ...doc.load, startOffsetS: base + off },
    });
  }
  return out;
}

export interface Skipped {
  name: string;
  why: string;
}

/** Reads the library; cases whose data is absent are returned as skipped (say so loudly). */
export function loadLibrary(opts: LibraryOptions): { cases: LibraryCase[]; skipped: Skipped[] } {
  const files = readdirSync(LIBRARY_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const cases: LibraryCase[] = [];
  const skipped: Skipped[] = [];
  for (const f of files) {
    const doc = JSON.parse(readFileSync(join(LIBRARY_DIR, f), 'utf8')) as Doc;
    if (opts.only && !opts.only.includes(doc.name)) continue;
    if (!opts.only && opts.quick && !QUICK_SET.includes(doc.name)) continue;
    const klass = classify(doc);
    const judged: Doc = { ...doc, criteria: benchCriteria(doc.criteria, klass) };
    const file = judged.load['file'];
    if (typeof file === 'string') {
      const path = resolveDataPath(file, LIBRARY_DIR, opts.sharedDir);
      if (!existsSync(path)) {
        skipped.push({ name: doc.name, why: `${path} is absent` });
        continue;
      }
    }
    const long = judged.load['kind'] === 'inference' && judged.durationS > opts.sliceS;
    const parts = long ? sliceDocs(judged, opts.inferenceS, opts.sliceS) : [judged];
    const durationS = parts.reduce((a, p) => a + p.durationS, 0);
    cases.push({ name: doc.name, klass, parts, durationS });
  }
  return { cases, skipped };
}
