/**
 * Fixed-bucket latency histogram stored in a slice of a Float64Array, so the worker can keep it
 * in shared memory with no allocation per sample: 10 µs buckets from 0 to 5 ms, one overflow
 * bucket, then count, sum and exact max. Counts are Float64 (exact to 2⁵³), so a 1 kHz loop never
 * wraps them. Quantiles read back as the upper edge of the bucket holding the rank (a bound, never
 * an underestimate, resolution 10 µs) clamped to the exact max.
 */
export const BUCKET_MS = 0.01;
export const BUCKETS = 500;
/** Highest value a regular bucket holds; above it samples land in the overflow bucket. */
export const HISTOGRAM_RANGE_MS = BUCKET_MS * BUCKETS;

const OVERFLOW = BUCKETS;
const COUNT = BUCKETS + 1;
const SUM = BUCKETS + 2;
const MAX = BUCKETS + 3;
/** Float64 slots one histogram takes. */
export const HISTOGRAM_SLOTS = BUCKETS + 4;

export interface Distribution {
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** Samples above the bucketed range (> 5 ms): their quantiles are only known as the max. */
  readonly overflow: number;
}

/** Bucket of a value; negative values (clock steps) count as 0, non-finite ones overflow. */
export function bucketOf(valueMs: number): number {
  if (!(valueMs < HISTOGRAM_RANGE_MS)) return OVERFLOW;
  if (valueMs <= 0) return 0;
  const b = Math.floor(valueMs / BUCKET_MS);
  return b < BUCKETS ? b : BUCKETS - 1;
}

export function recordSample(h: Float64Array, base: number, valueMs: number): void {
  h[base + bucketOf(valueMs)]!++;
  h[base + COUNT]!++;
  if (valueMs === valueMs) {
    h[base + SUM]! += valueMs;
    if (valueMs > h[base + MAX]!) h[base + MAX] = valueMs;
  }
}

export function clearHistogram(h: Float64Array, base: number): void {
  h.fill(0, base, base + HISTOGRAM_SLOTS);
}

/** The q-quantile (0 < q ≤ 1) as a bucket's upper edge, clamped to the max; 0 when empty. */
export function quantileMs(h: Float64Array, base: number, q: number): number {
  const count = h[base + COUNT]!;
  if (count === 0) return 0;
  const max = h[base + MAX]!;
  const rank = Math.max(1, Math.ceil(q * count));
  let seen = 0;
  for (let b = 0; b < BUCKETS; b++) {
    seen += h[base + b]!;
    if (seen >= rank) return Math.min((b + 1) * BUCKET_MS, max);
  }
  return max;
}

export function summarize(h: Float64Array, base: number): Distribution {
  const count = h[base + COUNT]!;
  return {
    count,
    meanMs: count > 0 ? h[base + SUM]! / count : 0,
    p50Ms: quantileMs(h, base, 0.5),
    p99Ms: quantileMs(h, base, 0.99),
    p999Ms: quantileMs(h, base, 0.999),
    maxMs: h[base + MAX]!,
    overflow: h[base + OVERFLOW]!,
  };
}
