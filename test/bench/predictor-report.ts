/**
 * bench:predictor's report of one family run: forecast error ratios per model and horizon, in
 * aggregate and per rise-time class, and step detection per detector, in aggregate, per rise
 * class and per group (fast: rise ≤ 5 ms; slow: rise ≥ 20 ms). Plain data for --json, and
 * the text tables. Definitions: docs/CONTROL-PREDICTOR.md "Bench".
 */
import { errorRatio, matchDetections, perHour, type ErrorStats } from './predictor-metrics.js';
import { HORIZONS, type FamilyRun } from './predictor-run.js';

/** Steps rising in at most this long are "fast" (the 2 ms detection target is theirs). */
export const FAST_RISE_MS = 5;

export interface ForecastRow {
  model: string;
  horizonMs: number;
  rmsW: number;
  maeW: number;
  persistenceRmsW: number;
  ratio: number;
  maeRatio: number;
  boundRatio: number;
}

/** RMS ratios to persistence of one rise class ('all' = the aggregate), per horizon. */
export interface ClassErrors {
  rise: string;
  /** Scored ticks at each horizon. */
  ticks: number[];
  persistenceRmsW: number[];
  /** Models, then 'causal bound' and (with hints) 'exact-hint bound'; one ratio per horizon. */
  ratios: { model: string; ratio: number[] }[];
}

export interface DetectionRow {
  model: string;
  /** 'all', a rise time ('5 ms'), or a group ('rise ≤ 5 ms', 'rise ≥ 20 ms'). */
  steps: string;
  n: number;
  recall: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Only on the 'all' rows: detections and false alarms over the evaluated time. */
  detections?: number;
  falseAlarms?: number;
  falseAlarmsPerHour?: number;
}

export interface FamilyReport {
  family: string;
  ratedW: number;
  simulatedS: number;
  ticks: number;
  missingPct: number;
  forecasts: ForecastRow[];
  hintBoundRatio: { horizonMs: number; ratio: number }[];
  /** The aggregate first, then one entry per rise class (families with rise times). */
  byRise: ClassErrors[];
  detection: DetectionRow[];
}

const ratios = (model: ErrorStats[], ref: ErrorStats[]): number[] =>
  HORIZONS.map((_, j) => errorRatio(model[j]!, ref[j]!));

const riseName = (r: number): string => `${+r.toFixed(1)} ms`;

