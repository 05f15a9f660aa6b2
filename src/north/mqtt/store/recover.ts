/**
 * Opening the store directory after a clean stop or a crash: drop segments whose header is torn,
 * scan the last segment frame by frame and cut it at the first incomplete or corrupt record,
 * derive the record count of earlier (sealed, immutable) segments from the next segment's base
 * seq, and read the checkpoint. Pure bookkeeping over files.ts; the DiskLog takes it from here.
 */
import { mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Counters } from './counters.js';
import { SEGMENT_HEADER_BYTES } from './frame.js';
import {
  CHECKPOINT_FILE,
  listSegmentIds,
  readCheckpoint,
  scanSegment,
  segmentPath,
  truncateFile,
} from './files.js';

export interface Segment {
  readonly id: number;
  readonly path: string;
  readonly baseSeq: number;
  /** Records in the file (for sealed segments at open: derived, see header comment). */
  count: number;
  /** Valid bytes of the file, header included; reads never go beyond. */
  size: number;
  /** Records and framed bytes not yet consumed (acked or dropped). */
  live: number;
  liveBytes: number;
}

export interface Recovered {
  readonly segments: Segment[];
  /** Every seq ≤ this was consumed before (from the checkpoint or the oldest segment's base). */
  readonly consumedThrough: number;
  readonly nextSeq: number;
  /** The last segment can take appends (its records end right before nextSeq, not cut badly). */
  readonly tailReusable: boolean;
  readonly nextId: number;
  /** The checkpoint on disk does not say consumedThrough (missing, unreadable or behind). */
  readonly checkpointStale: boolean;
}

export function recover(dir: string, counters: Counters): Recovered {
  mkdirSync(dir, { recursive: true });
  // A temp checkpoint is a write that never reached its rename: the real one is still valid.
  rmSync(join(dir, `${CHECKPOINT_FILE}.tmp`), { force: true });
  const ck = readCheckpoint(dir);
  if (ck.corrupt) counters.corruption(join(dir, CHECKPOINT_FILE), 'unreadable checkpoint', 0, 0);

  const ids = listSegmentIds(dir);
  const nextId = (ids.at(-1) ?? 0) + 1;
  const found: { id: number; path: string; baseSeq: number; fileBytes: number }[] = [];
  for (const id of ids) {
    const path = segmentPath(dir, id);
    const s = scanSegment(path, false);
    const prev = found.at(-1);
    if (s.baseSeq === null || (prev && s.baseSeq < prev.baseSeq)) {
      // Only the newest segment can be torn by a crash (its header was flushed before use), but
      // a foreign or damaged file anywhere is dropped rather than trusted.
      counters.corruption(path, 'torn or foreign segment header', s.fileBytes, 0);
      unlinkSync(path);
      continue;
    }
    found.push({ id, path, baseSeq: s.baseSeq, fileBytes: s.fileBytes });
  }

  const segments: Segment[] = [];
  let tailReusable = false;
  found.forEach((f, i) => {
    const next = found[i + 1];
    let count: number;
    let size = f.fileBytes;
    if (next) {
      count = next.baseSeq - f.baseSeq;
    } else {
      const s = scanSegment(f.path, true);
      count = s.count;
      size = s.validBytes;
      tailReusable = true;
      if (s.validBytes < s.fileBytes) {
        counters.corruption(f.path, 'torn or corrupt tail', s.fileBytes - s.validBytes, 0);
        try {
          truncateFile(f.path, s.validBytes);
        } catch (e) {
          // Left uncut, the bad bytes stay behind `size`; appends go to a fresh segment.
          counters.io('truncate', f.path, e);
          tailReusable = false;
        }
      }
    }
    const liveBytes = size - SEGMENT_HEADER_BYTES;
    segments.push({ ...f, count, size, live: count, liveBytes });
  });

  const first = segments[0];
  const last = segments.at(-1);
  const consumedThrough = Math.max(ck.value ?? 0, first ? first.baseSeq - 1 : 0);
  const nextSeq = Math.max(last ? last.baseSeq + last.count : 1, consumedThrough + 1);
  if (last && last.baseSeq + last.count !== nextSeq) tailReusable = false;
  const checkpointStale = ck.value !== consumedThrough;
  return { segments, consumedThrough, nextSeq, tailReusable, nextId, checkpointStale };
}
