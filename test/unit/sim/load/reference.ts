/**
 * Naive reference implementations for the load-model tests: linear scans, no cursor, so the
 * models' cursor logic is checked against something too simple to be wrong.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { LoadModel } from '../../../../sim/load/index.js';

export interface Points {
  t: number[];
  w: number[];
}

/** Value of a point series: held before the first point and after the last; right-continuous. */
export function naiveValue(p: Points, tS: number, linear: boolean): number {
  let i = -1;
  for (let k = 0; k < p.t.length; k++) if (p.t[k]! <= tS) i = k;
  if (i < 0) return p.w[0]!;
  if (!linear || i === p.t.length - 1) return p.w[i]!;
  const t0 = p.t[i]!;
  return p.w[i]! + ((p.w[i + 1]! - p.w[i]!) * (tS - t0)) / (p.t[i + 1]! - t0);
}

/** Times where a point series jumps or (linear) changes slope, from its definition. */
export function naiveBreaks(p: Points, linear: boolean): number[] {
  const out: number[] = [];
  const times = [...new Set(p.t)];
  for (const tau of times) {
    const first = p.t.indexOf(tau);
    const last = p.t.lastIndexOf(tau);
    const before = first > 0 ? p.w[first - 1]! : p.w[0]!;
    if (!linear) {
      if (p.w[last] !== before) out.push(tau);
      continue;
    }
    const jump = p.w[first] !== p.w[last];
    const slopeIn = first > 0 ? (p.w[first]! - p.w[first - 1]!) / (tau - p.t[first - 1]!) : 0;
    const slopeOut =
      last + 1 < p.t.length ? (p.w[last + 1]! - p.w[last]!) / (p.t[last + 1]! - tau) : 0;
    if (jump || slopeIn !== slopeOut) out.push(tau);
  }
  return out;
}

export function naiveNextBreak(breaks: readonly number[], tS: number): number {
  let best = Infinity;
  for (const b of breaks) if (b > tS && b < best) best = b;
  return best;
}

/** Exact mean over [0, D] of a point series: the midpoint rule is exact on each linear piece. */
export function naiveMean(p: Points, durationS: number, linear: boolean): number {
  const cuts = [0, durationS, ...p.t.filter((t) => t > 0 && t < durationS)].sort((a, b) => a - b);
  let area = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    if (b > a) area += naiveValue(p, (a + b) / 2, linear) * (b - a);
  }
  return area / durationS;
}

/** Mean over [0, D] by the midpoint rule, for models without a closed form in the test. */
export function numericMean(
  f: (t: number) => number,
  durationS: number,
  samples = 200_000,
): number {
  let sum = 0;
  for (let i = 0; i < samples; i++) sum += f(((i + 0.5) * durationS) / samples);
  return sum / samples;
}

export function expectClose(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

/**
 * Queries in random (non-monotone) order, sometimes sorted, mixing random times with the
 * interesting ones (breaks and their neighbours): the model must agree with the reference.
 */
export function checkCursor(
  model: LoadModel,
  ref: (t: number) => number,
  refBreak: (t: number) => number,
  range: [number, number],
  interesting: number[],
  opts: { breakTolerance?: number; runs?: number } = {},
): void {
  const specials = interesting.flatMap((x) => [x, x - 1e-9, x + 1e-9]);
  const time = fc.oneof(
    fc.double({ min: range[0], max: range[1], noNaN: true }),
    specials.length > 0 ? fc.constantFrom(...specials) : fc.constant(range[0]),
  );
  fc.assert(
    fc.property(fc.array(time, { minLength: 1, maxLength: 300 }), fc.boolean(), (ts, sorted) => {
      if (sorted) ts.sort((a, b) => a - b);
      for (const t of ts) {
        expectClose(model.powerAt(t), ref(t), 1e-7);
        const b = model.nextBreakS(t);
        expect(b).toBeGreaterThan(t);
        const rb = refBreak(t);
        if (opts.breakTolerance === undefined) expect(b).toBe(rb);
        else if (rb - t > opts.breakTolerance) expectClose(b, rb, 1e-12);
      }
    }),
    { numRuns: opts.runs ?? 100 },
  );
}
