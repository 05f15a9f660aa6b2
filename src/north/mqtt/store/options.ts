/**
 * Options, defaults and the shapes the queue hands out (append results, stats). Defaults suit a
 * rack controller's flash: a bounded footprint, batched flushes, small segments that free space
 * soon after replay.
 */
import type { Clock } from '../../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../../errors.js';
import { FRAME_OVERHEAD_BYTES, SEGMENT_HEADER_BYTES } from './frame.js';

/**
 * - `always`: fdatasync after every append (blocks the event loop for one device flush each);
 *   nothing acknowledged by append() is lost at a power cut.
 * - `batch`: fdatasync every `fsyncIntervalMs` off the event loop; a power cut loses at most the
 *   records appended in the last interval (plus the flush time). A process crash loses nothing.
 * - `none`: leave it to the OS writeback (typically ≤ 30 s of records at a power cut).
 */
export type FsyncPolicy = 'always' | 'batch' | 'none';

/** What gives way when a cap is reached. Either way every loss is counted in stats().dropped. */
export type DropPolicy = 'drop-oldest' | 'reject-newest';

export interface DurableQueueOptions {
  /** Directory of the segment files and the checkpoint; created if missing. */
  readonly dir: string;
  readonly clock: Clock;
  readonly fsync?: FsyncPolicy;
  readonly fsyncIntervalMs?: number;
  /** Cap on live (unacked) records, in framed bytes as stored. Disk use ≤ this + one segment. */
  readonly maxBytes?: number;
  readonly maxRecords?: number;
  readonly dropPolicy?: DropPolicy;
  /** A segment is sealed and a new one started beyond this size (smaller: deleted sooner). */
  readonly segmentBytes?: number;
  /** Largest framed record accepted; larger ones are rejected and counted (`too-large`). */
  readonly maxRecordBytes?: number;
  /** Cap of the in-memory fallback used while the disk fails (records still count in maxBytes). */
  readonly memoryMaxBytes?: number;
  /** How long after a disk failure the queue tries to move its memory records back to disk. */
  readonly diskRetryMs?: number;
  /** Told of every error as it is counted (for logging); must not throw. */
  readonly onError?: (err: Orv3Error) => void;
}

export type ResolvedOptions = Required<Omit<DurableQueueOptions, 'onError'>> &
  Pick<DurableQueueOptions, 'onError'>;

export const DEFAULTS = {
  fsync: 'batch',
  fsyncIntervalMs: 100,
  maxBytes: 64 * 1024 * 1024,
  maxRecords: Number.POSITIVE_INFINITY,
  dropPolicy: 'drop-oldest',
  segmentBytes: 4 * 1024 * 1024,
  maxRecordBytes: 256 * 1024,
  memoryMaxBytes: 4 * 1024 * 1024,
  diskRetryMs: 10_000,
} as const;

export function resolveOptions(o: DurableQueueOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    dir: o.dir,
    clock: o.clock,
    fsync: o.fsync ?? DEFAULTS.fsync,
    fsyncIntervalMs: o.fsyncIntervalMs ?? DEFAULTS.fsyncIntervalMs,
    maxBytes: o.maxBytes ?? DEFAULTS.maxBytes,
    maxRecords: o.maxRecords ?? DEFAULTS.maxRecords,
    dropPolicy: o.dropPolicy ?? DEFAULTS.dropPolicy,
    segmentBytes: o.segmentBytes ?? DEFAULTS.segmentBytes,
    maxRecordBytes: o.maxRecordBytes ?? DEFAULTS.maxRecordBytes,
    memoryMaxBytes: o.memoryMaxBytes ?? DEFAULTS.memoryMaxBytes,
    diskRetryMs: o.diskRetryMs ?? DEFAULTS.diskRetryMs,
    onError: o.onError,
  };
  const bad = (why: string): never => {
    throw new Orv3Error(ErrorCode.StoreBadOptions, `store options: ${why}`, { dir: r.dir });
  };
  if (!r.dir) bad('dir is required');
  if (!['always', 'batch', 'none'].includes(r.fsync)) bad(`unknown fsync policy ${r.fsync}`);
  if (!['drop-oldest', 'reject-newest'].includes(r.dropPolicy)) bad(`unknown drop policy`);
  if (!(r.fsyncIntervalMs > 0)) bad('fsyncIntervalMs must be > 0');
  if (!(r.diskRetryMs > 0)) bad('diskRetryMs must be > 0');
  if (!(r.maxRecords >= 1)) bad('maxRecords must be ≥ 1');
  if (!(r.maxRecordBytes > FRAME_OVERHEAD_BYTES)) bad('maxRecordBytes too small for a frame');
  if (!(r.maxBytes >= r.maxRecordBytes)) bad('maxBytes must be ≥ maxRecordBytes');
  if (!(r.memoryMaxBytes >= r.maxRecordBytes)) bad('memoryMaxBytes must be ≥ maxRecordBytes');
  // A record larger than a segment is allowed: it gets a segment of its own.
  if (!(r.segmentBytes > SEGMENT_HEADER_BYTES)) bad('segmentBytes must exceed the segment header');
  return r;
}

export type AppendResult =
  /** Stored (on disk, or in memory while the disk fails); `evicted` older records made room. */
  | { readonly ok: true; readonly seq: number; readonly evicted: number }
  | { readonly ok: false; readonly reason: 'cap' | 'too-large' | 'closed' };

/**
 * oldest: evicted by drop-oldest at a cap; newest: refused by reject-newest at a cap;
 * too-large: above maxRecordBytes; memory-cap: the memory fallback was full;
 * unsaved: held in memory (disk failing) when close() was called.
 */
export type DropReason = 'oldest' | 'newest' | 'too-large' | 'memory-cap' | 'unsaved';

export interface DropStats {
  records: number;
  bytes: number;
  /** Smallest and largest sample timestamp among dropped records (null: nothing dropped). */
  oldestTimestampMs: number | null;
  newestTimestampMs: number | null;
  byReason: Record<DropReason, number>;
}

export interface StoreStats {
  /** Live = appended and neither acked nor dropped. */
  records: number;
  bytes: number;
  /** Seq of the oldest live record and the last seq assigned (null: none yet). */
  headSeq: number | null;
  lastSeq: number | null;
  segments: number;
  appended: number;
  acked: number;
  dropped: DropStats;
  /** Torn tails cut at open and corrupt/unreadable records skipped on replay. */
  corrupt: { events: number; bytes: number; records: number };
  /** 'memory': the disk failed; new records are held in memory (memoryRecords) until it works. */
  mode: 'disk' | 'memory';
  memoryRecords: number;
  errors: { count: number; lastCode: string | null; lastMessage: string | null };
  fsyncs: number;
  checkpoints: number;
}
