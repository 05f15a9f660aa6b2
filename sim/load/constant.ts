import type { ConstantLoadSpec, LoadContext, LoadModel } from './load-model.js';

export function createConstantModel(spec: ConstantLoadSpec, _ctx: LoadContext): LoadModel {
  const w = spec.watts;
  return Object.freeze({
    powerAt: () => w,
    nextBreakS: () => Infinity,
    meanW: w,
    peakW: w,
    description: `constant ${w} W`,
  });
}
