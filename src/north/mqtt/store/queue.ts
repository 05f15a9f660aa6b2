/**
 * DurableQueue: the bounded, crash-safe FIFO behind the MQTT uplink's store-and-forward.
 * Producer: append() while the broker or primary host is away. Consumer: peek(n) → publish with
 * is_historical → ack(lastSeq). Caps, the drop policy and the memory fallback live here; the
 * segment files live in DiskLog. Nothing here throws for a disk problem: it is counted in
 * stats(), reported to onError, and the queue keeps working (README.md has the guarantees).
 */
import type { TimerHandle } from '../../../clock/index.js';
import { Counters } from './counters.js';
import { DiskLog, type Entry } from './disk-log.js';
import { writeCheckpoint, writeCheckpointSync } from './files.js';
import { encodeRecord, frameBytes, type StoredRecord } from './frame.js';
import {
  resolveOptions,
  type AppendResult,
  type DurableQueueOptions,
  type ResolvedOptions,
  type StoreStats,
} from './options.js';
import { MemorySpill } from './memory-spill.js';
import { recover } from './recover.js';

const MAX_TOPIC_BYTES = 0xffff;

export class DurableQueue {
  private readonly counters: Counters;
  /** null: the directory could not be opened at all; the queue is memory-only for its life. */
  private readonly log: DiskLog | null;
  private mode: 'disk' | 'memory';
  private readonly mem: MemorySpill;
  private nextSeq: number;
  /** Every seq ≤ this is acked or dropped: what the checkpoint persists. */
  private consumedThrough: number;
  private checkpointDirty = false;
  private flushTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private flushChain: Promise<void> = Promise.resolve();
  /** closed: the API refuses work; released: the files are closed (after the last flush). */
  private closed = false;
  private released = false;

  /**
   * Opens (creating or recovering) the store in `options.dir`. Throws only for invalid options
   * (E613_STORE_BAD_OPTIONS); an unusable directory gives a memory-only queue (stats().mode).
   */
  static open(options: DurableQueueOptions): DurableQueue {
    return new DurableQueue(resolveOptions(options));
  }

  private constructor(private readonly o: ResolvedOptions) {
    this.counters = new Counters(o.onError);
    this.mem = new MemorySpill(o.memoryMaxBytes, o.dropPolicy, this.counters);
    let log: DiskLog | null = null;
    let consumed = 0;
    let nextSeq = 1;
    let stale = false;
    try {
      const r = recover(o.dir, this.counters);
      log = new DiskLog(o.dir, o.fsync, o.segmentBytes, this.counters, r);
      consumed = r.consumedThrough;
      nextSeq = r.nextSeq;
      stale = r.checkpointStale;
    } catch (e) {
      this.counters.io('open', o.dir, e);
    }
    this.log = log;
    this.mode = log ? 'disk' : 'memory';
    this.nextSeq = nextSeq;
    this.consumedThrough = consumed;
    // Records consumed before the crash but after the last segment deletion: skip them.
    while (log && (log.front()?.record.seq ?? Infinity) <= consumed) log.take();
    // A damaged or outdated checkpoint is rewritten with the next flush.
    if (stale) this.consumedChanged(false);
  }

  /**
   * Stores one record. Returns its seq, or why it was refused ('cap' under reject-newest,
   * 'too-large', 'closed'); every refusal and eviction is counted in stats().dropped.
   * The payload is copied (or written) before return: the caller may reuse its buffer.
   */
  append(topic: string, timestampMs: number, payload: Uint8Array): AppendResult {
    if (this.closed) return { ok: false, reason: 'closed' };
    const topicUtf8 = Buffer.from(topic, 'utf8');
    const bytes = frameBytes(topicUtf8.length, payload.length);
    if (bytes > this.o.maxRecordBytes || topicUtf8.length > MAX_TOPIC_BYTES) {
      this.counters.drop('too-large', timestampMs, bytes);
      return { ok: false, reason: 'too-large' };
    }
    let evicted = 0;
    while (this.records() + 1 > this.o.maxRecords || this.bytes() + bytes > this.o.maxBytes) {
      if (this.o.dropPolicy === 'reject-newest') {
        this.counters.drop('newest', timestampMs, bytes);
        return { ok: false, reason: 'cap' };
      }
      const e = this.takeFront();
      if (!e) break;
      this.counters.drop('oldest', e.record.timestampMs, e.bytes);
      evicted++;
    }
    if (evicted > 0) this.consumedChanged(false);
    const seq = this.nextSeq;
    if (this.mode === 'disk' && this.log) {
      try {
        this.log.write(encodeRecord(seq, topicUtf8, timestampMs, payload), seq);
        return this.accepted(seq, evicted);
      } catch (e) {
        this.enterMemory(e);
      }
    }
    // new Uint8Array(x) copies; a Buffer's slice() would only be a view of the caller's bytes.
    const record = { seq, topic, timestampMs, payload: new Uint8Array(payload) };
    if (!this.mem.add(record, bytes)) return { ok: false, reason: 'cap' };
    return this.accepted(seq, evicted);
  }

  /**
   * The oldest `n` live records in order, without consuming them (at-least-once replay). They
   * stay cached until acked, so `n` bounds the memory replay uses; treat them as read-only.
   */
  peek(n: number): StoredRecord[] {
    if (this.closed || !(n > 0)) return [];
    const out = (this.log?.peek(n) ?? []).map((e) => e.record);
    // Memory records come after all disk records; the window is short only at the disk's end.
    if (out.length < n) for (const e of this.mem.head(n - out.length)) out.push(e.record);
    return out;
  }

