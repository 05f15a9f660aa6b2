import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOrv3Error, ErrorCode } from '../../../../src/errors.js';
import { createLoadModel, type LoadStep, type StepsLoadSpec } from '../../../../sim/load/index.js';
import { ctx } from './ctx.js';
import {
  checkCursor,
  expectClose,
  naiveBreaks,
  naiveNextBreak,
  naiveValue,
  naiveMean,
  type Points,
} from './reference.js';

function refPoints(spec: StepsLoadSpec): Points {
  const p: Points = { t: [], w: [] };
  let level = spec.baseW ?? spec.steps[0]!.watts;
  for (const s of spec.steps) {
    p.t.push(s.atS, s.atS + s.riseMs / 1000);
    p.w.push(level, s.watts);
    level = s.watts;
  }
  return p;
}

describe('constant load', () => {
  it('is flat with no breaks', () => {
    const m = createLoadModel({ kind: 'constant', watts: 26400 }, ctx(20));
    for (const t of [-1, 0, 3.3, 1e9]) expect(m.powerAt(t)).toBe(26400);
    expect(m.nextBreakS(0)).toBe(Infinity);
    expect([m.meanW, m.peakW]).toEqual([26400, 26400]);
    expect(m.description).toContain('26400');
  });
});

describe('steps load', () => {
  const spec: StepsLoadSpec = {
    kind: 'steps',
    baseW: 1000,
    steps: [
      { atS: 2, watts: 3000, riseMs: 1000 },
      { atS: 5, watts: 500, riseMs: 0 },
    ],
  };

  it('ramps linearly from the previous level and jumps on a zero rise', () => {
    const m = createLoadModel(spec, ctx(10));
    expect(m.powerAt(0)).toBe(1000);
    expect(m.powerAt(2)).toBe(1000);
    expect(m.powerAt(2.5)).toBe(2000);
    expect(m.powerAt(3)).toBe(3000);
    expect(m.powerAt(4.999)).toBe(3000);
    expect(m.powerAt(5)).toBe(500);
    expect(m.powerAt(100)).toBe(500);
  });

  it('breaks at the start and end of every rise', () => {
    const m = createLoadModel(spec, ctx(10));
    expect(m.nextBreakS(-1)).toBe(2);
    expect(m.nextBreakS(2)).toBe(3);
    expect(m.nextBreakS(3)).toBe(5);
    expect(m.nextBreakS(5)).toBe(Infinity);
  });

  it('reports the exact mean and peak over the run', () => {
    const m = createLoadModel(spec, ctx(10));
    // 1000·2 + 2000·1 + 3000·2 + 500·5 = 12500 J over 10 s
    expect(m.meanW).toBeCloseTo(1250, 9);
    expect(m.peakW).toBe(3000);
    const short = createLoadModel(spec, ctx(2.5));
    expect(short.peakW).toBe(2000);
    expect(short.meanW).toBeCloseTo((1000 * 2 + 1500 * 0.5) / 2.5, 9);
  });

  it('defaults baseW to the first step', () => {
    const m = createLoadModel(
      { kind: 'steps', steps: [{ atS: 1, watts: 700, riseMs: 5 }] },
      ctx(3),
    );
    expect(m.powerAt(0)).toBe(700);
    expect(m.meanW).toBe(700);
  });

  it('rejects a step that starts inside the previous rise, naming it', () => {
    try {
      createLoadModel(
        {
          kind: 'steps',
          steps: [
            { atS: 1, watts: 1, riseMs: 500 },
            { atS: 1.2, watts: 2, riseMs: 0 },
          ],
        },
        ctx(3),
      );
      expect.unreachable();
    } catch (e) {
      expect(isOrv3Error(e, ErrorCode.ScenarioInvalid)).toBe(true);
      expect((e as Error).message).toContain('load.steps[1].atS');
    }
  });

  const stepsArb = fc
    .record({
      baseW: fc.integer({ min: 0, max: 50_000 }),
      raw: fc.array(
        fc.record({
          gap: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
          riseMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 })),
          watts: fc.integer({ min: 0, max: 50_000 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    })
    .map(({ baseW, raw }): StepsLoadSpec => {
      let end = 0;
      const steps: LoadStep[] = raw.map(({ gap, riseMs, watts }) => {
        const atS = end + gap;
        end = atS + riseMs / 1000;
        return { atS, watts, riseMs };
      });
      return { kind: 'steps', baseW, steps };
    });

  it('agrees with a naive evaluation under random query order', () => {
    fc.assert(
      fc.property(stepsArb, (s) => {
        const p = refPoints(s);
        const breaks = naiveBreaks(p, true);
        const m = createLoadModel(s, ctx(30));
        const ref = (t: number): number => naiveValue(p, t, true);
        checkCursor(m, ref, (t) => naiveNextBreak(breaks, t), [-1, 30], p.t, { runs: 5 });
      }),
      { numRuns: 60 },
    );
  });

  it('has the exact mean and peak', () => {
    fc.assert(
      fc.property(stepsArb, (s) => {
        const m = createLoadModel(s, ctx(13));
        const p = refPoints(s);
        const ref = (t: number): number => naiveValue(p, t, true);
        expectClose(m.meanW, naiveMean(p, 13, true), 1e-9);
        let peak = 0;
        for (let i = 0; i <= 13_000; i++) peak = Math.max(peak, ref(i / 1000));
        expect(m.peakW).toBeGreaterThanOrEqual(peak - 1e-6);
      }),
      { numRuns: 30 },
    );
  });
});
