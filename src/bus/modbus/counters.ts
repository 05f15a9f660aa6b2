import type { DeviceCounters, LatencyHistogram } from './client.js';

/** Bucket bounds, ms: fine where RTU transactions live (5–80 ms), coarse beyond the timeouts. */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([
  1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000,
]);

export class Histogram implements LatencyHistogram {
  readonly boundsMs: readonly number[];
  readonly counts: number[];
  count = 0;
  private maxMs = 0;

  constructor(boundsMs: readonly number[] = LATENCY_BOUNDS_MS) {
    this.boundsMs = boundsMs;
    this.counts = new Array<number>(boundsMs.length + 1).fill(0);
  }

  record(ms: number): void {
    let i = 0;
    while (i < this.boundsMs.length && ms > this.boundsMs[i]!) i++;
    this.counts[i]!++;
    this.count++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  percentileMs(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i < this.boundsMs.length ? this.boundsMs[i]! : this.maxMs;
    }
    return this.maxMs;
  }
}

export interface MutableCounters extends DeviceCounters {
  readonly latency: Histogram;
}

export function newCounters(): MutableCounters {
  return {
    requests: 0,
    responses: 0,
    timeouts: 0,
    crcErrors: 0,
    badFrames: 0,
    exceptions: 0,
    retries: 0,
    latency: new Histogram(),
  };
}
