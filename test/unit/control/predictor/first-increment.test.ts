/**
 * Step detection on a ramp's first visible increment (detectFirstIncrement): a rack whose own
 * history says such increments go on gets its fast ramps flagged one sample earlier; a rack
 * whose history is lone jumps does not flag a lone jump; the option off restores the wait.
 */
import { describe, expect, it } from 'vitest';
import {
  LoadPredictor,
  type LoadPredictorOptions,
} from '../../../../src/control/predictor/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { Rng } from '../../../../sim/rng.js';

const RATED = 33000;
const LOW = 0.3 * RATED;
const HIGH = 0.5 * RATED; // 20 % steps

/**
 * 1 kHz samples (noise 14 W) of a load alternating LOW ↔ HIGH every 300 ms: 5 ms ramps
 * (`jumps` false) or lone 1-sample jumps of 4 % that come straight back after 100 ms.
 */
function train(o: LoadPredictorOptions, jumps: boolean, rng: Rng): LoadPredictor {
  const p = new LoadPredictor({ ratedW: RATED, ...o });
  for (let t = 0; t < 60000; t++) {
    const ph = t % 300;
    let y: number;
    if (jumps) y = LOW + (ph >= 100 && ph < 200 ? 0.04 * RATED : 0);
    else {
      const up = Math.floor(t / 300) % 2 === 0;
      const frac = ph >= 100 ? Math.min(1, (ph - 100) / 5) : 0;
      const [a, b] = up ? [LOW, HIGH] : [HIGH, LOW];
      y = a + (b - a) * frac;
    }
    p.push(t, y + rng.normal(0, 14));
  }
  return p;
}

/** Feeds a 5 ms ramp LOW → HIGH starting exactly at a tick; returns the detection tick − onset. */
function flagLatency(p: LoadPredictor, rng: Rng): number {
  const t0 = 60000;
  const count = p.count;
  for (let t = t0 - 50; t < t0 + 20; t++) {
    const y = t <= t0 ? LOW : Math.min(HIGH, LOW + ((HIGH - LOW) * (t - t0)) / 5);
    p.push(t, y + rng.normal(0, 14));
    if (p.count > count) return p.detectedAtMs - t0;
  }
  return Number.NaN;
}

describe('detection on the first increment', () => {
  it('flags a trained rack’s 5 ms ramp on its first visible sample (1 ms), off: 2 ms', () => {
    const on = train({}, false, new Rng(1));
    const off = train({ detectFirstIncrement: false }, false, new Rng(1));
    // 1 ms in, the ramp has moved 4 % of the rating: only the forecast makes it a 10 % step.
    expect(flagLatency(on, new Rng(2))).toBe(1);
    expect(flagLatency(off, new Rng(2))).toBe(2);
    expect(on.lastStepDeltaW).toBeGreaterThan(0.1 * RATED);
  });

  it('a lone 4 % jump: not flagged where jumps are lone, flagged where such increments go on', () => {
    const jump = (p: LoadPredictor): number => {
      const count = p.count;
      const rng = new Rng(4);
      for (let t = 60000; t < 60050; t++) {
        p.push(t, LOW + (t >= 60010 ? 0.04 * RATED : 0) + rng.normal(0, 14));
      }
      return p.count - count;
    };
    expect(jump(train({}, true, new Rng(3)))).toBe(0);
    // The price of flagging early: the ramp-trained rack reads the jump as a ramp's start.
    expect(jump(train({}, false, new Rng(3)))).toBe(1);
    expect(jump(train({ detectFirstIncrement: false }, false, new Rng(3)))).toBe(0);
  });

  it('rejects a non-boolean detectFirstIncrement with E851', () => {
    let err: unknown;
    try {
      new LoadPredictor({ detectFirstIncrement: 1 as unknown as boolean });
    } catch (e) {
      err = e;
    }
    expect(isOrv3Error(err, ErrorCode.PredictorBadOptions)).toBe(true);
  });
});
