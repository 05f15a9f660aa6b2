/**
 * bench:headroom's load families. A family is a load shape parametrised by the sustained level
 * S (W) the rack's power budget is set at; its transients go above S. Every parameter here is
 * OURS (a modelling choice, documented in docs/CONTROL-BENCHES.md), not a measurement.
 */
import type { LoadStep, StepsLoadSpec, TraceLoadSpec } from '../../sim/load/index.js';
import { Rng } from '../../sim/rng.js';

export const HEADROOM_PRESET = 'orv3-hpr-33kw';
/** Installed PSU capacity of the preset: 1 shelf × 6 PSUs × 5.5 kW. */
export const HEADROOM_CAPACITY_W = 33000;

/** (a) Training: 1 s iterations, compute at S with a synchronised excursion, then comms. */
export const TRAINING = Object.freeze({
  firstS: 2,
  computeS: 0.7,
  commS: 0.3,
  commRatio: 0.35,
  excursionRatio: 1.3,
  excursionMs: 40,
  edgeMs: 5,
});

/** (b) Step transients: random levels, random rise times, an overshoot on every rise. */
export const STEPS = Object.freeze({
  firstS: 2,
  startRatio: 0.7,
  lowRatio: 0.4,
  minRiseMs: 1,
  maxRiseMs: 50,
  overshootOfCapacity: 0.25,
  overshootMs: 100,
  minDwellS: 0.4,
  maxDwellS: 1.5,
});

const us = (s: number): number => Math.round(s * 1e6) / 1e6;
const w1 = (w: number): number => Math.round(w * 10) / 10;

export function trainingLoad(sW: number, durationS: number): StepsLoadSpec {
  const p = TRAINING;
  const steps: LoadStep[] = [];
  const period = p.computeS + p.commS;
  for (let k = 0; ; k++) {
    const t = p.firstS + k * period;
    if (t + period > durationS) break;
    steps.push(
      { atS: us(t), watts: w1(p.excursionRatio * sW), riseMs: p.edgeMs },
      { atS: us(t + p.excursionMs / 1000), watts: w1(sW), riseMs: p.edgeMs },
      { atS: us(t + p.computeS), watts: w1(p.commRatio * sW), riseMs: p.edgeMs },
    );
  }
  return { kind: 'steps', baseW: w1(p.commRatio * sW), steps };
}

/**
 * Random steps between lowRatio·S and S; a rising step ramps over its rise time to
 * S + overshoot·C, holds overshootMs, then settles to its level over the same rise time. The
 * sequence of levels and times depends on the seed only, so every S sees the same shape.
 */
export function stepLoad(sW: number, capW: number, durationS: number, seed: number): StepsLoadSpec {
  const p = STEPS;
  const rng = new Rng(seed).fork('headroom.steps');
  const steps: LoadStep[] = [];
  let level: number = p.startRatio;
  let t = p.firstS;
  const peak = w1(sW + p.overshootOfCapacity * capW);
  const logMin = Math.log(p.minRiseMs);
  const logMax = Math.log(p.maxRiseMs);
  for (;;) {
    const next = rng.uniform(p.lowRatio, 1);
    const riseMs = Math.round(Math.exp(rng.uniform(logMin, logMax)) * 10) / 10;
    const dwellS = rng.uniform(p.minDwellS, p.maxDwellS);
    const rising = next > level;
    const busyS = rising ? (2 * riseMs + p.overshootMs) / 1000 : riseMs / 1000;
    if (t + busyS + 0.1 > durationS) break;
    if (rising) {
      steps.push({ atS: us(t), watts: peak, riseMs });
      steps.push({ atS: us(t + (riseMs + p.overshootMs) / 1000), watts: w1(next * sW), riseMs });
    } else steps.push({ atS: us(t), watts: w1(next * sW), riseMs });
    level = next;
    t += busyS + dwellS;
  }
  return { kind: 'steps', baseW: w1(p.startRatio * sW), steps };
}

/** The inference window (headroom-inference.ts) scaled so its 1-s MA maximum is S. */
export function inferenceLoad(
  sW: number,
  shape: { file: string; ma1sMaxW: number },
): TraceLoadSpec {
  return {
    kind: 'trace',
    file: shape.file,
    timeColumn: 'time_s',
    wattsColumn: 'watts',
    interpolate: 'step',
    scale: sW / shape.ma1sMaxW,
  };
}

/** A headroom scenario document: the family's load at S on the preset, steady grid, full BBUs. */
export function headroomScenario(
  name: string,
  description: string,
  durationS: number,
  load: StepsLoadSpec | TraceLoadSpec,
  seed: number,
): Record<string, unknown> {
  return {
    name,
    description,
    durationS,
    seed,
    zone: { preset: HEADROOM_PRESET },
    load,
    grid: { nominalVac: 277, events: [] },
    initial: { socPct: 100 },
    criteria: { maxPsuOverloadEvents: 0 },
  };
}
