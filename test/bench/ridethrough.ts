/**
 * bench:ridethrough — the scenario library (sim/scenarios/) run conventional and with the
 * gateway in the loop, side by side in one run: ride-through, PFAPR, min bus voltage, BBU
 * native triggers, PSU overload events, max grid ramp, BBU energy, min SoC; a summary per mode
 * and the acceptance lines of issue 4. Definitions: docs/CONTROL-BENCHES.md.
 */
import { performance } from 'node:perf_hooks';
import type { BenchOutcome } from './control-bench-job.js';
import { fmt, parseCommon, progress, toJson } from './control-bench-format.js';
import { BenchPool } from './control-bench-pool.js';
import { LIBRARY_DIR, loadLibrary, type LibraryCase } from './ridethrough-library.js';
import {
  acceptance,
  formatRows,
  formatSummary,
  mergeParts,
  summarise,
  type CaseRow,
} from './ridethrough-report.js';

const USAGE = `usage: tsx test/bench/ridethrough.ts [options]
  --quick            a subset of the library (${'~'}2-3 min on 2 cores), inference hour 5 min
  --json             print every result as JSON
  --jobs N           worker processes (default 2)
  --shared DIR       folder holding traces/ (default ../shared beside the repository)
  --inference-s N    seconds of the inference hour to run, in slices spread over
                     the hour (default 1800, quick 300; 3600 = the whole hour)
  --slice-s N        length of one inference slice, s (default 600, quick 300)
  --only A,B         only these scenario names
`;

const opt = parseCommon(process.argv.slice(2), USAGE, {
  'inference-s': { type: 'string' },
  'slice-s': { type: 'string' },
  only: { type: 'string' },
});
const inferenceS = Number(opt.extra['inference-s'] ?? (opt.quick ? 300 : 1800));
const sliceS = Number(opt.extra['slice-s'] ?? (opt.quick ? 300 : 600));
if (!(inferenceS > 0) || !(sliceS > 0)) {
  process.stderr.write(`--inference-s and --slice-s must be > 0\n${USAGE}`);
  process.exit(2);
}
const only = opt.extra['only']?.split(',').filter((s) => s.length > 0);

const { cases, skipped } = loadLibrary({
  quick: opt.quick,
  sharedDir: opt.sharedDir,
  inferenceS,
  sliceS,
  ...(only ? { only } : {}),
});
for (const s of skipped) {
  progress(`\n*** ${s.name} SKIPPED: ${s.why} ***\n`);
}

const t0 = performance.now();
const pool = new BenchPool(opt.jobs, (o, p) =>
  progress(
    `[${p.done}/${p.submitted}] ${o.mode.padEnd(12)} ${o.key}: ${fmt(o.wallS, 1)} s wall` +
      `${o.slowPeriodMs === null ? '' : ` (slow lane ${o.slowPeriodMs} ms)`}`,
  ),
);

interface CaseRun {
  c: LibraryCase;
  conventional: BenchOutcome[];
  gateway: BenchOutcome[];
}

/** Gateway runs are ~100× slower than conventional ones: the longest go first. */
async function runCase(c: LibraryCase): Promise<CaseRun> {
  const jobs = (mode: 'conventional' | 'gateway'): Promise<BenchOutcome>[] =>
    c.parts.map((doc) =>
      pool.run(
        {
          key: String(doc['name']),
          mode,
          scenario: doc,
          baseDir: LIBRARY_DIR,
          sharedDir: opt.sharedDir,
        },
        (mode === 'gateway' ? 100 : 1) * Number(doc['durationS']),
      ),
    );
  const [conventional, gateway] = await Promise.all([
    Promise.all(jobs('conventional')),
    Promise.all(jobs('gateway')),
  ]);
  return { c, conventional, gateway };
}

let runs: CaseRun[];
try {
  runs = await Promise.all(cases.map(runCase));
} finally {
  pool.close();
}
const wallS = (performance.now() - t0) / 1000;

const rows: CaseRow[] = runs.map((r) => ({
  name: r.c.parts.length > 1 ? `${r.c.name} (${r.c.parts.length} slices)` : r.c.name,
  klass: r.c.klass,
  conventional: mergeParts(r.conventional),
  gateway: mergeParts(r.gateway),
}));
const targets = acceptance(rows);
const slowLane = runs.flatMap((r) =>
  r.gateway.filter((o) => o.slowPeriodMs !== null).map((o) => ({ key: o.key, ms: o.slowPeriodMs })),
);

if (opt.json) {
  process.stdout.write(
    toJson({
      bench: 'ridethrough',
      quick: opt.quick,
      jobs: opt.jobs,
      node: process.version,
      wallS,
      inference: { seconds: inferenceS, sliceS },
      rows,
      summary: {
        conventional: summarise(rows, 'conventional'),
        gateway: summarise(rows, 'gateway'),
      },
      targets,
      skipped,
      runs: runs.map((r) => ({
        case: r.c.name,
        klass: r.c.klass,
        conventional: r.conventional,
        gateway: r.gateway,
      })),
    }),
  );
} else {
  const out = process.stdout;
  const simS = runs.reduce((a, r) => a + r.c.durationS, 0);
  out.write(
    `bench:ridethrough — ${rows.length} scenarios${opt.quick ? ' (quick subset)' : ''}, ` +
      `${fmt(simS, 0)} s simulated per mode, ${opt.jobs} workers, node ${process.version}, ` +
      `${fmt(wallS, 0)} s wall\ncells: conventional | gateway; bus floor 48.5 V and PFAPR ` +
      `budget 1 s applied to every scenario (sags: any event below 0.9 p.u.)\n\n`,
  );
  out.write(formatRows(rows));
  out.write('\n' + formatSummary(rows));
  const late = rows.filter((r) => !r.gateway.criteriaPassed);
  if (late.length > 0) {
    out.write('\ngateway misses, with times (s from the start of the scenario or slice):\n');
    for (const r of late) {
      const g = r.gateway;
      out.write(
        `  ${r.name}: ride-through ${g.rideThrough ? 'yes' : 'NO'}, min bus ${fmt(g.minBusV, 2)} V` +
          ` at ${fmt(g.minBusAtS, 3)}, first native trigger at ${fmt(g.firstNativeTriggerAtS, 3)},` +
          ` first PSU overload at ${fmt(g.firstOverloadAtS, 3)}, PFAPR ${fmt(g.pfaprS, 3)}\n`,
      );
    }
  }
  for (const s of slowLane)
    out.write(`note: ${s.key}: the gateway's default slow lane did not fit; ran at ${s.ms} ms\n`);
  out.write('\nacceptance\n');
  for (const t of targets) out.write(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}\n`);
  for (const s of skipped) out.write(`SKIP  ${s.name}: ${s.why}\n`);
}
