/**
 * SagDetector's states and debouncing on the simulator's grid envelope (sim/physics/grid.ts)
 * encoded and decoded with the LINEAR11 codec, sampled at 1 kHz: READ_VIN as a PSU measuring
 * the input instantaneously would report it. The simulated PSUs report a lagging RMS instead
 * (sag-early.test.ts runs the detector on that). Latencies are counted in samples.
 */
import { describe, expect, it } from 'vitest';
import { SagDetector } from '../../../../src/control/predictor/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { decodeLinear11, encodeLinear11 } from '../../../../src/regmap/index.js';
import { GridSource } from '../../../../sim/physics/grid.js';

const NOMINAL = 277;

function grid(
  events: { atS: number; pu: number; durationMs: number; rampMs?: number }[],
): GridSource {
  return new GridSource({
    nominalVac: NOMINAL,
    frequencyHz: 60,
    events: events.map((e) => ({ rampMs: 0, frequencyHz: 60, ...e })),
  });
}

/** READ_VIN as the gateway decodes it. */
const wire = (v: number): number => decodeLinear11(encodeLinear11(v));

/** Runs 1 kHz ticks (t = k + 0.3 ms) over [0, endMs); returns the detector and READ_VIN per tick. */
function run(
  g: GridSource,
  endMs: number,
  det = new SagDetector(),
): { det: SagDetector; vin: number[] } {
  const vin: number[] = [];
  for (let k = 0; k < endMs; k++) {
    const t = k + 0.3;
    const v = wire(g.vacAt(t / 1000));
    vin.push(v);
    det.push(t, v);
  }
  return { det, vin };
}

/** Tick time of the first sample at index ≥ from for which pred holds. */
function firstTick(vin: number[], pred: (v: number) => boolean, from = 0): number {
  for (let k = from; k < vin.length; k++) if (pred(vin[k]!)) return k + 0.3;
  return Number.NaN;
}

describe('SagDetector on the simulator grid through LINEAR11', () => {
  it('flags a 0.5 p.u. sag one sample after the first sample showing it, then its return', () => {
    const { det, vin } = run(grid([{ atS: 1, pu: 0.5, durationMs: 150 }]), 1400);
    const first = firstTick(vin, (v) => v < 0.9 * NOMINAL);
    expect(det.sagOnsetMs).toBe(first);
    expect(det.sagDetectedAtMs - first).toBe(1); // the second sample: 1 ms at 1 kHz
    // 138.5 V is below the PFC cut-off (180 V): it is a loss for the PSUs.
    expect(det.lossDetectedAtMs - det.lossOnsetMs).toBe(1);
    const back = firstTick(vin, (v) => v >= 0.9 * NOMINAL, Math.ceil(first));
    expect(det.returnOnsetMs).toBe(back);
    expect(det.returnDetectedAtMs - back).toBe(1);
    expect(det.state).toBe('normal');
    expect(det.events).toBe(1);
    expect(det.minVac).toBeCloseTo(0.5 * NOMINAL, 0);
  });

  it('a 0.8 p.u. sag is a sag but no loss (221.6 V is above the 180 V cut-off)', () => {
    const d = new SagDetector();
    run(grid([{ atS: 0.5, pu: 0.8, durationMs: 100 }]), 560, d);
    expect(d.state).toBe('sag');
    expect(d.lossDetectedAtMs).toBeNaN();
  });

  it('a ramped sag is flagged on the second sample below 0.9 p.u., not at the ramp start', () => {
    const { det, vin } = run(grid([{ atS: 1, pu: 0.5, durationMs: 200, rampMs: 50 }]), 1100);
    const first = firstTick(vin, (v) => v < 0.9 * NOMINAL);
    expect(first).toBeGreaterThan(1010); // 0.9 p.u. is 20 % of the way down the 50 ms ramp
    expect(det.sagDetectedAtMs - first).toBe(1);
    expect(det.lossOnsetMs).toBe(firstTick(vin, (v) => v < 180));
  });

  it('a full loss (0 p.u.) goes normal → loss directly with the sag timestamps set too', () => {
    const d = new SagDetector();
    const { vin } = run(grid([{ atS: 0.2, pu: 0, durationMs: 100 }]), 260, d);
    expect(d.state).toBe('loss');
    expect(d.sagOnsetMs).toBe(firstTick(vin, (v) => v < 0.9 * NOMINAL));
    expect(d.lossDetectedAtMs).toBe(d.sagDetectedAtMs);
    expect(d.minVac).toBe(0);
  });
});

describe('SagDetector debouncing', () => {
  it('ignores one noisy sample', () => {
    const d = new SagDetector();
    for (let k = 0; k < 100; k++) d.push(k, k === 50 ? 120 : 277);
    expect(d.state).toBe('normal');
    expect(d.events).toBe(0);
  });

  it('a failed read neither counts nor breaks a run: flagged 2 ms after the first sample', () => {
    const d = new SagDetector();
    const v = [277, 277, 150, Number.NaN, 150, 150];
    v.forEach((x, k) => d.push(k, x));
    expect(d.missing).toBe(1);
    expect(d.sagOnsetMs).toBe(2);
    expect(d.sagDetectedAtMs).toBe(4);
  });

  it('loss → sag when the voltage climbs back over the cut-off, normal only at 0.9 p.u.', () => {
    const d = new SagDetector();
    for (const [t, v] of [
      [0, 0],
      [1, 0],
      [2, 200],
      [3, 200],
      [4, 260],
      [5, 260],
    ] as const) {
      d.push(t, v);
      if (t === 1) expect(d.state).toBe('loss');
      if (t === 3) expect(d.state).toBe('sag');
    }
    expect(d.state).toBe('normal');
    expect(d.returnOnsetMs).toBe(4);
  });

  it('confirmSamples and returnPu shape the debounce and the hysteresis', () => {
    const d = new SagDetector({ confirmSamples: 3, returnPu: 0.95 });
    [240, 240, 277].forEach((v, k) => d.push(k, v));
    expect(d.state).toBe('normal');
    [240, 240, 240, 255, 255, 255].forEach((v, k) => d.push(10 + k, v));
    expect(d.state).toBe('sag'); // 255 V = 0.92 p.u.: back above 0.9 but not above 0.95
    [265, 265, 265].forEach((v, k) => d.push(20 + k, v));
    expect(d.state).toBe('normal');
  });

  it('rejects options that cannot work with E851', () => {
    for (const bad of [
      { sagPu: 1.2 },
      { confirmSamples: 0 },
      { lossVac: 260 },
      { returnPu: 0.8 },
    ]) {
      let err: unknown;
      try {
        new SagDetector(bad);
      } catch (e) {
        err = e;
      }
      expect(isOrv3Error(err, ErrorCode.PredictorBadOptions)).toBe(true);
    }
  });
});
