import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  BUCKETS,
  HISTOGRAM_SLOTS,
  quantileMs,
  recordSample,
  summarize,
} from '../../../../src/control/realtime/histogram.js';
import {
  createStatsBuffer,
  readStats,
  StatsWriter,
} from '../../../../src/control/realtime/stats-block.js';

describe('fixed-bucket histogram', () => {
  it('files values into 10 µs buckets up to 5 ms, then the overflow bucket', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-0.2)).toBe(0); // a clock step backwards is not a negative bucket
    expect(bucketOf(0.0099)).toBe(0);
    expect(bucketOf(0.0101)).toBe(1);
    expect(bucketOf(1.234)).toBe(123);
    expect(bucketOf(4.9999)).toBe(BUCKETS - 1);
    expect(bucketOf(5)).toBe(BUCKETS);
    expect(bucketOf(Infinity)).toBe(BUCKETS);
    expect(bucketOf(NaN)).toBe(BUCKETS);
  });

  it('reads quantiles back as bucket upper edges, never below the truth, capped by the max', () => {
    const h = new Float64Array(HISTOGRAM_SLOTS + 3);
    const base = 3; // histograms live at an offset inside the stats block
    for (let i = 0; i < 98; i++) recordSample(h, base, 0.013); // bucket 1: (0.01, 0.02]
    recordSample(h, base, 0.25);
    recordSample(h, base, 7.5); // overflow
    const d = summarize(h, base);
    expect(d.count).toBe(100);
    expect(d.p50Ms).toBeCloseTo(0.02, 12);
    expect(d.p99Ms).toBeCloseTo(0.26, 12); // 99th of 100 is the 0.25 sample → its bucket edge
    expect(d.p999Ms).toBe(7.5); // in the overflow: only the max is known
    expect(d.maxMs).toBe(7.5);
    expect(d.overflow).toBe(1);
    expect(d.meanMs).toBeCloseTo((98 * 0.013 + 0.25 + 7.5) / 100, 12);
    expect(quantileMs(new Float64Array(HISTOGRAM_SLOTS), 0, 0.5)).toBe(0);
    // One sample: every quantile is that sample, not its bucket edge.
    const one = new Float64Array(HISTOGRAM_SLOTS);
    recordSample(one, 0, 0.0123);
    expect(quantileMs(one, 0, 0.5)).toBe(0.0123);
  });
});

describe('shared stats block', () => {
  it('carries ticks, overruns and the three distributions from writer to reader', () => {
    const buf = createStatsBuffer();
    const w = new StatsWriter(buf);
    w.recordTick(100, 0.004, 0.05, 0);
    w.recordTick(101, 0.3, 0.06, 2);
    w.recordLatency(100.01, 100.05);
    const s = readStats(buf);
    expect(s.ticks).toBe(2);
    expect(s.overruns).toBe(2);
    expect(s.lastTickAtMs).toBe(101);
    expect(s.jitter.count).toBe(2);
    expect(s.jitter.maxMs).toBe(0.3);
    expect(s.duration.maxMs).toBe(0.06);
    expect(s.latency.count).toBe(1);
    expect(s.latency.maxMs).toBeCloseTo(0.04, 9);
  });

  it('resets everything but the time of the last tick', () => {
    const buf = createStatsBuffer();
    const w = new StatsWriter(buf);
    w.recordTick(5, 1, 1, 3);
    w.recordLatency(0, 1);
    w.reset();
    const s = readStats(buf);
    expect([s.ticks, s.overruns, s.jitter.count, s.duration.count, s.latency.count]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    expect(s.jitter.maxMs).toBe(0);
  });

  it('leaves the sequence word even after every write, so readers see settled snapshots', () => {
    const buf = createStatsBuffer();
    const w = new StatsWriter(buf);
    const seq = new Int32Array(buf, 0, 1);
    w.recordTick(1, 0, 0, 0);
    w.recordLatency(0, 0);
    w.reset();
    expect(seq[0]! % 2).toBe(0);
    expect(seq[0]).toBe(6);
  });
});
