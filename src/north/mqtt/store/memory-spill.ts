/**
 * Where records go while the disk fails: a bounded in-memory FIFO, always newer than every
 * disk record. Evicting only from its front keeps the held seqs contiguous, so they return to
 * disk as one segment when a retry succeeds.
 */
import type { Counters } from './counters.js';
import { Deque } from './deque.js';
import type { Entry } from './disk-log.js';
import type { StoredRecord } from './frame.js';
import type { DropPolicy } from './options.js';

export class MemorySpill {
  bytes = 0;
  private readonly q = new Deque<Entry>();

  constructor(
    private readonly maxBytes: number,
    private readonly policy: DropPolicy,
    private readonly counters: Counters,
  ) {}

  get length(): number {
    return this.q.length;
  }

  /** Holds a record; at the cap evicts held ones (drop-oldest) or refuses it (reject-newest). */
  add(record: StoredRecord, bytes: number): boolean {
    while (this.bytes + bytes > this.maxBytes) {
      const old = this.policy === 'drop-oldest' ? this.shift() : undefined;
      if (!old) {
        this.counters.drop('memory-cap', record.timestampMs, bytes);
        return false;
      }
      this.counters.drop('memory-cap', old.record.timestampMs, old.bytes);
    }
    this.q.push({ record, bytes });
    this.bytes += bytes;
    return true;
  }

  peek(): Entry | undefined {
    return this.q.peek();
  }

  shift(): Entry | undefined {
    const e = this.q.shift();
    if (e) this.bytes -= e.bytes;
    return e;
  }

  head(n: number): Entry[] {
    return this.q.head(n);
  }

  clear(): void {
    this.q.clear();
    this.bytes = 0;
  }
}
