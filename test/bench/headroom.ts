/**
 * bench:headroom — for each load family (headroom-families.ts), the smallest reserved
 * headroom h (% of installed PSU capacity; sustained level S = (1 − h)·C) with zero PSU
 * overload events, no load dropped, no BBU native trigger and, with the gateway, the backup
 * reserve intact; conventional vs gateway in one run. Definitions: docs/CONTROL-BENCHES.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { controlConfig, reserveWh } from '../../src/control/index.js';
import type { StepsLoadSpec, TraceLoadSpec } from '../../sim/load/index.js';
import type { BenchMode } from './control-bench-job.js';
import { fmt, parseCommon, progress, toJson } from './control-bench-format.js';
import { BenchPool } from './control-bench-pool.js';
import {
  HEADROOM_CAPACITY_W,
  headroomScenario,
  inferenceLoad,
  stepLoad,
  trainingLoad,
} from './headroom-families.js';
import { buildInferenceShape, type InferenceShape } from './headroom-inference.js';
import {
  acceptance,
  formatFamilies,
  formatVerification,
  judgeRun,
  type FamilyResult,
  type RunVerdict,
} from './headroom-report.js';
import { DEFAULT_SEARCH, searchMinHeadroom } from './headroom-search.js';

const USAGE = `usage: tsx test/bench/headroom.ts [options]
  --quick          short families (20-30 s instead of 90-120 s), ${'~'}2-3 min on 2 cores
  --json           print every search and run as JSON
  --jobs N         worker processes (default 2)
  --shared DIR     folder holding traces/ (default ../shared beside the repository)
  --seed N         seed of the step family and of every run (default 7)
  --only A,B       only these families (training, steps, inference)
`;

const opt = parseCommon(process.argv.slice(2), USAGE, {
  seed: { type: 'string' },
  only: { type: 'string' },
});
const seed = Number(opt.extra['seed'] ?? 7);
const only = opt.extra['only']?.split(',');
const cfg = controlConfig();
const C = HEADROOM_CAPACITY_W;

interface Family {
  name: string;
  durationS: number;
  describe: string;
  load: (sW: number) => StepsLoadSpec | TraceLoadSpec;
}

const dir = mkdtempSync(join(tmpdir(), 'orv3gw-headroom-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const families: Family[] = [];
const skipped: string[] = [];
const want = (n: string): boolean => !only || only.includes(n);
if (want('training')) {
  const d = opt.quick ? 20 : 90;
  families.push({
    name: 'training',
    durationS: d,
    describe:
      '1 s iterations: 700 ms compute at S with a 40 ms excursion to 1.3 S, 300 ms comms at 0.35 S',
    load: (s) => trainingLoad(s, d),
  });
}
if (want('steps')) {
  const d = opt.quick ? 30 : 120;
  families.push({
    name: 'steps',
    durationS: d,
    describe:
      'random steps 0.4 S – S, rise 1–50 ms, every rise overshooting to S + 0.25 C for 100 ms',
    load: (s) => stepLoad(s, C, d, seed),
  });
}
let shape: InferenceShape | null = null;
if (want('inference')) {
  const d = opt.quick ? 30 : 120;
  shape = buildInferenceShape(opt.sharedDir, d - 2, dir);
  if (shape === null) {
    const why = `inference SKIPPED: the Azure trace of sim/scenarios/inference-hour.json is not under ${opt.sharedDir}`;
    progress(`\n*** ${why} ***\n`);
    skipped.push('inference');
  } else {
    const sh = shape;
    families.push({
      name: 'inference',
      durationS: d,
      describe: `inference hour, window at ${sh.offsetS} s (peak ${fmt(sh.ratio, 3)} × its 1-s MA max), scaled to 1-s MA max = S`,
      load: (s) => inferenceLoad(s, sh),
    });
  }
}

const t0 = performance.now();
const pool = new BenchPool(opt.jobs, (o, p) =>
  progress(`[${p.done}/${p.submitted}] ${o.mode.padEnd(12)} ${o.key}: ${fmt(o.wallS, 1)} s wall`),
);

async function search(f: Family, mode: BenchMode) {
  return searchMinHeadroom<RunVerdict>(async (hPct) => {
    const sW = (1 - hPct / 100) * C;
    const name = `headroom-${f.name}-h${hPct.toFixed(1)}`;
    const doc = headroomScenario(
      name,
      `${f.describe}; h ${hPct} %, S ${fmt(sW, 0)} W`,
      f.durationS,
      f.load(sW),
      seed,
    );
    const o = await pool.run(
      {
        key: name,
        mode,
        scenario: doc,
        baseDir: dir,
        sharedDir: opt.sharedDir,
        reserveWh: reserveWh(sW, cfg),
      },
      (mode === 'gateway' ? 100 : 1) * f.durationS,
    );
    const v = judgeRun(o, mode, sW);
    return { pass: v.pass, detail: v };
  }, DEFAULT_SEARCH);
}

let rows: FamilyResult[];
try {
  rows = await Promise.all(
    families.map(async (f) => {
      const [conventional, gateway] = await Promise.all([
        search(f, 'conventional'),
        search(f, 'gateway'),
      ]);
      return { family: f.name, durationS: f.durationS, conventional, gateway };
    }),
  );
} finally {
  pool.close();
}
const wallS = (performance.now() - t0) / 1000;
const targets = acceptance(rows, skipped);

if (opt.json) {
  process.stdout.write(
    toJson({
      bench: 'headroom',
      quick: opt.quick,
      seed,
      jobs: opt.jobs,
      node: process.version,
      wallS,
      capacityW: C,
      reserve: {
        backupTimeS: cfg.backupTimeS,
        efficiency: cfg.bbuDischargeEfficiency,
        marginPct: cfg.reserveMarginPct,
      },
      search: DEFAULT_SEARCH,
      families: families.map((f) => ({
        name: f.name,
        durationS: f.durationS,
        description: f.describe,
      })),
      inferenceShape: shape,
      rows,
      targets,
      skipped,
    }),
  );
} else {
  const out = process.stdout;
  out.write(
    `bench:headroom — orv3-hpr-33kw (C = ${C / 1000} kW), seed ${seed}, ${opt.quick ? 'quick, ' : ''}` +
      `${opt.jobs} workers, node ${process.version}, ${fmt(wallS, 0)} s wall\n` +
      `h = reserved headroom, % of C; S = (1 − h)·C; search ${DEFAULT_SEARCH.loPct}–${DEFAULT_SEARCH.hiPct} % ` +
      `to ${DEFAULT_SEARCH.stepPct} %; reserve = S × ${cfg.backupTimeS} s / ${cfg.bbuDischargeEfficiency} ` +
      `× (1 + ${cfg.reserveMarginPct} %) (src/control/safety/reserve.ts)\n\n`,
  );
  for (const f of families) out.write(`  ${f.name} (${f.durationS} s): ${f.describe}\n`);
  out.write('\n' + formatFamilies(rows));
  out.write('\nverification (the deciding pair of each search)\n' + formatVerification(rows));
  out.write('\nacceptance\n');
  for (const t of targets) out.write(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}\n`);
  for (const s of skipped) out.write(`SKIP  ${s}: the inference trace is absent\n`);
}
