import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { createLoadModel, type TraceLoadSpec } from '../../../../sim/load/index.js';
import { ctx } from './ctx.js';
import {
  checkCursor,
  expectClose,
  naiveBreaks,
  naiveMean,
  naiveNextBreak,
  naiveValue,
  type Points,
} from './reference.js';

const dir = mkdtempSync(join(tmpdir(), 'orv3-trace-'));
let n = 0;
function csv(text: string): string {
  const name = `t${n++}.csv`;
  writeFileSync(join(dir, name), text);
  return name;
}
const trace = (file: string, over: Partial<TraceLoadSpec> = {}, durationS = 10) =>
  createLoadModel({ kind: 'trace', file, ...over }, ctx(durationS, { baseDir: dir }));

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('trace load', () => {
  const file = csv('# comment\ntime_s,rack_w\n0,1000\n1,3000\n\n3,3000\n3,500\n');

  it('interpolates linearly by default, holds outside, and jumps on repeated times', () => {
    const m = trace(file, { wattsColumn: 'rack_w' });
    expect(m.powerAt(-5)).toBe(1000);
    expect(m.powerAt(0.25)).toBe(1500);
    expect(m.powerAt(2)).toBe(3000);
    expect(m.powerAt(3)).toBe(500);
    expect(m.powerAt(50)).toBe(500);
    expect([m.nextBreakS(-1), m.nextBreakS(0), m.nextBreakS(1), m.nextBreakS(3)]).toEqual([
      0,
      1,
      3,
      Infinity,
    ]);
    // 1000·… : 2000 (ramp) + 3000·2 + 500·7 = 11500 J over 10 s
    expect(m.meanW).toBeCloseTo(1150, 9);
    expect(m.peakW).toBe(3000);
  });

  it('holds each value in step mode, with scale and column indices', () => {
    const m = trace(file, { interpolate: 'step', scale: 2, timeColumn: 0, wattsColumn: 1 });
    expect(m.powerAt(0.5)).toBe(2000);
    expect(m.powerAt(1)).toBe(6000);
    expect(m.nextBreakS(0)).toBe(1);
    expect(m.nextBreakS(1)).toBe(3);
  });

  it('resolves $SHARED/ against the shared folder', () => {
    const m = createLoadModel(
      { kind: 'trace', file: `$SHARED/${file}` },
      ctx(10, { sharedDir: dir, baseDir: '/elsewhere' }),
    );
    expect(m.powerAt(0.5)).toBe(2000);
  });

  it('reports a missing file as FileUnreadable with the field and resolved path', () => {
    const e = thrown(() => trace('nope/missing.csv'));
    expect(isOrv3Error(e, ErrorCode.FileUnreadable)).toBe(true);
    expect(e.message).toContain('load.file');
    expect(e.message).toContain(join(dir, 'nope/missing.csv'));
  });

  it('names the line of a bad row, a time going backwards, or a missing column', () => {
    expect(thrown(() => trace(csv('t,w\n0,1\n1,x\n'))).message).toMatch(
      /load\.file: .*:3: watts "x"/,
    );
    expect(thrown(() => trace(csv('0,1\n2,1\n1,1\n'))).message).toMatch(
      /:3: time 1 goes backwards/,
    );
    expect(thrown(() => trace(file, { wattsColumn: 'kw' })).message).toMatch(
      /load\.wattsColumn: .*no column "kw"/,
    );
    expect(thrown(() => trace(csv('# only a comment\n'))).message).toMatch(/no data rows/);
  });

  it('skips slope breaks closer than 1 ms to the last one but never a jump', () => {
    const rows = ['0,0', '0.0004,10', '0.0008,0', '0.0012,10', '0.002,0', '0.002,50', '0.0021,0'];
    const m = trace(csv(rows.join('\n')));
    const breaks: number[] = [];
    for (let t = m.nextBreakS(-1); t < Infinity; t = m.nextBreakS(t)) breaks.push(t);
    // 0.0021 ends the fall after the jump but lies within 1 ms of it
    expect(breaks).toEqual([0, 0.0012, 0.002]);
  });

  const pointsArb = fc
    .array(
      fc.record({
        gap: fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 2000 }).map((ms) => ms / 1000),
        ),
        w: fc.integer({ min: 0, max: 40_000 }),
      }),
      { minLength: 1, maxLength: 60 },
    )
    .map((rows): Points => {
      let t = -0.5;
      const p: Points = { t: [], w: [] };
      rows.forEach(({ gap, w }, i) => {
        // Never three points at one instant: the third would be ambiguous in linear mode.
        t += i >= 2 && p.t[i - 1] === p.t[i - 2] && gap === 0 ? 0.001 : gap;
        p.t.push(Math.round(t * 1000) / 1000);
        p.w.push(w);
      });
      return p;
    });

  for (const mode of ['linear', 'step'] as const) {
    it(`agrees with a naive scan under random query order (${mode})`, () => {
      fc.assert(
        fc.property(pointsArb, (p) => {
          const f = csv(p.t.map((t, i) => `${t},${p.w[i]}`).join('\n'));
          const m = trace(f, { interpolate: mode }, 20);
          const linear = mode === 'linear';
          const breaks = naiveBreaks(p, linear);
          checkCursor(
            m,
            (t) => naiveValue(p, t, linear),
            (t) => naiveNextBreak(breaks, t),
            [-2, 70],
            p.t,
            { runs: 5 },
          );
          expectClose(m.meanW, naiveMean(p, 20, linear), 1e-9);
        }),
        { numRuns: 40 },
      );
    });
  }
});
