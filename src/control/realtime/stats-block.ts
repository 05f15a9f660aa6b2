import {
  clearHistogram,
  HISTOGRAM_SLOTS,
  recordSample,
  summarize,
  type Distribution,
} from './histogram.js';

/**
 * The loop's timing statistics in shared memory: written by the worker only, readable by the
 * main thread at any time. A seqlock keeps snapshots consistent without ever making the writer
 * wait: the writer makes the sequence word odd, writes, makes it even again; a reader copies the
 * block and retries when the word was odd or moved meanwhile.
 *
 * Layout: Int32 sequence word in bytes 0–3, then Float64 slots from byte 8: ticks, overruns, time
 * of the last tick (worker clock), then three histograms (tick start jitter, tick duration,
 * sample-to-command latency).
 */
const TICKS = 0;
const OVERRUNS = 1;
const LAST_TICK_AT = 2;
const HEAD_SLOTS = 4;
const JITTER = HEAD_SLOTS;
const DURATION = JITTER + HISTOGRAM_SLOTS;
const LATENCY = DURATION + HISTOGRAM_SLOTS;
const SLOTS = LATENCY + HISTOGRAM_SLOTS;
const DATA_OFFSET = 8;
/** Reader retries before it settles for a copy that may mix two ticks (the writer never waits). */
const READ_RETRIES = 1000;

export interface LoopTiming {
  /** Ticks run since start or the last reset. */
  readonly ticks: number;
  /** Deadlines skipped because a tick (or the wake-up before it) ran past the next one. */
  readonly overruns: number;
  /** Worker-clock time of the last tick's start, ms (the worker's RealClock origin). */
  readonly lastTickAtMs: number;
  /** Tick start minus its scheduled deadline. */
  readonly jitter: Distribution;
  /** Tick body (commands, task.tick) wall time. */
  readonly duration: Distribution;
  /** Sample-to-command latency reported by the task. */
  readonly latency: Distribution;
}

export function createStatsBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(DATA_OFFSET + SLOTS * 8);
}

/** Worker side. Every method is allocation-free. */
export class StatsWriter {
  private readonly seq: Int32Array;
  private readonly f: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.seq = new Int32Array(buffer, 0, 1);
    this.f = new Float64Array(buffer, DATA_OFFSET, SLOTS);
  }

  recordTick(atMs: number, jitterMs: number, durationMs: number, overrunsAdded: number): void {
    Atomics.add(this.seq, 0, 1);
    const f = this.f;
    f[TICKS]!++;
    f[OVERRUNS]! += overrunsAdded;
    f[LAST_TICK_AT] = atMs;
    recordSample(f, JITTER, jitterMs);
    recordSample(f, DURATION, durationMs);
    Atomics.add(this.seq, 0, 1);
  }

  recordLatency(sampleAtMs: number, commandAtMs: number): void {
    Atomics.add(this.seq, 0, 1);
    recordSample(this.f, LATENCY, commandAtMs - sampleAtMs);
    Atomics.add(this.seq, 0, 1);
  }

  reset(): void {
    Atomics.add(this.seq, 0, 1);
    this.f[TICKS] = 0;
    this.f[OVERRUNS] = 0;
    clearHistogram(this.f, JITTER);
    clearHistogram(this.f, DURATION);
    clearHistogram(this.f, LATENCY);
    Atomics.add(this.seq, 0, 1);
  }
}

/** Main-thread side: a consistent snapshot of the block, summarised. */
export function readStats(buffer: SharedArrayBuffer): LoopTiming {
  const seq = new Int32Array(buffer, 0, 1);
  const live = new Float64Array(buffer, DATA_OFFSET, SLOTS);
  const copy = new Float64Array(SLOTS);
  for (let i = 0; i < READ_RETRIES; i++) {
    const before = Atomics.load(seq, 0);
    if (before & 1) continue;
    copy.set(live);
    if (Atomics.load(seq, 0) === before) break;
  }
  return {
    ticks: copy[TICKS]!,
    overruns: copy[OVERRUNS]!,
    lastTickAtMs: copy[LAST_TICK_AT]!,
    jitter: summarize(copy, JITTER),
    duration: summarize(copy, DURATION),
    latency: summarize(copy, LATENCY),
  };
}
