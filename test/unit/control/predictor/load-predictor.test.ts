/**
 * LoadPredictor on synthetic 1 kHz streams: ramps, steps, noise, failed reads, hints and
 * periodic swings; its options; and that the hot path keeps its state objects (no allocation
 * of fresh state per push).
 */
import { describe, expect, it } from 'vitest';
import type { AcSensor, LoadForecaster } from '../../../../src/control/loop/estimators.js';
import { LoadPredictor, SagDetector } from '../../../../src/control/predictor/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { Rng } from '../../../../sim/rng.js';

const RATED = 33000;

/** Pushes load(t) at t = from, from + 1, … < to (ms); returns the predictor for chaining. */
function feed(
  p: LoadPredictor,
  load: (t: number) => number,
  from: number,
  to: number,
): LoadPredictor {
  for (let t = from; t < to; t++) p.push(t, load(t));
  return p;
}

/** Flat at `a` until t0, then a linear ramp to `b` over riseMs. */
const ramp = (a: number, b: number, t0: number, riseMs: number) => (t: number) =>
  t <= t0 ? a : t >= t0 + riseMs ? b : a + ((b - a) * (t - t0)) / riseMs;

describe('LoadPredictor forecasts', () => {
  it('is NaN before the first sample, then follows a flat load', () => {
    const p = new LoadPredictor({ ratedW: RATED });
    expect(p.forecast(5)).toBeNaN();
    feed(p, () => 12000, 0, 200);
    expect(p.forecast(5)).toBeCloseTo(12000, 6);
    expect(p.count).toBe(0);
  });

  it('during a linear ramp its 5 ms forecast error is far below persistence', () => {
    const load = ramp(10000, 26000, 500.3, 80); // 200 W/ms
    const p = feed(new LoadPredictor({ ratedW: RATED }), load, 0, 530);
    const truth = load(529 + 5);
    const persistence = Math.abs(load(529) - truth); // 1000 W
    expect(persistence).toBeCloseTo(1000, 6);
    expect(Math.abs(p.forecast(5) - truth)).toBeLessThan(0.05 * persistence);
    expect(p.slopeWPerMs).toBeCloseTo(200, 0);
    // Any horizon in 0–20 ms is answered, monotone along the ramp.
    expect(p.forecast(0)).toBeLessThan(p.forecast(1));
    expect(p.forecast(12.5)).toBeLessThan(p.forecast(20));
  });

  it('tolerates failed reads: NaN samples are counted, forecasts stay numbers and on track', () => {
    const load = ramp(10000, 26000, 500.3, 80);
    const p = new LoadPredictor({ ratedW: RATED });
    for (let t = 0; t < 540; t++) p.push(t, t % 3 === 2 ? Number.NaN : load(t));
    expect(p.missing).toBe(180);
    expect(p.samples).toBe(540);
    // The last push (t = 539) was NaN: the forecast still refers to 539 + h.
    const f = p.forecast(5);
    expect(typeof f).toBe('number');
    expect(Math.abs(f - load(544))).toBeLessThan(100);
    expect(p.levelW).toBeCloseTo(load(539), -2);
  });

  it('tolerates gaps in time (skipped ticks) and jittered ticks', () => {
    const rng = new Rng(3);
    const load = ramp(8000, 20000, 300, 60);
    const p = new LoadPredictor({ ratedW: RATED });
    for (let k = 0; k < 340; k++) {
      if (k % 50 === 7) continue; // a preempted tick
      const t = k + Math.abs(rng.normal(0, 0.03));
      p.push(t, load(t));
    }
    expect(Math.abs(p.forecast(5) - load(344))).toBeLessThan(150);
  });
});