export function buildReport(run: FamilyRun, matchWindowMs: number): FamilyReport {
  const f = run.family;
  const evalS = f.durationS - run.warmupS;
  const steps = f.steps.filter((s) => s.onsetMs >= run.warmupS * 1000);
  const scored = run.models.filter((m) => m.err.length > 0);
  const classes: ClassErrors[] = [];
  const addClass = (
    rise: string,
    models: ErrorStats[][],
    persistence: ErrorStats[],
    bound: ErrorStats[],
    hintBound: ErrorStats[] | null,
  ): void => {
    classes.push({
      rise,
      ticks: persistence.map((p) => p.n),
      persistenceRmsW: persistence.map((p) => p.rms),
      ratios: [
        ...models.map((m, i) => ({ model: scored[i]!.name, ratio: ratios(m, persistence) })),
        { model: 'causal bound', ratio: ratios(bound, persistence) },
        ...(hintBound === null
          ? []
          : [{ model: 'exact-hint bound', ratio: ratios(hintBound, persistence) }]),
      ],
    });
  };
  if (run.byRise.size > 0) {
    addClass(
      'all',
      scored.map((m) => m.err),
      run.persistence,
      run.bound,
      run.hintBound,
    );
    for (const [r, c] of [...run.byRise].sort((a, b) => a[0] - b[0])) {
      addClass(riseName(r), c.models, c.persistence, c.bound, c.hintBound);
    }
  }
  const rises = [...new Set(steps.map((s) => s.riseMs))]
    .filter((r) => Number.isFinite(r))
    .sort((a, b) => a - b);
  const groups: { name: string; steps: typeof steps }[] = [
    ...rises.map((r) => ({ name: riseName(r), steps: steps.filter((s) => s.riseMs === r) })),
    ...(rises.length > 1
      ? [
          {
            name: `rise ≤ ${FAST_RISE_MS} ms`,
            steps: steps.filter((s) => s.riseMs <= FAST_RISE_MS),
          },
          {
            name: `rise > ${FAST_RISE_MS} ms`,
            steps: steps.filter((s) => s.riseMs > FAST_RISE_MS),
          },
        ]
      : []),
  ];
  const detection: DetectionRow[] = [];
  for (const [i, m] of run.models.entries()) {
    const r = matchDetections(steps, m.detections, matchWindowMs);
    detection.push({
      model: m.name,
      steps: 'all',
      n: r.steps,
      recall: r.recall,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      maxMs: r.maxMs,
      detections: r.detections,
      falseAlarms: r.falseAlarms,
      falseAlarmsPerHour: perHour(r.falseAlarms, evalS),
    });
    // Per class only for the detectors that differ (hints do not change the detector).
    if (i > 0 && m.err.length > 0) continue;
    for (const g of groups) {
      const x = matchDetections(g.steps, m.detections, matchWindowMs);
      detection.push({
        model: m.name,
        steps: g.name,
        n: x.steps,
        recall: x.recall,
        p50Ms: x.p50Ms,
        p99Ms: x.p99Ms,
        maxMs: x.maxMs,
      });
    }
  }
  return {
    family: f.name,
    ratedW: f.ratedW,
    simulatedS: f.durationS,
    ticks: run.ticks,
    missingPct: (100 * run.missing) / run.ticks,
    forecasts: scored.flatMap((m) =>
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
    byRise: classes,
    detection,
  };
}

export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

const pct = (x: number): string => (100 * x).toFixed(2) + ' %';

export function formatFamily(r: FamilyReport): string {
  let out =
    `\n${r.family}: rating ${(r.ratedW / 1000).toFixed(0)} kW, ${r.simulatedS} s simulated, ` +
    `${r.ticks} ticks, ${r.missingPct.toFixed(2)} % failed reads\n`;
  out += table(
    ['model', 'h ms', 'RMS W', 'MAE W', 'persist RMS W', 'RMS ratio', 'MAE ratio', 'bound ratio'],
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
  );
  if (r.hintBoundRatio.length > 0) {
    out +=
      `exact-hint bound (onsets and changes known, rise unknown), RMS ratio: ` +
      r.hintBoundRatio.map((b) => `${b.horizonMs} ms ${b.ratio.toFixed(3)}`).join(', ') +
      '\n';
  }
  if (r.byRise.length > 0) {
    for (const [j, h] of HORIZONS.entries()) {
      out += `\nRMS ratio to persistence at ${h} ms, by rise time of the step the target falls in\n`;
      const models = r.byRise[0]!.ratios.map((x) => x.model);
      out += table(
        ['model', ...r.byRise.map((c) => c.rise)],
        [
          ['(persistence RMS W)', ...r.byRise.map((c) => c.persistenceRmsW[j]!.toFixed(0))],
          ...models.map((m) => [
            m,
            ...r.byRise.map((c) => c.ratios.find((x) => x.model === m)!.ratio[j]!.toFixed(3)),
          ]),
        ],
      );
    }
  }
  out += '\nstep detection (latency from the true onset)\n';
  out += table(
    [
      'detector',
      'steps',
      'n',
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
      d.steps,
      String(d.n),
      pct(d.recall),
      d.p50Ms.toFixed(2),
      d.p99Ms.toFixed(2),
      d.maxMs.toFixed(2),
      d.detections === undefined ? '' : String(d.detections),
      d.falseAlarms === undefined ? '' : String(d.falseAlarms),
      d.falseAlarmsPerHour === undefined ? '' : d.falseAlarmsPerHour.toFixed(2),
    ]),
  );
  return out;
}
