import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../sim/rng.js';

const draw = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.next());

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(draw(new Rng(7), 5)).toEqual(draw(new Rng(7), 5));
    expect(draw(new Rng(7), 5)).not.toEqual(draw(new Rng(8), 5));
    expect(draw(new Rng(2 ** 40), 3)).not.toEqual(draw(new Rng(0), 3));
  });

  it('stays in [0, 1) with a plausible mean and spread', () => {
    const xs = draw(new Rng(1), 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 2);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('gives uniform, int, normal and exponential deviates with the right moments', () => {
    const r = new Rng(3);
    const n = 50_000;
    const u = Array.from({ length: n }, () => r.uniform(2, 4));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(4);
    const ints = new Set(Array.from({ length: 1000 }, () => r.int(1, 3)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
    const z = Array.from({ length: n }, () => r.normal(10, 2));
    const zm = z.reduce((a, b) => a + b, 0) / n;
    const zv = z.reduce((a, b) => a + (b - zm) ** 2, 0) / n;
    expect(zm).toBeCloseTo(10, 1);
    expect(Math.sqrt(zv)).toBeCloseTo(2, 1);
    const e = Array.from({ length: n }, () => r.exponential(4));
    expect(Math.min(...e)).toBeGreaterThanOrEqual(0);
    expect(e.reduce((a, b) => a + b, 0) / n).toBeCloseTo(0.25, 2);
  });

  it('forks streams that do not depend on how much the parent drew', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    draw(b, 1000);
    expect(draw(a.fork('psu.3'), 5)).toEqual(draw(b.fork('psu.3'), 5));
    expect(draw(a.fork('psu.3'), 5)).not.toEqual(draw(a.fork('psu.4'), 5));
    expect(draw(a.fork('x').fork('y'), 3)).toEqual(draw(new Rng(42).fork('x').fork('y'), 3));
    expect(draw(a.fork('x'), 3)).not.toEqual(draw(a, 3));
  });

  it('rejects seeds that are not safe non-negative integers', () => {
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(1.5)).toThrow(RangeError);
  });
});