describe('LoadPredictor step detection', () => {
  it('flags a clean 20 % step within two samples, with its sign, size and onset', () => {
    const p = feed(new LoadPredictor({ ratedW: RATED }), ramp(10000, 16600, 1000.4, 1), 0, 1000);
    expect(p.count).toBe(0);
    p.push(1001, 13000); // inside the 1 ms rise
    p.push(1002, 16600);
    expect(p.count).toBe(1);
    expect(p.stepActive).toBe(true);
    expect(p.detectedAtMs).toBeLessThanOrEqual(1002);
    expect(p.lastStepAtMs).toBeGreaterThanOrEqual(999);
    expect(p.lastStepAtMs).toBeLessThanOrEqual(1001);
    expect(p.lastStepDeltaW).toBeGreaterThan(0.1 * RATED * 0.99);
    // Once the load has been flat for a window it clears, and a step down is a new detection.
    feed(p, () => 16600, 1003, 1100);
    expect(p.stepActive).toBe(false);
    feed(p, () => 9000, 1100, 1110);
    expect(p.count).toBe(2);
    expect(p.lastStepDeltaW).toBeLessThan(0);
  });

  it('does not flag steps below the size (5 %) nor measurement noise', () => {
    const rng = new Rng(11);
    const p = new LoadPredictor({ ratedW: RATED });
    for (let t = 0; t < 60000; t++) {
      const small = t % 1000 < 500 ? 0 : 0.05 * RATED;
      p.push(t, 15000 + small + rng.normal(0, 30));
    }
    expect(p.count).toBe(0);
    expect(p.noiseW).toBeGreaterThan(20);
    expect(p.noiseW).toBeLessThan(45);
  });

  it('flags a slow (50 ms) ramp of 12 % once its change reaches the size', () => {
    const p = feed(
      new LoadPredictor({ ratedW: RATED }),
      ramp(10000, 10000 + 0.12 * RATED, 500, 50),
      0,
      600,
    );
    expect(p.count).toBe(1);
    expect(p.detectedAtMs - 500).toBeGreaterThan(5);
    expect(p.detectedAtMs - 500).toBeLessThanOrEqual(50);
  });
});

describe('LoadPredictor hints', () => {
  it('anticipates a hinted step and drops the hint after it settles', () => {
    const plain = feed(new LoadPredictor({ ratedW: RATED }), () => 10000, 0, 1000);
    const hinted = feed(new LoadPredictor({ ratedW: RATED }), () => 10000, 0, 1000);
    hinted.hint(6600, 50, 999); // expected at 1049
    const step = ramp(10000, 16600, 1049, 5);
    feed(plain, step, 1000, 1046);
    feed(hinted, step, 1000, 1046);
    expect(hinted.hintPending).toBe(true);
    const truth = step(1045 + 5);
    expect(Math.abs(plain.forecast(5) - truth)).toBeGreaterThan(0.15 * 6600);
    expect(Math.abs(hinted.forecast(5) - truth)).toBeLessThan(
      Math.abs(plain.forecast(5) - truth) / 2,
    );
    // Engaged: heads for the hinted level and never past it.
    feed(hinted, step, 1046, 1051);
    expect(hinted.forecast(20)).toBeLessThanOrEqual(16600 + 1);
    expect(hinted.forecast(20)).toBeGreaterThan(16000);
    feed(hinted, step, 1051, 1100);
    expect(hinted.hintPending).toBe(false);
  });

  it('drops a hint that nothing follows (after hintToleranceMs) and forgets its change', () => {
    const p = feed(new LoadPredictor({ ratedW: RATED, hintToleranceMs: 10 }), () => 10000, 0, 500);
    p.hint(-5000, 20, 499);
    feed(p, () => 10000, 500, 515);
    expect(p.forecast(10)).toBeLessThan(9000); // the hinted drop lies inside this horizon
    feed(p, () => 10000, 515, 531);
    expect(p.hintPending).toBe(false);
    expect(p.forecast(10)).toBeCloseTo(10000, 0);
  });

  it('ignores hints that are not finite or zero', () => {
    const p = feed(new LoadPredictor({ ratedW: RATED }), () => 10000, 0, 100);
    p.hint(Number.NaN, 10, 99);
    p.hint(0, 10, 99);
    p.hint(1000, Number.POSITIVE_INFINITY, 99);
    expect(p.hintPending).toBe(false);
  });

  it('anticipates the edges of a steady swing by itself (periodic self-hints)', () => {
    // 30 % ↔ 80 % every 200 ms, 60 % duty, 5 ms edges.
    const swing = (t: number): number => {
      const ph = t % 200;
      const lo = 0.3 * RATED;
      const d = 0.5 * RATED;
      if (ph < 5) return lo + (d * ph) / 5;
      if (ph < 120) return lo + d;
      if (ph < 125) return lo + d - (d * (ph - 120)) / 5;
      return lo;
    };
    const off = feed(new LoadPredictor({ ratedW: RATED, periodTolerance: 0 }), swing, 0, 2000.5);
    const on = feed(new LoadPredictor({ ratedW: RATED }), swing, 0, 2000.5);
    let errOn = 0;
    let errOff = 0;
    for (let t = 2000.5; t < 4000; t++) {
      on.push(t, swing(t));
      off.push(t, swing(t));
      errOn += (on.forecast(5) - swing(t + 5)) ** 2;
      errOff += (off.forecast(5) - swing(t + 5)) ** 2;
    }
    expect(Math.sqrt(errOn)).toBeLessThan(0.3 * Math.sqrt(errOff));
    // The swing stops: each sign misses one expected edge (rise at 4000, fall at 4120), then
    // nothing more is expected.
    let pendingAfter = 0;
    for (let t = 4000; t < 5000; t++) {
      on.push(t, 0.3 * RATED);
      if (t > 4130 && on.hintPending) pendingAfter++;
    }
    expect(pendingAfter).toBe(0);
  });
});

