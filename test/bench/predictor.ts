/**
 * bench:predictor — the control loop's load predictor on 1 kHz fast-lane streams made from
 * the simulator's own load generators (step-heavy, training swings, the inference hour),
 * through LINEAR11 quantisation, jitter and failed reads (predictor-wire.ts). Prints a table,
 * or JSON with --json. Options: --quick (short runs), --seed=N, --shared=DIR (default
 * ../shared beside the repository). Definitions: docs/CONTROL-PREDICTOR.md "Bench".
 */
import { defaultSharedDir } from '../../sim/scenario/index.js';
import {
  inferenceFamily,
  INFERENCE_SCENARIO,
  STEP_WINDOW_MS,
  stepFamily,
  swingFamily,
  type Family,
} from './predictor-families.js';
import { errorRatio, matchDetections, perHour, type MatchResult } from './predictor-metrics.js';
import { HORIZONS, runFamily, type FamilyRun, type HintPlan } from './predictor-run.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const quick = args.includes('--quick');
const arg = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seed = Number(arg('seed') ?? 1);
const sharedDir = arg('shared') ?? defaultSharedDir();

/** Detection window: a step's own window plus 10 ms of slack for the last sample of a ramp. */
const MATCH_WINDOW_MS = STEP_WINDOW_MS + 10;
const HINTS: HintPlan[] = [
  { name: 'exact, 50 ms lead', leadMs: 50, timeErrMs: 0, deltaErrFrac: 0 },
  { name: '50 ms lead, ±5 ms, ±20 %', leadMs: 50, timeErrMs: 5, deltaErrFrac: 0.2 },
];

interface FamilyReport {
  family: string;
  ratedW: number;
  simulatedS: number;
  ticks: number;
  missingPct: number;
  forecasts: {
    model: string;
    horizonMs: number;
    rmsW: number;
    maeW: number;
    persistenceRmsW: number;
    ratio: number;
    maeRatio: number;
    boundRatio: number;
  }[];
  /** Ratio of the exact-hint bound (onsets and changes known, rise unknown), per horizon. */
  hintBoundRatio: { horizonMs: number; ratio: number }[];
  byRise5ms: {
    riseMs: number;
    ratio: number;
    boundRatio: number;
    rmsW: number;
    persistenceRmsW: number;
  }[];
  detection: (Omit<MatchResult, 'latenciesMs'> & { model: string; falseAlarmsPerHour: number })[];
  /** The plain predictor's detection of the steps of each rise time (step-heavy, swings). */
  detectionByRise: {
    riseMs: number;
    steps: number;
    recall: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
  }[];
}

function report(run: FamilyRun): FamilyReport {
  const f = run.family;
  const evalS = f.durationS - run.warmupS;
  const steps = f.steps.filter((s) => s.onsetMs >= run.warmupS * 1000);
  return {
    family: f.name,
    ratedW: f.ratedW,
    simulatedS: f.durationS,
    ticks: run.ticks,
    missingPct: (100 * run.missing) / run.ticks,
    forecasts: run.models.flatMap((m) =>
      HORIZONS.map((h, j) => ({
        model: m.name,
        horizonMs: h,
        rmsW: m.err[j]!.rms,
        maeW: m.err[j]!.mae,
        persistenceRmsW: run.persistence[j]!.rms,
        ratio: errorRatio(m.err[j]!, run.persistence[j]!),
        maeRatio: m.err[j]!.mae / run.persistence[j]!.mae,
        boundRatio: errorRatio(run.bound[j]!, run.persistence[j]!),
      })),
    ),
    hintBoundRatio:
      run.hintBound === null
        ? []
        : HORIZONS.map((h, j) => ({
            horizonMs: h,
            ratio: errorRatio(run.hintBound![j]!, run.persistence[j]!),
          })),
    byRise5ms: [...run.byRise]
      .sort((a, b) => a[0] - b[0])
      .map(([riseMs, s]) => ({
        riseMs,
        ratio: errorRatio(s.model, s.persistence),
        boundRatio: errorRatio(s.bound, s.persistence),
        rmsW: s.model.rms,
        persistenceRmsW: s.persistence.rms,
      })),
    detectionByRise: [...new Set(steps.map((s) => s.riseMs))]
      .filter((r) => Number.isFinite(r))
      .sort((a, b) => a - b)
      .map((riseMs) => {
        const own = steps.filter((s) => s.riseMs === riseMs);
        const r = matchDetections(own, run.models[0]!.detections, MATCH_WINDOW_MS);
        return {
          riseMs,
          steps: r.steps,
          recall: r.recall,
          p50Ms: r.p50Ms,
          p99Ms: r.p99Ms,
          maxMs: r.maxMs,
        };
      }),
    detection: run.models.map((m) => {
      const { latenciesMs: _, ...r } = matchDetections(steps, m.detections, MATCH_WINDOW_MS);
      return { model: m.name, ...r, falseAlarmsPerHour: perHour(r.falseAlarms, evalS) };
    }),
  };
}

