import { ErrorCode, Orv3Error } from '../../errors.js';

/**
 * Single-producer single-consumer ring of fixed-width Float64 records over a SharedArrayBuffer,
 * lock-free: the producer owns `head`, the consumer owns `tail`, each publishes its index with an
 * Atomics.store after touching the slots, and the other side reads it with Atomics.load. The
 * sequentially consistent atomics order the plain Float64 slot accesses around them, so a record
 * is fully written before the consumer can see it and fully read before the producer reuses it.
 *
 * Never blocks: a push into a full ring drops the new record and counts it (`dropped`), so a slow
 * consumer on the main thread can cost telemetry but never a tick. Indices are free-running Int32
 * counters (wrapping at 2³²); the slot is `index & mask`, and `head - tail` (mod 2³²) is the fill.
 *
 * Layout (bytes): head at 0, dropped at 4, tail at 64 (its own cache line, so the two threads do
 * not false-share), capacity at 128, width at 132; slots from 192, `width` Float64s each.
 */
const HEAD = 0;
const DROPPED = 1;
const TAIL = 16;
const CAPACITY = 32;
const WIDTH = 33;
const HEADER_BYTES = 192;
const HEADER_INTS = HEADER_BYTES / 4;

/** Largest capacity allowed: far below 2³¹ so the wrapped fill `head - tail` is never ambiguous. */
export const RING_MAX_CAPACITY = 1 << 24;
export const RING_MAX_WIDTH = 64;

function badRing(message: string, context: Record<string, unknown>): Orv3Error {
  return new Orv3Error(ErrorCode.RealtimeBadOptions, message, context);
}

export class SpscRing {
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly width: number;
  private readonly ctl: Int32Array;
  private readonly data: Float64Array;
  private readonly mask: number;

  /** A new empty ring; `capacity` is rounded up to a power of two. */
  static create(capacity: number, width: number): SpscRing {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > RING_MAX_CAPACITY) {
      throw badRing(`ring capacity must be an integer in 1..${RING_MAX_CAPACITY}`, { capacity });
    }
    if (!Number.isInteger(width) || width < 1 || width > RING_MAX_WIDTH) {
      throw badRing(`ring record width must be an integer in 1..${RING_MAX_WIDTH}`, { width });
    }
    let cap = 1;
    while (cap < capacity) cap <<= 1;
    const buffer = new SharedArrayBuffer(HEADER_BYTES + cap * width * 8);
    const ctl = new Int32Array(buffer, 0, HEADER_INTS);
    ctl[CAPACITY] = cap;
    ctl[WIDTH] = width;
    return new SpscRing(buffer);
  }

  /** The same ring seen from another thread (the buffer came through workerData or postMessage). */
  static attach(buffer: SharedArrayBuffer): SpscRing {
    return new SpscRing(buffer);
  }

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.ctl = new Int32Array(buffer, 0, HEADER_INTS);
    this.capacity = this.ctl[CAPACITY]!;
    this.width = this.ctl[WIDTH]!;
    this.mask = this.capacity - 1;
    this.data = new Float64Array(buffer, HEADER_BYTES, this.capacity * this.width);
  }

  /** Records waiting for the consumer (a snapshot; either side may call it). */
  size(): number {
    return (Atomics.load(this.ctl, HEAD) - Atomics.load(this.ctl, TAIL)) | 0;
  }

  /** Records the producer had to drop because the ring was full, since creation. */
  dropped(): number {
    return Atomics.load(this.ctl, DROPPED) >>> 0;
  }

  /**
   * Producer only. Copies `record` (its first `width` values; missing ones are written as 0) into
   * the next slot; false, and one more drop counted, when the ring is full. Does not allocate.
   */
  push(record: ArrayLike<number>): boolean {
    const head = Atomics.load(this.ctl, HEAD);
    if (((head - Atomics.load(this.ctl, TAIL)) | 0) >= this.capacity) {
      Atomics.add(this.ctl, DROPPED, 1);
      return false;
    }
    const w = this.width;
    const base = (head & this.mask) * w;
    const n = record.length < w ? record.length : w;
    for (let i = 0; i < n; i++) this.data[base + i] = record[i]!;
    for (let i = n; i < w; i++) this.data[base + i] = 0;
    Atomics.store(this.ctl, HEAD, (head + 1) | 0);
    return true;
  }

  /** Consumer only. Copies the oldest record into `into` (≥ width long); false when empty. */
  pop(into: Float64Array | number[]): boolean {
    const tail = Atomics.load(this.ctl, TAIL);
    if (Atomics.load(this.ctl, HEAD) === tail) return false;
    const w = this.width;
    const base = (tail & this.mask) * w;
    for (let i = 0; i < w; i++) into[i] = this.data[base + i]!;
    Atomics.store(this.ctl, TAIL, (tail + 1) | 0);
    return true;
  }

  /**
   * Consumer only. Pops up to `max` records, handing each to `fn` in a scratch array that is
   * reused for the next record (copy what you keep). Returns how many were popped.
   */
  drain(fn: (record: Float64Array) => void, max = Infinity): number {
    const scratch = new Float64Array(this.width);
    let n = 0;
    while (n < max && this.pop(scratch)) {
      n++;
      fn(scratch);
    }
    return n;
  }
}
