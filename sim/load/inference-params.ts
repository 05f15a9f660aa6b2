/**
 * Defaults of the inference power model: a GB300 NVL72-class rack. Facts carry their source
 * (DESIGN.md §5, from the project's seed documents); everything marked OURS is a modelling
 * choice with no public figure behind it, and every one of them can be set in the scenario.
 */
import type { InferenceLoadSpec } from './load-model.js';

export interface InferenceParams {
  file: string;
  gpus: number;
  gpuIdleW: number;
  gpuStandbyW: number;
  gpuActiveW: number;
  standbyHoldMs: number;
  prefillTokensPerS: number;
  decodeTokensPerS: number;
  maxBatch: number;
  gpusPerInstance: number;
  rateScale: number;
  startOffsetS: number;
  baseW: number;
}

/** Fact: B300 board TDP 1400 W. */
export const B300_TDP_W = 1400;
/** Fact: H100 TDP 700 W, ≈120 W idle with a model loaded, 435–475 W while serving. */
export const H100_TDP_W = 700;
export const H100_IDLE_LOADED_W = 120;

export const INFERENCE_DEFAULTS: Readonly<Omit<InferenceParams, 'file'>> = Object.freeze({
  // Fact: an NVL72 rack holds 72 GPUs.
  gpus: 72,
  // OURS: the H100 idle-with-model ratio (120 W / 700 W ≈ 17 %) applied to the B300 TDP.
  gpuIdleW: Math.round((H100_IDLE_LOADED_W / H100_TDP_W) * B300_TDP_W),
  // OURS: clocks and HBM held up between kernels, ≈43 % of TDP; no public per-state figure.
  gpuStandbyW: 600,
  // OURS, conservative: kernels run at TDP (fact: 1400 W). H100 serving draws 435–475 W, i.e.
  // 62–68 % of TDP on average over kernels and gaps; set ≈ 0.65 × TDP to model that average.
  gpuActiveW: B300_TDP_W,
  // OURS: how long a GPU keeps standby clocks after its last kernel before it drops to idle.
  standbyHoldMs: 200,
  // OURS: prefill throughput of one instance (4 GPUs, 70B-class model, ≈40 % of FP8 peak).
  prefillTokensPerS: 20000,
  // OURS: decode speed per sequence, i.e. 10 ms per output token.
  decodeTokensPerS: 100,
  // OURS: continuous-batching slots per instance.
  maxBatch: 64,
  // OURS: one 70B-class replica over 4 GPUs (tensor parallel 4) → 18 instances in 72 GPUs.
  gpusPerInstance: 4,
  rateScale: 1,
  startOffsetS: 0,
  // OURS: non-GPU rack power (Grace CPUs, NVLink switch trays, NICs, fans) chosen so that all
  // GPUs at TDP give 72 × 1400 + 20 000 ≈ 121 kW, inside the fact "GB300 NVL72 ≈ 120–140 kW".
  baseW: 20000,
});

export function resolveInferenceParams(spec: InferenceLoadSpec): InferenceParams {
  const d = INFERENCE_DEFAULTS;
  return {
    file: spec.file,
    gpus: spec.gpus ?? d.gpus,
    gpuIdleW: spec.gpuIdleW ?? d.gpuIdleW,
    gpuStandbyW: spec.gpuStandbyW ?? d.gpuStandbyW,
    gpuActiveW: spec.gpuActiveW ?? d.gpuActiveW,
    standbyHoldMs: spec.standbyHoldMs ?? d.standbyHoldMs,
    prefillTokensPerS: spec.prefillTokensPerS ?? d.prefillTokensPerS,
    decodeTokensPerS: spec.decodeTokensPerS ?? d.decodeTokensPerS,
    maxBatch: spec.maxBatch ?? d.maxBatch,
    gpusPerInstance: spec.gpusPerInstance ?? d.gpusPerInstance,
    rateScale: spec.rateScale ?? d.rateScale,
    startOffsetS: spec.startOffsetS ?? d.startOffsetS,
    baseW: spec.baseW ?? d.baseW,
  };
}
