import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLoadModel, type SwingLoadSpec } from '../../../../sim/load/index.js';
import { ctx } from './ctx.js';
import {
  checkCursor,
  expectClose,
  naiveMean,
  naiveNextBreak,
  naiveValue,
  type Points,
} from './reference.js';

/** The swing written out as explicit vertices, period by period. */
function vertices(s: SwingLoadSpec, untilS: number): { p: Points; breaks: number[] } {
  const r = (s.riseMs ?? 10) / 1000;
  const h = s.duty * s.periodS;
  const start = s.startS ?? 0;
  const p: Points = { t: [start], w: [s.lowW] };
  const breaks: number[] = [];
  for (let k = 0; start + k * s.periodS <= untilS; k++) {
    const t0 = start + k * s.periodS;
    p.t.push(t0, t0 + r, t0 + h, t0 + h + r);
    p.w.push(s.lowW, s.highW, s.highW, s.lowW);
    breaks.push(t0, t0 + r, t0 + h, t0 + h + r);
  }
  return { p, breaks: [...new Set(breaks)] };
}

describe('swing load', () => {
  const spec: SwingLoadSpec = {
    kind: 'swing',
    lowW: 10,
    highW: 30,
    periodS: 1,
    duty: 0.5,
    riseMs: 100,
    startS: 1,
  };

  it('follows the square wave with finite edges', () => {
    const m = createLoadModel(spec, ctx(10));
    expect(m.powerAt(0.5)).toBe(10);
    expect(m.powerAt(1)).toBe(10);
    expect(m.powerAt(1.05)).toBeCloseTo(20, 9);
    expect(m.powerAt(1.3)).toBe(30);
    expect(m.powerAt(1.55)).toBeCloseTo(20, 9);
    expect(m.powerAt(1.8)).toBe(10);
    expect(m.powerAt(5.3)).toBe(30);
  });

  it('breaks at every edge start and end', () => {
    const m = createLoadModel(spec, ctx(10));
    expect(m.nextBreakS(0)).toBe(1);
    expect(m.nextBreakS(1)).toBeCloseTo(1.1, 12);
    expect(m.nextBreakS(1.2)).toBeCloseTo(1.5, 12);
    expect(m.nextBreakS(1.5)).toBeCloseTo(1.6, 12);
    expect(m.nextBreakS(1.7)).toBeCloseTo(2, 12);
  });

  it('has a closed-form mean and peak, also over a partial period', () => {
    const full = createLoadModel({ ...spec, startS: 0 }, ctx(10));
    expect(full.meanW).toBeCloseTo(20, 9);
    expect(full.peakW).toBe(30);
    // 10.3 s: 10 periods + 0.3 s, whose excess over lowW is 20 × (0.3 − 0.05)
    const part = createLoadModel({ ...spec, startS: 0 }, ctx(10.3));
    expect(part.meanW).toBeCloseTo((10 * 10.3 + 10 * 20 * 0.5 + 20 * 0.25) / 10.3, 9);
    const rising = createLoadModel(spec, ctx(1.05));
    expect(rising.peakW).toBeCloseTo(20, 9);
    expect(createLoadModel(spec, ctx(0.5)).peakW).toBe(10);
  });

  it('jumps cleanly with zero-length edges', () => {
    const m = createLoadModel({ ...spec, riseMs: 0, startS: 0 }, ctx(4));
    expect(m.powerAt(0)).toBe(30);
    expect(m.powerAt(0.4999)).toBe(30);
    expect(m.powerAt(0.5)).toBe(10);
    expect(m.nextBreakS(0)).toBe(0.5);
    expect(m.nextBreakS(0.5)).toBe(1);
    expect(m.meanW).toBeCloseTo(20, 9);
  });

  it('rejects edges that do not fit the period, naming riseMs', () => {
    expect(() => createLoadModel({ ...spec, riseMs: 600 }, ctx(10))).toThrow(/load\.riseMs/);
  });

  const swingArb = fc.record({
    kind: fc.constant('swing' as const),
    lowW: fc.integer({ min: 0, max: 20_000 }),
    highW: fc.integer({ min: 20_000, max: 60_000 }),
    periodS: fc.double({ min: 0.05, max: 3, noNaN: true }),
    duty: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    riseFrac: fc.double({ min: 0.001, max: 0.09, noNaN: true }),
    startS: fc.double({ min: 0, max: 2, noNaN: true }),
  });

  it('agrees with explicit vertices under random query order', () => {
    fc.assert(
      fc.property(swingArb, ({ riseFrac, ...rest }) => {
        const s: SwingLoadSpec = { ...rest, riseMs: riseFrac * rest.periodS * 1000 };
        const m = createLoadModel(s, ctx(10));
        const { p, breaks } = vertices(s, 14);
        checkCursor(
          m,
          (t) => naiveValue(p, t, true),
          (t) => naiveNextBreak(breaks, t),
          [-1, 10],
          [],
          { breakTolerance: 1e-9, runs: 5 },
        );
        expectClose(m.meanW, naiveMean(p, 10, true), 1e-9);
      }),
      { numRuns: 40 },
    );
  });
});
