/**
 * File-level operations on the store directory: naming, segment creation and tail recovery,
 * directory fsync, and the atomic checkpoint. Synchronous where the queue needs an answer
 * before it returns (open, rotation); the batch flush uses the async checkpoint writer.
 */
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open as openAsync, rename as renameAsync } from 'node:fs/promises';
import { join } from 'node:path';
import type { Counters } from './counters.js';
import {
  decodeFrame,
  decodeSegmentHeader,
  encodeSegmentHeader,
  SEGMENT_HEADER_BYTES,
} from './frame.js';

const SEGMENT_RE = /^seg-(\d+)\.log$/;
export const CHECKPOINT_FILE = 'checkpoint.json';
const CHECKPOINT_TMP = 'checkpoint.json.tmp';

export function segmentPath(dir: string, id: number): string {
  return join(dir, `seg-${String(id).padStart(6, '0')}.log`);
}

/** Segment ids in the directory, oldest first (numeric order, so id 1000000 sorts right). */
export function listSegmentIds(dir: string): number[] {
  return readdirSync(dir)
    .map((n) => SEGMENT_RE.exec(n)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** fsync of the directory makes a create, rename or unlink inside it survive a power cut. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates a segment holding only its header and returns an append-mode fd. With `durable`, the
 * header and the directory entry are flushed first: an empty segment is what carries the
 * sequence forward once all older segments are acked and deleted.
 */
export function createSegment(path: string, dir: string, baseSeq: number, durable: boolean) {
  const fd = openSync(path, 'ax');
  try {
    writeSync(fd, encodeSegmentHeader(baseSeq));
    if (durable) {
      fdatasyncSync(fd);
      fsyncDir(dir);
    }
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

export interface ScannedSegment {
  /** null: the header is torn or foreign, so nothing in the file can be trusted. */
  readonly baseSeq: number | null;
  /** Bytes of the file as found. */
  readonly fileBytes: number;
  /** Complete, CRC-valid records in sequence, and the offset just past the last of them. */
  readonly count: number;
  readonly validBytes: number;
}

/**
 * Reads a segment. With `full`, every frame is checked (the tail after a crash); otherwise only
 * the header, since sealed segments are immutable and their count follows from the next base.
 */
export function scanSegment(path: string, full: boolean): ScannedSegment {
  const buf = full ? readFileSync(path) : readHead(path);
  const baseSeq = decodeSegmentHeader(buf.subarray(0, SEGMENT_HEADER_BYTES));
  const fileBytes = full ? buf.length : fileSize(path);
  if (baseSeq === null || !full) return { baseSeq, fileBytes, count: 0, validBytes: fileBytes };
  let pos = SEGMENT_HEADER_BYTES;
  let count = 0;
  for (;;) {
    const r = decodeFrame(buf, pos, buf.length);
    if (r.kind !== 'ok' || r.record.seq !== baseSeq + count) break;
    pos += r.frameBytes;
    count++;
  }
  return { baseSeq, fileBytes, count, validBytes: pos };
}

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(SEGMENT_HEADER_BYTES);
    const n = readSyncFully(fd, b, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function fileSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Reads until `b` is full or the file ends; returns the bytes read. */
export function readSyncFully(fd: number, b: Buffer, position: number): number {
  let n = 0;
  while (n < b.length) {
    const got = readSync(fd, b, n, b.length - n, position + n);
    if (got === 0) break;
    n += got;
  }
  return n;
}

/** Cuts a torn tail so later appends follow the last complete record. */
export function truncateFile(path: string, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, bytes);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The last consumed (acked or dropped) seq, or null when missing or unreadable. */
export function readCheckpoint(dir: string): { value: number | null; corrupt: boolean } {
  let text: string;
  try {
    text = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch {
    return { value: null, corrupt: false };
  }
  try {
    const o: unknown = JSON.parse(text);
    if (typeof o === 'object' && o !== null && 'consumedThrough' in o) {
      const v = o.consumedThrough;
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
        return { value: v, corrupt: false };
      }
    }
  } catch {
    // fall through: a checkpoint we cannot parse means replay from the oldest segment
  }
  return { value: null, corrupt: true };
}

function checkpointText(consumedThrough: number): string {
  return `${JSON.stringify({ version: 1, consumedThrough })}\n`;
}

/** write temp → fsync → rename → fsync dir: after a crash the old or the new value, never half. */
export function writeCheckpointSync(dir: string, consumedThrough: number, durable: boolean): void {
  const tmp = join(dir, CHECKPOINT_TMP);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, checkpointText(consumedThrough));
    if (durable) fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, CHECKPOINT_FILE));
  if (durable) fsyncDir(dir);
}

/** The same protocol off the event loop, for the batch flush. */
export async function writeCheckpoint(
  dir: string,
  consumedThrough: number,
  durable: boolean,
): Promise<void> {
  const tmp = join(dir, CHECKPOINT_TMP);
  const fh = await openAsync(tmp, 'w');
  try {
    await fh.writeFile(checkpointText(consumedThrough));
    if (durable) await fh.datasync();
  } finally {
    await fh.close();
  }
  await renameAsync(tmp, join(dir, CHECKPOINT_FILE));
  if (durable) {
    const dh = await openAsync(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }
}

/** writeSync that treats a short write (the disk filled up mid-frame) as the error it is. */
export function writeAll(fd: number, b: Buffer): void {
  const n = writeSync(fd, b);
  if (n !== b.length) {
    throw Object.assign(new Error(`short write ${n} of ${b.length} bytes`), { code: 'ENOSPC' });
  }
}

export function closeQuiet(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing cannot fail in a way the queue could act on.
  }
}

export function unlinkQuiet(path: string, counters?: Counters): void {
  try {
    unlinkSync(path);
  } catch (e) {
    counters?.io('unlink', path, e);
  }
}
