import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deadlineOf,
  nextTickIndex,
  sleepBudgetMs,
} from '../../../../src/control/realtime/index.js';

describe('deadline arithmetic', () => {
  it('puts tick k at start + k·period, computed afresh (no accumulated drift)', () => {
    expect(deadlineOf(100, 1, 0)).toBe(100);
    expect(deadlineOf(100, 1, 5)).toBe(105);
    // One million 0.1 ms steps added one by one drift; the absolute form does not.
    let summed = 0;
    for (let k = 0; k < 1_000_000; k++) summed += 0.1;
    expect(Math.abs(summed - 100_000)).toBeGreaterThan(1e-7);
    expect(deadlineOf(0, 0.1, 1_000_000)).toBeCloseTo(100_000, 9);
  });

  it('runs the next tick when its deadline is not yet past', () => {
    expect(nextTickIndex(0, 1, 0, 0.3)).toBe(1); // tick 0 took 0.3 ms
    expect(nextTickIndex(0, 1, 0, 1)).toBe(1); // ended exactly on the next deadline
    expect(nextTickIndex(10, 2, 7, 23.9)).toBe(8); // deadline 8 is at 26
  });

  it('skips missed deadlines instead of bursting through them', () => {
    // Tick 0 ended at 1.2 ms: deadline 1 is past, the next one still ahead is 2 (1 overrun).
    expect(nextTickIndex(0, 1, 0, 1.2)).toBe(2);
    // Tick 4 (due at 4) ended at 9.5: deadlines 5..9 are gone, plan 10 (5 overruns).
    expect(nextTickIndex(0, 1, 4, 9.5)).toBe(10);
    // Ending exactly on a later deadline still runs that one.
    expect(nextTickIndex(0, 1, 4, 7)).toBe(7);
  });

  it('plans the first deadline ≥ now, for any start, period and lateness', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0.05, max: 100, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (start, period, k, late) => {
          const now = deadlineOf(start, period, k) + late;
          const next = nextTickIndex(start, period, k, now);
          expect(next).toBeGreaterThan(k);
          if (next > k + 1) {
            // Skipped ones are all past; the planned one is not.
            expect(deadlineOf(start, period, next - 1)).toBeLessThan(now);
          }
          expect(deadlineOf(start, period, next)).toBeGreaterThanOrEqual(now);
        },
      ),
    );
  });

  it('sleeps until spinMs before the deadline, and not at all inside the spin window', () => {
    expect(sleepBudgetMs(10, 0.3, 5)).toBeCloseTo(4.7, 12);
    expect(sleepBudgetMs(10, 0, 9.99)).toBeCloseTo(0.01, 12);
    expect(sleepBudgetMs(10, 0.3, 9.8)).toBe(0);
    expect(sleepBudgetMs(10, 2, 9)).toBe(0); // spinMs ≥ period: always spin
    expect(sleepBudgetMs(10, 0, 11)).toBe(0); // already late
  });
});
