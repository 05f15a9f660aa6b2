/**
 * bench:headroom's bisection on synthetic monotone predicates: the answer, the deciding pair
 * it verifies, the edge cases, and that no grid point is run twice.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH, searchMinHeadroom } from '../../bench/headroom-search.js';

/** A monotone predicate "passes from thresholdPct up", counting calls per h. */
function threshold(thresholdPct: number) {
  const calls = new Map<number, number>();
  const evaluate = (h: number) => {
    calls.set(h, (calls.get(h) ?? 0) + 1);
    return Promise.resolve({ pass: h >= thresholdPct, detail: `h=${h}` });
  };
  return { evaluate, calls };
}

describe('searchMinHeadroom', () => {
  it.each([0.5, 3, 19.5, 20, 27.5, 39.5, 40])(
    'finds the smallest passing grid point (threshold %s %%)',
    async (t) => {
      const { evaluate } = threshold(t);
      const r = await searchMinHeadroom(evaluate);
      expect(r.status).toBe('found');
      expect(r.hPct).toBe(t);
      expect(r.verified.at).toMatchObject({ hPct: t, pass: true });
      expect(r.verified.below).toMatchObject({ hPct: t - 0.5, pass: false });
    },
  );

  it('rounds a threshold between grid points up to the next point', async () => {
    const r = await searchMinHeadroom(threshold(12.2).evaluate);
    expect(r.hPct).toBe(12.5);
    expect(r.verified.below?.hPct).toBe(12);
  });

  it('reports atLow when even 0 % passes, and none when 40 % fails', async () => {
    const low = await searchMinHeadroom(threshold(-1).evaluate);
    expect(low).toMatchObject({ status: 'atLow', hPct: 0 });
    expect(low.verified.below).toBeNull();
    const none = await searchMinHeadroom(threshold(41).evaluate);
    expect(none).toMatchObject({ status: 'none', hPct: null });
    expect(none.verified.below).toMatchObject({ hPct: 40, pass: false });
    expect(none.evaluations).toHaveLength(1);
  });

  it('runs each grid point at most once and needs about log2(80) + 2 runs', async () => {
    const { evaluate, calls } = threshold(17.5);
    const r = await searchMinHeadroom(evaluate);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(r.evaluations.length).toBe(calls.size);
    expect(r.evaluations.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(80)));
    // The endpoints first: the search's bracket is checked before bisecting.
    expect(r.evaluations.slice(0, 2).map((e) => e.hPct)).toEqual([40, 0]);
  });

  it('keeps grid values exact (no float drift) on other ranges and steps', async () => {
    const r = await searchMinHeadroom(threshold(0.3).evaluate, {
      loPct: 0,
      hiPct: 1,
      stepPct: 0.1,
    });
    expect(r.hPct).toBe(0.3);
    expect(r.verified.below?.hPct).toBe(0.2);
    expect(DEFAULT_SEARCH).toEqual({ loPct: 0, hiPct: 40, stepPct: 0.5 });
  });

  it('refuses a range that is not a multiple of the step', async () => {
    await expect(
      searchMinHeadroom(threshold(1).evaluate, { loPct: 0, hiPct: 1, stepPct: 0.3 }),
    ).rejects.toThrow(/multiple/);
  });
});
