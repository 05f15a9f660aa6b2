/**
 * The on-disk half of the queue: append-only segments, rotation, a read-ahead window from the
 * oldest live record, consumption and deletion of fully consumed segments. Disk errors of writes
 * are thrown to the DurableQueue (which falls back to memory); read errors and corruption found
 * during replay are counted here and the unreadable rest of that segment is skipped.
 */
import { closeSync, fdatasync, fdatasyncSync, ftruncateSync, openSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Counters } from './counters.js';
import { Deque } from './deque.js';
import { closeQuiet, createSegment, segmentPath, unlinkQuiet, writeAll } from './files.js';
import { SEGMENT_HEADER_BYTES, type DecodeResult, type StoredRecord } from './frame.js';
import type { FsyncPolicy } from './options.js';
import { SegmentReader } from './reader.js';
import type { Recovered, Segment } from './recover.js';

const fdatasyncAsync = promisify(fdatasync);

export interface Entry {
  readonly record: StoredRecord;
  /** Framed size, the unit of the byte cap. */
  readonly bytes: number;
  readonly seg?: Segment;
}

interface Cursor {
  seg: Segment;
  pos: number;
  nextSeq: number;
}

export class DiskLog {
  liveRecords = 0;
  liveBytes = 0;
  private readonly segs: Segment[];
  private nextId: number;
  private tailFd: number | null = null;
  /** Set when the tail must not take more appends (a failed write or corruption in it). */
  private tailBroken = false;
  private tailDirty = false;
  private readonly retired: number[] = [];
  private readonly ahead = new Deque<Entry>();
  private cursor: Cursor | null = null;
  private reader: SegmentReader | null = null;

  constructor(
    private readonly dir: string,
    private readonly policy: FsyncPolicy,
    private readonly segmentBytes: number,
    private readonly counters: Counters,
    r: Recovered,
  ) {
    this.segs = r.segments;
    this.nextId = r.nextId;
    for (const s of this.segs) {
      this.liveRecords += s.live;
      this.liveBytes += s.liveBytes;
    }
    const first = this.segs[0];
    if (first) this.moveCursor(first);
    const last = this.segs.at(-1);
    if (last && r.tailReusable) this.tailFd = openSync(last.path, 'a');
    else this.rotate(r.nextSeq);
  }

  get segmentCount(): number {
    return this.segs.length;
  }

  /** Appends one encoded frame; throws the fs error if it did not reach the file whole. */
  write(frame: Buffer, seq: number): void {
    const tail = this.segs.at(-1);
    if (
      !tail ||
      this.tailFd === null ||
      this.tailBroken ||
      tail.baseSeq + tail.count !== seq ||
      (tail.count > 0 && tail.size + frame.length > this.segmentBytes)
    ) {
      this.rotate(seq);
    }
    const seg = this.segs.at(-1)!;
    try {
      writeAll(this.tailFd!, frame);
    } catch (e) {
      // Cut the partial frame so a reopen does not count it as corruption, and seal the
      // segment: the next write (after the disk works again) starts a fresh one.
      this.tailBroken = true;
      try {
        ftruncateSync(this.tailFd!, seg.size);
      } catch {
        // Left in place, the partial frame lies beyond seg.size and is never read.
      }
      throw e;
    }
    this.account(seg, 1, frame.length);
    if (this.policy === 'always') this.syncTail();
    else this.tailDirty = true;
  }

  /**
   * Starts a new segment at `baseSeq` holding `frames` (records kept in memory while the disk
   * failed). All or nothing: on failure the new file is removed and the error thrown.
   */
  rotate(baseSeq: number, frames: readonly Buffer[] = []): void {
    // The old tail reaches the disk before its successor exists, so a sealed segment is never
    // short after a power cut and its count (next base − own base) stays exact.
    if (this.tailDirty && this.policy !== 'none') {
      this.syncTail();
      this.tailDirty = false;
    }
    const path = segmentPath(this.dir, this.nextId);
    const fd = createSegment(path, this.dir, baseSeq, this.policy !== 'none');
    let bytes = 0;
    try {
      for (const f of frames) {
        writeAll(fd, f);
        bytes += f.length;
      }
      if (frames.length > 0 && this.policy === 'always') fdatasyncSync(fd);
    } catch (e) {
      closeSync(fd);
      unlinkQuiet(path);
      throw e;
    }
    if (this.tailFd !== null) this.retire(this.tailFd);
    const seg: Segment = {
      id: this.nextId++,
      path,
      baseSeq,
      count: 0,
      size: SEGMENT_HEADER_BYTES,
      live: 0,
      liveBytes: 0,
    };
    this.segs.push(seg);
    this.tailFd = fd;
    this.tailBroken = false;
    this.tailDirty = frames.length > 0 && this.policy !== 'always';
    this.account(seg, frames.length, bytes);
    if (!this.cursor) this.moveCursor(seg);
    this.release();
  }