const families: { make: () => Family | null; hints: boolean }[] = [
  { make: () => stepFamily(seed, quick ? 300 : 1200), hints: true },
  { make: () => swingFamily(seed, quick ? 240 : 480), hints: false },
  { make: () => inferenceFamily(sharedDir, quick ? 600 : 3600), hints: false },
];

const reports: FamilyReport[] = [];
const skipped: string[] = [];
const t0 = performance.now();
for (const spec of families) {
  const family = spec.make();
  if (family === null) {
    const why = `inference hour SKIPPED: the trace named by ${INFERENCE_SCENARIO} is not under ${sharedDir}`;
    console.warn(`\n*** ${why} ***\n`);
    skipped.push(why);
    continue;
  }
  const run = runFamily(family, { seed, warmupS: 30, ...(spec.hints ? { hints: HINTS } : {}) });
  reports.push(report(run));
}
const wallS = (performance.now() - t0) / 1000;

const stepR = reports.find((r) => r.family === 'step-heavy')!;
const infR = reports.find((r) => r.family === 'inference hour');
const plain = (r: FamilyReport) => r.detection.find((d) => d.model === 'predictor')!;
const at5 = (model: string) => stepR.forecasts.find((f) => f.model === model && f.horizonMs === 5)!;
const ratio5 = at5('predictor').ratio;
const hinted5 = at5(`predictor + hints (${HINTS[0]!.name})`).ratio;
const fast = stepR.detectionByRise.filter((d) => d.riseMs <= 5);
const fastP99 = Math.max(...fast.map((d) => d.p99Ms));
const targets = [
  {
    target: '5 ms error ≤ 0.5 × persistence, step-heavy (no hints)',
    value: ratio5,
    pass: ratio5 <= 0.5,
  },
  {
    target: '5 ms error ≤ 0.5 × persistence, step-heavy (hints 50 ms ahead)',
    value: hinted5,
    pass: hinted5 <= 0.5,
  },
  {
    target: 'detection latency p99 ≤ 2 ms, step-heavy',
    value: plain(stepR).p99Ms,
    pass: plain(stepR).p99Ms <= 2,
  },
  {
    target: 'detection latency p50 ≤ 2 ms, step-heavy',
    value: plain(stepR).p50Ms,
    pass: plain(stepR).p50Ms <= 2,
  },
  {
    target: 'recall ≥ 99 %, step-heavy',
    value: plain(stepR).recall,
    pass: plain(stepR).recall >= 0.99,
  },
  ...(infR === undefined
    ? []
    : [
        {
          target: 'false alarms ≤ 1 per simulated hour, inference hour',
          value: plain(infR).falseAlarmsPerHour,
          pass: plain(infR).falseAlarmsPerHour <= 1,
        },
      ]),
];
/** What no method can beat on these families, printed beside the targets it bounds. */
const limits = [
  {
    limit: 'causal bound of the 5 ms ratio, step-heavy (knows every step once it has begun)',
    value: at5('predictor').boundRatio,
  },
  {
    limit: 'exact-hint bound of the 5 ms ratio, step-heavy (knows onsets and sizes, not rises)',
    value: stepR.hintBoundRatio.find((b) => b.horizonMs === 5)?.ratio ?? Number.NaN,
  },
  { limit: 'detection latency p99 of the steps rising in ≤ 5 ms, step-heavy', value: fastP99 },
];