  /**
   * Consumes every live record with seq ≤ uptoSeq (the consumer published them). Returns how
   * many. With fsync 'always' the new position is checkpointed before return; otherwise within
   * one flush interval — a crash before that replays those records once more.
   */
  ack(uptoSeq: number): number {
    if (this.closed) return 0;
    let n = 0;
    while ((this.frontSeq() ?? Infinity) <= uptoSeq) {
      this.takeFront();
      n++;
    }
    this.counters.acked += n;
    if (n > 0) this.consumedChanged(true);
    return n;
  }

  stats(): StoreStats {
    return this.counters.snapshot({
      records: this.records(),
      bytes: this.bytes(),
      headSeq: this.closed ? null : (this.frontSeq() ?? null),
      lastSeq: this.nextSeq > 1 ? this.nextSeq - 1 : null,
      segments: this.log?.segmentCount ?? 0,
      mode: this.mode,
      memoryRecords: this.mem.length,
    });
  }

  /** Makes everything appended and acked so far durable (per the fsync policy). Never rejects. */
  flush(): Promise<void> {
    this.flushChain = this.flushChain.then(() => this.doFlush());
    return this.flushChain;
  }

  /**
   * Flushes, writes the checkpoint and releases the files. Further appends are refused.
   * Records held in memory get one last attempt to reach the disk; those that cannot are
   * counted as dropped ('unsaved').
   */
  async close(): Promise<void> {
    if (this.closed) return this.flushChain;
    if (this.mode === 'memory') this.tryDisk();
    this.closed = true;
    for (const e of this.mem.head(this.mem.length)) {
      this.counters.drop('unsaved', e.record.timestampMs, e.bytes);
    }
    this.stopTimers();
    await this.flush();
    this.release();
  }

  /**
   * Releases the files without flushing or checkpointing: what a process crash leaves behind.
   * For tests, and for a shutdown that must not wait on a hung disk.
   */
  abort(): void {
    this.closed = true;
    this.stopTimers();
    this.release();
  }

  private records(): number {
    return (this.log?.liveRecords ?? 0) + this.mem.length;
  }

  private bytes(): number {
    return (this.log?.liveBytes ?? 0) + this.mem.bytes;
  }

  private frontSeq(): number | undefined {
    return (this.log?.front() ?? this.mem.peek())?.record.seq;
  }

  /** Consumes the oldest live record wherever it is. */
  private takeFront(): Entry | undefined {
    let e = this.log && this.log.liveRecords > 0 ? this.log.take() : undefined;
    e ??= this.mem.shift();
    if (e) this.consumedThrough = e.record.seq;
    return e;
  }

  private accepted(seq: number, evicted: number): AppendResult {
    this.nextSeq = seq + 1;
    this.counters.appended++;
    if (this.o.fsync !== 'always') this.scheduleFlush();
    return { ok: true, seq, evicted };
  }

  /** Acks in 'always' mode are durable at once; drops and other modes ride the next flush. */
  private consumedChanged(acked: boolean): void {
    this.checkpointDirty = true;
    if (!(acked && this.o.fsync === 'always' && this.log)) {
      this.scheduleFlush();
      return;
    }
    try {
      writeCheckpointSync(this.o.dir, this.consumedThrough, true);
      this.checkpointDirty = false;
      this.counters.checkpoints++;
    } catch (e) {
      this.counters.io('checkpoint', this.o.dir, e);
      this.scheduleFlush();
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = this.o.clock.setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.o.fsyncIntervalMs);
  }

  private async doFlush(): Promise<void> {
    if (!this.log || this.released) return;
    await this.log.flush();
    if (!this.checkpointDirty) return;
    this.checkpointDirty = false;
    try {
      // 'always' writes checkpoints synchronously in ack(); an async one here could interleave
      // with it on the temp file, so this one is synchronous too.
      if (this.o.fsync === 'always') writeCheckpointSync(this.o.dir, this.consumedThrough, true);
      else await writeCheckpoint(this.o.dir, this.consumedThrough, this.o.fsync !== 'none');
      this.counters.checkpoints++;
    } catch (e) {
      this.checkpointDirty = true;
      this.counters.io('checkpoint', this.o.dir, e);
    }
  }

  private enterMemory(cause: unknown): void {
    this.counters.io('append', this.o.dir, cause);
    this.mode = 'memory';
    this.armRetry();
  }

  private armRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.tryDisk();
    }, this.o.diskRetryMs);
  }

  /** Moves the memory records back to disk as one new segment, all or nothing. */
  private tryDisk(): void {
    if (this.closed || this.mode === 'disk' || !this.log) return;
    const held = this.mem.head(this.mem.length);
    const frames = held.map((e) => {
      const r = e.record;
      return encodeRecord(r.seq, Buffer.from(r.topic, 'utf8'), r.timestampMs, r.payload);
    });
    try {
      this.log.rotate(held[0]?.record.seq ?? this.nextSeq, frames);
    } catch (e) {
      this.counters.io('resume', this.o.dir, e);
      this.armRetry();
      return;
    }
    this.mem.clear();
    this.mode = 'disk';
    this.scheduleFlush();
  }

  private release(): void {
    this.released = true;
    this.log?.close();
  }

  private stopTimers(): void {
    this.o.clock.clearTimer(this.flushTimer);
    this.o.clock.clearTimer(this.retryTimer);
    this.flushTimer = this.retryTimer = undefined;
  }
}
