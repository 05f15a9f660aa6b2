/**
 * Sequential frame reader over one segment file with a chunk cache, so replay and drop-oldest
 * cost one read syscall per chunk rather than per record. Reads never go past `end` (the bytes
 * the queue knows to be valid), so bytes of a failed, truncated write are never decoded.
 */
import { closeSync, openSync } from 'node:fs';
import { decodeFrame, FRAME_PREFIX_BYTES, type DecodeResult } from './frame.js';
import { readSyncFully } from './files.js';

const CHUNK_BYTES = 64 * 1024;

export class SegmentReader {
  private fd: number | null = null;
  private chunk: Buffer = Buffer.alloc(0);
  private chunkPos = 0;

  constructor(readonly path: string) {}

  /** Decodes the frame at `pos`. Throws the fs error when the file cannot be read. */
  read(pos: number, end: number): DecodeResult {
    let r = this.decodeCached(pos, end);
    if (r.kind === 'short') {
      const want = Math.min(end - pos, Math.max(CHUNK_BYTES, r.needBytes));
      if (!this.covers(pos, want)) {
        this.load(pos, want);
        r = this.decodeCached(pos, end);
      }
    }
    return r;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.chunk = Buffer.alloc(0);
  }

  private covers(pos: number, bytes: number): boolean {
    return pos >= this.chunkPos && pos + bytes <= this.chunkPos + this.chunk.length;
  }

  private decodeCached(pos: number, end: number): DecodeResult {
    const off = pos - this.chunkPos;
    if (off < 0 || off > this.chunk.length) {
      return { kind: 'short', needBytes: FRAME_PREFIX_BYTES };
    }
    return decodeFrame(this.chunk, off, Math.min(this.chunk.length, end - this.chunkPos));
  }

  private load(pos: number, bytes: number): void {
    this.fd ??= openSync(this.path, 'r');
    const b = Buffer.allocUnsafe(bytes);
    const n = readSyncFully(this.fd, b, pos);
    this.chunk = b.subarray(0, n);
    this.chunkPos = pos;
  }
}