describe('LoadPredictor hot path', () => {
  /** Every object reachable from the predictor's own fields (the state it works in). */
  function stateObjects(root: object): Set<object> {
    const seen = new Set<object>();
    const walk = (o: object): void => {
      if (seen.has(o)) return;
      seen.add(o);
      if (ArrayBuffer.isView(o)) return;
      for (const v of Object.values(o)) if (typeof v === 'object' && v !== null) walk(v);
    };
    walk(root);
    return seen;
  }

  it('push() returns nothing and keeps every state object; forecasts are plain numbers', () => {
    const rng = new Rng(5);
    const p = new LoadPredictor({ ratedW: RATED });
    p.hint(5000, 30, 0);
    const before = stateObjects(p);
    let returned = 0;
    let notNumbers = 0;
    for (let t = 0; t < 20000; t++) {
      const load = 10000 + (t % 400 < 200 ? 0 : 8000) + rng.normal(0, 20);
      if ((p.push(t, t % 97 === 0 ? Number.NaN : load) as unknown) !== undefined) returned++;
      if (t % 1000 === 0) p.hint(3000, 40, t);
      for (let h = 0; h <= 20; h += 5) if (typeof p.forecast(h) !== 'number') notNumbers++;
    }
    expect(returned).toBe(0);
    expect(notNumbers).toBe(0);
    const after = stateObjects(p);
    expect(after.size).toBe(before.size);
    for (const o of after) expect(before.has(o)).toBe(true);
    expect(p.count).toBeGreaterThan(0);
  });
});

describe('the control loop plugs them in', () => {
  it('LoadPredictor is a LoadForecaster and SagDetector an AcSensor', () => {
    const f: LoadForecaster = new LoadPredictor({ ratedW: RATED });
    const a: AcSensor = new SagDetector();
    f.push(0, 1000);
    a.push(0, 277);
    expect(f.forecast(2)).toBe(1000);
    expect(a.state).toBe('normal');
  });
});

describe('LoadPredictor options', () => {
  it('rejects options that cannot work with E851', () => {
    for (const bad of [
      { ratedW: 0 },
      { detectFrac: 2 },
      { detectHorizonMs: 25 },
      { gainForgetting: 0 },
    ]) {
      let err: unknown;
      try {
        new LoadPredictor(bad);
      } catch (e) {
        err = e;
      }
      expect(isOrv3Error(err, ErrorCode.PredictorBadOptions)).toBe(true);
    }
  });

  it('scales its defaults with ratedW: a 5 % step of a 132 kW rack is no step', () => {
    const p = feed(new LoadPredictor({ ratedW: 132000 }), ramp(60000, 66600, 500, 1), 0, 700);
    expect(p.count).toBe(0);
    expect(p.options.stepFrac).toBe(0.1);
  });
});
