/**
 * Load steps: each step ramps linearly from the level before it to its own level over riseMs,
 * starting at atS. Breaks fall at the start and the end of every rise.
 */
import type { LoadContext, LoadModel, StepsLoadSpec } from './load-model.js';
import { PiecewiseSeries } from './series.js';

export function createStepsModel(spec: StepsLoadSpec, ctx: LoadContext): LoadModel {
  const first = spec.steps[0]!;
  const base = spec.baseW ?? first.watts;
  const times: number[] = [];
  const watts: number[] = [];
  let level = base;
  let prevEnd = -Infinity;
  for (const s of spec.steps) {
    // The check tolerates a step starting a rounding error before the previous rise ends.
    const start = Math.max(s.atS, prevEnd);
    prevEnd = start + s.riseMs / 1000;
    times.push(start, prevEnd);
    watts.push(level, s.watts);
    level = s.watts;
  }
  const parts = spec.steps.map((s) => `${s.watts} W at ${s.atS} s (${s.riseMs} ms)`);
  return new PiecewiseSeries(times, watts, {
    mode: 'linear',
    durationS: ctx.durationS,
    description: `steps from ${base} W: ${parts.join(', ')}`,
  });
}
