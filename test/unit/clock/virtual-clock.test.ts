import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VirtualClock, RealClock } from '../../../src/clock/index.js';

describe('VirtualClock', () => {
  it('fires timers in due order, ties in scheduling order, and not before their time', () => {
    const c = new VirtualClock();
    const seen: string[] = [];
    c.setTimeout(() => seen.push('b@5'), 5);
    c.setTimeout(() => seen.push('a@2'), 2);
    c.setTimeout(() => seen.push('c@5'), 5);
    c.advance(4.999);
    expect(seen).toEqual(['a@2']);
    c.advance(0.001);
    expect(seen).toEqual(['a@2', 'b@5', 'c@5']);
    expect(c.nowMs()).toBe(5);
  });

  it('runs timers scheduled by callbacks within the same advance, at their own time', () => {
    const c = new VirtualClock();
    const at: number[] = [];
    c.setTimeout(() => {
      at.push(c.nowMs());
      c.setTimeout(() => at.push(c.nowMs()), 3);
    }, 1);
    c.advance(10);
    expect(at).toEqual([1, 4]);
  });

  it('repeats intervals exactly and stops when cleared', () => {
    const c = new VirtualClock();
    const at: number[] = [];
    const h = c.setInterval(() => at.push(c.nowMs()), 2.5);
    c.advance(10);
    c.clearTimer(h);
    c.advance(10);
    expect(at).toEqual([2.5, 5, 7.5, 10]);
    expect(c.pendingTimers()).toBe(0);
  });

  it('refuses to go back in time and rejects non-positive intervals', () => {
    const c = new VirtualClock({ startMs: 100 });
    expect(() => c.advanceTo(50)).toThrow(RangeError);
    expect(() => c.setInterval(() => undefined, 0)).toThrow(RangeError);
  });

  it('resolves sleep() on virtual time', async () => {
    const c = new VirtualClock();
    let done = false;
    void c.sleep(20).then(() => (done = true));
    await c.advanceAsync(19, 1);
    expect(done).toBe(false);
    await c.advanceAsync(1, 1);
    expect(done).toBe(true);
  });

  it('is deterministic: any schedule fires sorted by (due, insertion)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }), (delays) => {
        const c = new VirtualClock();
        const fired: [number, number][] = [];
        delays.forEach((d, i) => c.setTimeout(() => fired.push([c.nowMs(), i]), d));
        c.advance(100);
        const expected = delays
          .map((d, i) => [d, i] as [number, number])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('keeps epoch time consistent with monotonic time', () => {
    const c = new VirtualClock({ epochOriginMs: 1_000_000 });
    c.advance(1234);
    expect(c.epochMs()).toBe(1_001_234);
  });
});

describe('VirtualClock.rebaseEpoch', () => {
  it('re-anchors epochMs() to the given time and returns the shift, leaving nowMs() alone', () => {
    const c = new VirtualClock({ epochOriginMs: 1_000_000 });
    c.advance(11_300);
    expect(c.rebaseEpoch(1_001_000)).toBe(-10_300);
    expect(c.nowMs()).toBe(11_300);
    expect(c.epochMs()).toBe(1_001_000);
    // Forward too (the shelf stood still while the wall clock went on).
    expect(c.rebaseEpoch(1_001_250)).toBe(250);
    expect(c.epochMs()).toBe(1_001_250);
    expect(c.nowMs()).toBe(11_300);
  });

  it('keeps epoch and monotonic time moving together afterwards', () => {
    const c = new VirtualClock({ epochOriginMs: 5_000 });
    c.advance(700);
    c.rebaseEpoch(1_767_225_600_000);
    c.advance(1234);
    expect(c.nowMs()).toBe(1934);
    expect(c.epochMs()).toBe(1_767_225_601_234);
  });

  it('leaves timers due where they were, on monotonic time', () => {
    const c = new VirtualClock();
    const at: number[] = [];
    c.setTimeout(() => at.push(c.nowMs()), 50);
    c.setInterval(() => at.push(c.nowMs()), 30);
    c.advance(10);
    c.rebaseEpoch(c.epochMs() - 60_000);
    expect(c.nextDueMs()).toBe(30);
    c.advance(60);
    expect(at).toEqual([30, 50, 60]);
  });

  it('refuses a non-finite epoch and then keeps the old one', () => {
    const c = new VirtualClock({ epochOriginMs: 1_000 });
    c.advance(5);
    expect(() => c.rebaseEpoch(Number.NaN)).toThrow(RangeError);
    expect(() => c.rebaseEpoch(Infinity)).toThrow(RangeError);
    expect(c.epochMs()).toBe(1_005);
  });

  it('maps any later instant to the new anchor plus elapsed time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (beforeMs, anchorMs, afterMs) => {
          const c = new VirtualClock();
          c.advance(beforeMs);
          const old = c.epochMs();
          const shift = c.rebaseEpoch(anchorMs);
          expect(old + shift).toBe(anchorMs);
          c.advance(afterMs);
          expect(c.nowMs()).toBe(beforeMs + afterMs);
          expect(c.epochMs()).toBe(anchorMs + afterMs);
        },
      ),
    );
  });
});

describe('RealClock', () => {
  it('is monotonic and sleeps at least the asked time', async () => {
    const c = new RealClock();
    const t0 = c.nowMs();
    await c.sleep(5);
    const t1 = c.nowMs();
    expect(t1 - t0).toBeGreaterThanOrEqual(4.5);
    expect(c.nowMs()).toBeGreaterThanOrEqual(t1);
  });
});
