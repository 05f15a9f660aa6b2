/**
 * Semantic checks on a load spec that a JSON Schema cannot express (ordering, cross-field
 * bounds). Pure: files are read only when the model is built. Returns `path: message` lines.
 */
import { resolveInferenceParams } from './inference-params.js';
import type { LoadSpec, StepsLoadSpec, SwingLoadSpec } from './load-model.js';
import { SWING_DEFAULT_RISE_MS } from './swing.js';

type Check = (value: number) => boolean;

const finite: Check = (v) => Number.isFinite(v);
const nonNegative: Check = (v) => Number.isFinite(v) && v >= 0;
const positive: Check = (v) => Number.isFinite(v) && v > 0;
const positiveInt: Check = (v) => Number.isInteger(v) && v >= 1;

class Errors {
  readonly list: string[] = [];
  constructor(private readonly base: string) {}

  add(field: string, message: string): void {
    this.list.push(`${this.base}${field === '' ? '' : '.' + field}: ${message}`);
  }

  need(field: string, value: number | undefined, check: Check, message: string): void {
    if (value !== undefined && !check(value)) this.add(field, message);
  }
}

export function checkLoadSpec(spec: LoadSpec, fieldPath: string): string[] {
  const e = new Errors(fieldPath);
  switch (spec.kind) {
    case 'constant':
      e.need('watts', spec.watts, nonNegative, 'must be >= 0');
      break;
    case 'steps':
      checkSteps(spec, e);
      break;
    case 'swing':
      checkSwing(spec, e);
      break;
    case 'trace':
      if (spec.file === '') e.add('file', 'must not be empty');
      e.need('scale', spec.scale, positive, 'must be > 0');
      for (const key of ['timeColumn', 'wattsColumn'] as const) {
        const ref = spec[key];
        if (typeof ref === 'number')
          e.need(key, ref, (v) => Number.isInteger(v) && v >= 0, 'must be an integer >= 0');
      }
      break;
    case 'inference': {
      if (spec.file === '') e.add('file', 'must not be empty');
      const p = resolveInferenceParams(spec);
      e.need('gpus', p.gpus, positiveInt, 'must be an integer >= 1');
      e.need('gpusPerInstance', p.gpusPerInstance, positiveInt, 'must be an integer >= 1');
      if (p.gpusPerInstance > p.gpus) e.add('gpusPerInstance', `must be <= gpus (${p.gpus})`);
      e.need('maxBatch', p.maxBatch, positiveInt, 'must be an integer >= 1');
      for (const key of [
        'gpuIdleW',
        'gpuStandbyW',
        'gpuActiveW',
        'standbyHoldMs',
        'baseW',
        'startOffsetS',
      ] as const) {
        e.need(key, p[key], nonNegative, 'must be >= 0');
      }
      for (const key of ['prefillTokensPerS', 'decodeTokensPerS', 'rateScale'] as const) {
        e.need(key, p[key], positive, 'must be > 0');
      }
      if (p.gpuStandbyW < p.gpuIdleW) e.add('gpuStandbyW', `must be >= gpuIdleW (${p.gpuIdleW})`);
      if (p.gpuActiveW < p.gpuStandbyW)
        e.add('gpuActiveW', `must be >= gpuStandbyW (${p.gpuStandbyW})`);
      break;
    }
  }
  return e.list;
}

function checkSteps(spec: StepsLoadSpec, e: Errors): void {
  e.need('baseW', spec.baseW, nonNegative, 'must be >= 0');
  if (spec.steps.length === 0) e.add('steps', 'must contain at least one step');
  let prevEnd = -Infinity;
  spec.steps.forEach((s, i) => {
    const at = `steps[${i}]`;
    e.need(`${at}.atS`, s.atS, nonNegative, 'must be >= 0');
    e.need(`${at}.watts`, s.watts, nonNegative, 'must be >= 0');
    e.need(`${at}.riseMs`, s.riseMs, nonNegative, 'must be >= 0');
    // Tolerate rounding in decimal inputs such as 2.01 s after a 10 ms rise from 2 s.
    if (s.atS < prevEnd - 1e-9) {
      e.add(`${at}.atS`, `must be >= the end of the previous step's rise (${prevEnd} s)`);
    }
    if (finite(s.atS) && finite(s.riseMs)) prevEnd = s.atS + s.riseMs / 1000;
  });
}

function checkSwing(spec: SwingLoadSpec, e: Errors): void {
  e.need('lowW', spec.lowW, nonNegative, 'must be >= 0');
  e.need('highW', spec.highW, nonNegative, 'must be >= 0');
  if (spec.highW < spec.lowW) e.add('highW', `must be >= lowW (${spec.lowW})`);
  e.need('periodS', spec.periodS, positive, 'must be > 0');
  e.need('duty', spec.duty, (v) => v > 0 && v < 1, 'must be in (0, 1)');
  e.need('riseMs', spec.riseMs, nonNegative, 'must be >= 0');
  e.need('startS', spec.startS, nonNegative, 'must be >= 0');
  const riseS = (spec.riseMs ?? SWING_DEFAULT_RISE_MS) / 1000;
  const highS = spec.duty * spec.periodS;
  const lowS = spec.periodS - highS;
  if (riseS > highS || riseS > lowS) {
    e.add(
      'riseMs',
      `edges (${riseS * 1000} ms) must fit in both the high (${highS * 1000} ms) and the low (${lowS * 1000} ms) part of the period`,
    );
  }
}
