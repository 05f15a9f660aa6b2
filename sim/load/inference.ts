/**
 * LLM inference load: a request trace turned into per-GPU idle / standby / active power and
 * summed over the rack (model in inference-sim.ts, defaults and sources in
 * inference-params.ts). All the work happens here, once; powerAt is a cursor lookup.
 */
import type { InferenceLoadSpec, LoadContext, LoadModel } from './load-model.js';
import { readDataFile, resolveDataPath } from './files.js';
import { resolveInferenceParams } from './inference-params.js';
import { simulateInference, type InferenceRun } from './inference-sim.js';
import { parseRequestTrace } from './request-trace.js';
import { PiecewiseSeries } from './series.js';

export interface InferenceLoadModel extends LoadModel {
  /** The piecewise-constant demand: watts[i] holds from times[i] (s) to times[i + 1]. */
  readonly times: Float64Array;
  readonly watts: Float64Array;
  readonly run: Readonly<Omit<InferenceRun, 'times' | 'watts'>>;
}

export function createInferenceModel(
  spec: InferenceLoadSpec,
  ctx: LoadContext,
): InferenceLoadModel {
  const p = resolveInferenceParams(spec);
  const fileField = `${ctx.fieldPath}.file`;
  const path = resolveDataPath(spec.file, ctx.baseDir, ctx.sharedDir);
  const trace = parseRequestTrace(readDataFile(path, fileField), path, fileField);
  const { times, watts, ...run } = simulateInference(trace, p, ctx.durationS);
  const description =
    `inference ${spec.file}: ${run.requests} requests on ${run.instances} instances × ` +
    `${p.gpusPerInstance} GPUs (${p.gpus} GPUs, ${p.gpuIdleW}/${p.gpuStandbyW}/${p.gpuActiveW} W ` +
    `idle/standby/active, base ${p.baseW} W), mean queueing ${run.meanQueueS.toFixed(3)} s`;
  const series = new PiecewiseSeries(times, watts, {
    mode: 'step',
    durationS: ctx.durationS,
    description,
  });
  return Object.assign(series, { run: Object.freeze(run) });
}