if (asJson) {
  process.stdout.write(
    JSON.stringify(
      { bench: 'predictor', seed, wallS, reports, targets, limits, skipped },
      null,
      2,
    ) + '\n',
  );
} else {
  const table = (head: string[], rows: string[][]): string => {
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ');
    return [line(head), ...rows.map(line)].join('\n') + '\n';
  };
  const out = process.stdout;
  out.write(
    `bench:predictor — seed ${seed}, node ${process.version}, ${wallS.toFixed(1)} s wall\n`,
  );
  for (const r of reports) {
    out.write(
      `\n${r.family}: rating ${(r.ratedW / 1000).toFixed(0)} kW, ${r.simulatedS} s simulated, ` +
        `${r.ticks} ticks, ${r.missingPct.toFixed(2)} % failed reads\n`,
    );
    out.write(
      table(
        [
          'model',
          'h ms',
          'RMS W',
          'MAE W',
          'persist RMS W',
          'RMS ratio',
          'MAE ratio',
          'bound ratio',
        ],
        r.forecasts.map((f) => [
          f.model,
          String(f.horizonMs),
          f.rmsW.toFixed(0),
          f.maeW.toFixed(0),
          f.persistenceRmsW.toFixed(0),
          f.ratio.toFixed(3),
          f.maeRatio.toFixed(3),
          f.boundRatio.toFixed(3),
        ]),
      ),
    );
    if (r.hintBoundRatio.length > 0) {
      out.write(
        `exact-hint bound (onsets and changes known, rise unknown), RMS ratio: ` +
          r.hintBoundRatio.map((b) => `${b.horizonMs} ms ${b.ratio.toFixed(3)}`).join(', ') +
          '\n',
      );
    }
    if (r.byRise5ms.length > 0) {
      out.write(
        table(
          ['rise ms', '5 ms RMS ratio', 'bound ratio', 'RMS W', 'persist RMS W'],
          r.byRise5ms.map((b) => [
            String(+b.riseMs.toFixed(1)),
            b.ratio.toFixed(3),
            b.boundRatio.toFixed(3),
            b.rmsW.toFixed(0),
            b.persistenceRmsW.toFixed(0),
          ]),
        ),
      );
    }
    out.write(
      table(
        [
          'detector',
          'steps',
          'recall',
          'p50 ms',
          'p99 ms',
          'max ms',
          'detections',
          'false',
          'false/h',
        ],
        r.detection.map((d) => [
          d.model,
          String(d.steps),
          (100 * d.recall).toFixed(2) + ' %',
          d.p50Ms.toFixed(2),
          d.p99Ms.toFixed(2),
          d.maxMs.toFixed(2),
          String(d.detections),
          String(d.falseAlarms),
          d.falseAlarmsPerHour.toFixed(2),
        ]),
      ),
    );
    if (r.detectionByRise.length > 0) {
      out.write(
        table(
          ['rise ms', 'steps', 'recall', 'p50 ms', 'p99 ms', 'max ms'],
          r.detectionByRise.map((d) => [
            String(+d.riseMs.toFixed(1)),
            String(d.steps),
            (100 * d.recall).toFixed(2) + ' %',
            d.p50Ms.toFixed(2),
            d.p99Ms.toFixed(2),
            d.maxMs.toFixed(2),
          ]),
        ),
      );
    }
  }
  out.write('\ntargets\n');
  for (const t of targets)
    out.write(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value.toFixed(3)}\n`);
  for (const l of limits) out.write(`INFO  ${l.limit}: ${l.value.toFixed(3)}\n`);
  for (const s of skipped) out.write(`SKIP  ${s}\n`);
}
