import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deadlineOf,
  nextTickIndex,
  sleepBudgetMs,
} from '../../../../src/control/realtime/index.js';
import {
  SPIN_POLLS_MAX,
  SPIN_POLLS_MIN,
  spinChunk,
} from '../../../../src/control/realtime/schedule.js';

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

describe('spin chunks (clock reads per spin)', () => {
  it('starts small, at most doubles, and halves the remaining time at the learned rate', () => {
    expect(spinChunk(0.3, 0, SPIN_POLLS_MIN)).toBe(SPIN_POLLS_MIN); // rate unknown
    expect(spinChunk(0.3, 1e6, 64)).toBe(128); // slow start
    expect(spinChunk(0.3, 1e6, 8192)).toBe(SPIN_POLLS_MAX);
    expect(spinChunk(0.01, 100_000, 8192)).toBe(500); // half of 0.01 ms at 100 polls/µs
    expect(spinChunk(0.0005, 100_000, 500)).toBe(SPIN_POLLS_MIN);
  });

  it('reads the clock a logarithmic number of times on a steady poll rate', () => {
    // Simulated spin: polls run at `rate` per ms; count the clock reads to a deadline.
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 1e4, max: 1e6, noNaN: true }),
        (spinMs, rate) => {
          let t = 0;
          let chunk = SPIN_POLLS_MIN;
          let reads = 0;
          while (t < spinMs) {
            const t2 = t + chunk / rate;
            const pollsPerMs = chunk / (t2 - t);
            t = t2;
            reads++;
            chunk = spinChunk(spinMs - t, pollsPerMs, chunk);
          }
          const overshoot = t - spinMs;
          // The last chunk overshoots the deadline by at most SPIN_POLLS_MIN polls' time.
          expect(overshoot).toBeLessThanOrEqual(SPIN_POLLS_MIN / rate + 1e-12);
          // Slow start (≤ 8 doublings) + the capped stretch + halving to the minimum chunk.
          const capped = (spinMs * rate) / SPIN_POLLS_MAX;
          expect(reads).toBeLessThanOrEqual(8 + capped + Math.log2(rate) + 2);
        },
      ),
    );
  });
});
