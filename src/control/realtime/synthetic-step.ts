import type { ControlInputs, ControlStep, ControlStepFactory } from './fast-lane-task.js';
import type { FastSample } from './synthetic-io.js';
import type { JsonValue } from './task.js';

/**
 * SYNTHETIC CONTROL STEP — a fixed numeric workload standing in for the real predictor and
 * coordinator until they are wired in: a 64-tap FIR over the load history, an 8-state linear
 * model update (8×8 matrix-vector), repeated `workRepeats` times (default 4, ≈ tens of µs here;
 * raise it to see how much step the tick budget takes), then a bounded "discharge what exceeds the
 * cap, lead the hint" decision. Deterministic, allocation-free after construction.
 */
const TAPS = 64;
const STATES = 8;

export const createSyntheticStep: ControlStepFactory = (options: JsonValue): ControlStep => {
  const rec =
    options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {};
  const raw = (rec as Record<string, JsonValue>).workRepeats;
  const repeats = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : 4;
  const history = new Float64Array(TAPS);
  const taps = new Float64Array(TAPS);
  for (let i = 0; i < TAPS; i++) taps[i] = Math.exp(-i / 16) / 16;
  const a = new Float64Array(STATES * STATES);
  for (let i = 0; i < STATES; i++) {
    for (let j = 0; j < STATES; j++) a[i * STATES + j] = i === j ? 0.9 : 0.01 / (1 + i + j);
  }
  const x = new Float64Array(STATES);
  const y = new Float64Array(STATES);
  let head = 0;

  return (sample: FastSample, inputs: ControlInputs, nowMs: number): number => {
    history[head] = sample.loadW;
    head = (head + 1) % TAPS;
    let predicted = 0;
    for (let r = 0; r < repeats; r++) {
      let fir = 0;
      for (let i = 0; i < TAPS; i++) fir += taps[i]! * history[(head + TAPS - 1 - i) % TAPS]!;
      for (let i = 0; i < STATES; i++) {
        let acc = 0;
        for (let j = 0; j < STATES; j++) acc += a[i * STATES + j]! * x[j]!;
        y[i] = acc + (i === 0 ? 0.1 * (sample.loadW - fir) : 0);
      }
      x.set(y);
      predicted = fir + x[0]!;
    }
    const hint = nowMs < inputs.hintAtMs ? inputs.hintDeltaW : 0;
    const excess = predicted + hint - inputs.powerCapW;
    return excess > 0 ? Math.min(excess, 30_000) : 0;
  };
};
