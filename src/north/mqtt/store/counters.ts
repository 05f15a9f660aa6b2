/**
 * The queue's counters: every drop, corruption and error lands here, so stats() can show that
 * nothing was lost silently. Counts are for the life of one open queue (not persisted).
 */
import { ErrorCode, Orv3Error } from '../../../errors.js';
import type { DropReason, DropStats, StoreStats } from './options.js';

type CounterKeys =
  'appended' | 'acked' | 'dropped' | 'corrupt' | 'errors' | 'fsyncs' | 'checkpoints';

export class Counters {
  appended = 0;
  acked = 0;
  fsyncs = 0;
  checkpoints = 0;
  readonly dropped: DropStats = {
    records: 0,
    bytes: 0,
    oldestTimestampMs: null,
    newestTimestampMs: null,
    byReason: { oldest: 0, newest: 0, 'too-large': 0, 'memory-cap': 0, unsaved: 0 },
  };
  readonly corrupt = { events: 0, bytes: 0, records: 0 };
  readonly errors = {
    count: 0,
    lastCode: null as string | null,
    lastMessage: null as string | null,
  };

  constructor(private readonly onError: ((e: Orv3Error) => void) | undefined) {}

  /** A copy of the counters with the queue's live figures: stats() callers cannot alter them. */
  snapshot(live: Omit<StoreStats, CounterKeys>): StoreStats {
    const d = this.dropped;
    return {
      ...live,
      appended: this.appended,
      acked: this.acked,
      dropped: { ...d, byReason: { ...d.byReason } },
      corrupt: { ...this.corrupt },
      errors: { ...this.errors },
      fsyncs: this.fsyncs,
      checkpoints: this.checkpoints,
    };
  }

  drop(reason: DropReason, timestampMs: number, bytes: number): void {
    const d = this.dropped;
    d.records++;
    d.bytes += bytes;
    d.byReason[reason]++;
    d.oldestTimestampMs = Math.min(d.oldestTimestampMs ?? timestampMs, timestampMs);
    d.newestTimestampMs = Math.max(d.newestTimestampMs ?? timestampMs, timestampMs);
  }

  /** Counts a disk failure as a typed error and tells the owner; returns the error. */
  io(op: string, path: string, cause: unknown): Orv3Error {
    const errno = errnoOf(cause);
    const msg = `store ${op} failed on ${path}: ${cause instanceof Error ? cause.message : cause}`;
    return this.report(new Orv3Error(ErrorCode.StoreIo, msg, { op, path, errno }));
  }

  corruption(path: string, what: string, bytes: number, records: number): Orv3Error {
    this.corrupt.events++;
    this.corrupt.bytes += bytes;
    this.corrupt.records += records;
    const msg = `store: ${what} in ${path}; ${bytes} bytes (${records} records) cut or skipped`;
    return this.report(new Orv3Error(ErrorCode.StoreCorrupt, msg, { path, bytes, records }));
  }

  private report(e: Orv3Error): Orv3Error {
    this.errors.count++;
    this.errors.lastCode = e.code;
    this.errors.lastMessage = e.message;
    try {
      this.onError?.(e);
    } catch {
      // A failing log hook must not turn a counted error into a thrown one.
    }
    return e;
  }
}

export function errnoOf(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    return e.code;
  }
  return undefined;
}
