/**
 * SagDetector's early warning (vinTauMs) on READ_VIN as the simulator reports it: a lagging
 * RMS (sim/physics/psu.ts vinMeasV, τ = 8.33 ms) read through the PSU's PMBus façade and
 * LINEAR11, at 1 kHz, with the loop's configuration (engage < 202 V, return 0.9 p.u., loss
 * < 180 V). Latencies are counted in samples; plus the inversion on a hand-made lag and the
 * noise margin.
 */
import { describe, expect, it } from 'vitest';
import { SagDetector } from '../../../../src/control/predictor/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { decodeLinear11 } from '../../../../src/regmap/index.js';
import { parseScenario } from '../../../../sim/scenario/index.js';
import { Rng } from '../../../../sim/rng.js';
import { Simulation } from '../../../../sim/simulation.js';

const LOOP = { nominalVac: 277, sagPu: 202 / 277, returnPu: 0.9, lossVac: 180 };
const TAU = 8.33;

/** READ_VIN at ticks k + 0.3 ms for k < endMs, one sag of `pu` at 500.55 ms lasting 150 ms. */
function simulatedVin(pu: number, endMs: number): number[] {
  const sim = new Simulation(
    parseScenario({
      name: 'sag-early',
      durationS: 2,
      seed: 1,
      zone: { preset: 'orv3-hpr-33kw' },
      load: { kind: 'constant', watts: 26400 },
      grid: { nominalVac: 277, events: [{ atS: 0.50055, pu, durationMs: 150 }] },
      criteria: {},
    }),
  );
  expect(sim.scenario.physics.psu.vinMeasureTauMs).toBe(TAU);
  const psu = sim.devices.pmbus(0, 0x58)!;
  const vin: number[] = [];
  for (let k = 0; k < endMs; k++) {
    sim.advanceTo(Math.round((k + 0.3) * 1000));
    vin.push(decodeLinear11(psu.readWord(0x88)));
  }
  return vin;
}

function replay(vin: number[], tauMs: number): SagDetector {
  const d = new SagDetector({ ...LOOP, vinTauMs: tauMs });
  vin.forEach((v, k) => d.push(k + 0.3, v));
  return d;
}

describe('SagDetector early warning on the simulated READ_VIN', () => {
  it('0 p.u.: the lagging RMS needs ~6 samples to cross 202 V; the early warning 2', () => {
    const vin = simulatedVin(0, 800);
    // First tick after the onset (500.55 ms) is 501.3: it sees 0.75 ms of the sag.
    const plain = replay(vin, 0);
    const early = replay(vin, TAU);
    expect(plain.sagDetectedAtMs - 500.55).toBeGreaterThan(5.5);
    expect(plain.sagDetectedAtMs - 500.55).toBeLessThan(7.5);
    expect(early.sagDetectedAtMs).toBe(502.3); // its first two samples after the onset
    expect(early.lossDetectedAtMs).toBe(502.3);
    expect(plain.lossDetectedAtMs).toBeGreaterThan(early.lossDetectedAtMs + 5);
    // The return is judged on the readings either way.
    expect(early.returnDetectedAtMs).toBe(plain.returnDetectedAtMs);
    expect(early.state).toBe('normal');
  });

  it('0.7 p.u. (194 V): plain takes ~22 ms to engage, early 2 samples; neither calls it lost', () => {
    const vin = simulatedVin(0.7, 800);
    const plain = replay(vin, 0);
    const early = replay(vin, TAU);
    expect(plain.sagDetectedAtMs - 500.55).toBeGreaterThan(20);
    expect(early.sagDetectedAtMs).toBe(502.3);
    expect(plain.lossDetectedAtMs).toBeNaN();
    expect(early.lossDetectedAtMs).toBeNaN();
  });

  it('0.8 p.u. (221.6 V) engages neither', () => {
    const vin = simulatedVin(0.8, 800);
    expect(replay(vin, 0).events).toBe(0);
    expect(replay(vin, TAU).events).toBe(0);
    expect(Math.min(...vin)).toBeLessThan(0.8 * 277 + 1);
  });
});

describe('the implied input', () => {
  it('inverts a first-order lag of the mean square exactly while the input holds', () => {
    const d = new SagDetector({ ...LOOP, vinTauMs: 10 });
    const g = 1 - Math.exp(-1 / 10);
    let sq = 277 * 277;
    for (let k = 0; k <= 100; k++) d.push(k, 277);
    for (let k = 101; k <= 103; k++) {
      sq += (150 * 150 - sq) * g; // input 150 V from t = 100
      d.push(k, Math.sqrt(sq));
      expect(d.judgedVac).toBeCloseTo(150, 9);
      expect(d.lastVac).toBeGreaterThan(200); // the reading itself is still far above
    }
    expect(d.state).toBe('loss');
    expect(d.sagDetectedAtMs).toBe(102);
  });

  it('counts only a margin of its own learned noise below the reading', () => {
    const rng = new Rng(9);
    const d = new SagDetector({ ...LOOP, vinTauMs: TAU });
    for (let k = 0; k < 2000; k++) d.push(k, 277 + rng.normal(0, 1));
    expect(d.noiseV).toBeGreaterThan(0.8);
    expect(d.noiseV).toBeLessThan(1.2);
    // A 5 V dip in one reading implies ~230 V, but 4 σ of the implied noise (≈ 47 V) hides it.
    d.push(2000, 272);
    expect(d.judgedVac).toBeGreaterThan(265);
    expect(d.events).toBe(0);
    // Noise-free, the same dip counts.
    const q = new SagDetector({ ...LOOP, vinTauMs: TAU });
    for (let k = 0; k < 100; k++) q.push(k, 277);
    q.push(100, 272);
    expect(q.noiseV).toBe(0);
    expect(q.judgedVac).toBeLessThan(240);
  });

  it('rejects a negative or non-finite vinTauMs with E851', () => {
    for (const vinTauMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let err: unknown;
      try {
        new SagDetector({ vinTauMs });
      } catch (e) {
        err = e;
      }
      expect(isOrv3Error(err, ErrorCode.PredictorBadOptions)).toBe(true);
    }
  });
});