  /** The first `n` live records in order (fewer when the disk holds fewer). */
  peek(n: number): Entry[] {
    this.fill(n);
    return this.ahead.head(n);
  }

  front(): Entry | undefined {
    this.fill(1);
    return this.ahead.peek();
  }

  /** Consumes the oldest live record (acked or dropped by the caller). */
  take(): Entry | undefined {
    this.fill(1);
    const e = this.ahead.shift();
    if (!e?.seg) return undefined;
    e.seg.live--;
    e.seg.liveBytes -= e.bytes;
    this.liveRecords--;
    this.liveBytes -= e.bytes;
    this.release();
    return e;
  }

  /** fdatasync of what was written since the last flush, off the event loop. Never rejects. */
  async flush(): Promise<void> {
    const fds = this.tailDirty && this.tailFd !== null ? [this.tailFd] : [];
    this.tailDirty = false;
    // Sealed segments were synced at rotation; they are closed here, after any fdatasync that
    // was still running on them, never under it.
    const retired = this.retired.splice(0);
    for (const fd of this.policy === 'none' ? [] : fds) {
      try {
        await fdatasyncAsync(fd);
        this.counters.fsyncs++;
      } catch (e) {
        this.counters.io('fdatasync', this.dir, e);
      }
    }
    for (const fd of retired) closeQuiet(fd);
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
    for (const fd of this.retired.splice(0)) closeQuiet(fd);
    if (this.tailFd !== null) closeQuiet(this.tailFd);
    this.tailFd = null;
  }

  private syncTail(): void {
    try {
      fdatasyncSync(this.tailFd!);
      this.counters.fsyncs++;
    } catch (e) {
      // The record is in the file (page cache); count the lost durability, do not duplicate it.
      this.counters.io('fdatasync', this.dir, e);
    }
  }

  private retire(fd: number): void {
    // 'always' has no flush running in the background, so nothing can be using the fd.
    if (this.policy === 'always') closeQuiet(fd);
    else this.retired.push(fd);
  }

  private account(seg: Segment, records: number, bytes: number): void {
    seg.count += records;
    seg.size += bytes;
    seg.live += records;
    seg.liveBytes += bytes;
    this.liveRecords += records;
    this.liveBytes += bytes;
  }

  /** Reads records into the window until it holds `n` or the disk has no more. */
  private fill(n: number): void {
    while (this.ahead.length < n && this.cursor) {
      const c = this.cursor;
      const seg = c.seg;
      const expectedEnd = seg.baseSeq + seg.count;
      if (c.pos >= seg.size) {
        const next = this.segs[this.segs.indexOf(seg) + 1];
        if (!next) break;
        // A clean end before the next segment's base: records dropped from the memory fallback
        // before a restart, or lost at a power cut under fsync 'none'. Counted either way.
        if (expectedEnd > c.nextSeq) {
          this.counters.corruption(seg.path, 'records missing', 0, expectedEnd - c.nextSeq);
          this.forget(seg, expectedEnd - c.nextSeq, 0);
        }
        this.moveCursor(next);
        continue;
      }
      let r: DecodeResult;
      try {
        this.reader ??= new SegmentReader(seg.path);
        r = this.reader.read(c.pos, seg.size);
      } catch (e) {
        this.counters.io('read', seg.path, e);
        r = { kind: 'bad', reason: 'read error' };
      }
      if (r.kind === 'ok' && r.record.seq === c.nextSeq && c.nextSeq < expectedEnd) {
        this.ahead.push({ record: r.record, bytes: r.frameBytes, seg });
        c.pos += r.frameBytes;
        c.nextSeq++;
        continue;
      }
      const why = r.kind === 'ok' ? `seq ${r.record.seq} where ${c.nextSeq} was due` : 'bad frame';
      const lostRecords = Math.max(0, expectedEnd - c.nextSeq);
      this.counters.corruption(seg.path, why, seg.size - c.pos, lostRecords);
      this.forget(seg, lostRecords, seg.size - c.pos);
      c.pos = seg.size;
      c.nextSeq = expectedEnd;
      // No append may land behind bytes the reader has given up on.
      if (seg === this.segs.at(-1)) this.tailBroken = true;
    }
  }

  private forget(seg: Segment, records: number, bytes: number): void {
    seg.live -= records;
    seg.liveBytes -= bytes;
    this.liveRecords -= records;
    this.liveBytes -= bytes;
  }

  private moveCursor(seg: Segment): void {
    this.reader?.close();
    this.reader = null;
    this.cursor = { seg, pos: SEGMENT_HEADER_BYTES, nextSeq: seg.baseSeq };
  }

  /** Deletes fully consumed segments from the front; the tail stays for appends. */
  private release(): void {
    while (this.segs.length > 1 && this.segs[0]!.live <= 0) {
      const s = this.segs.shift()!;
      if (this.cursor?.seg === s) this.moveCursor(this.segs[0]!);
      unlinkQuiet(s.path, this.counters);
    }
  }
}
