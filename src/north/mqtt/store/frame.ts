/**
 * On-disk framing of the store-and-forward queue: pure encode/decode, no I/O, so the format is
 * tested byte by byte and recovery is a loop over decodeFrame(). All integers little-endian.
 *
 * Record frame:
 *   [0..4)   length u32  = bytes after this 8-byte prefix (header + payload)
 *   [4..8)   crc32 u32   over bytes [0..4) and [8..8+length): a torn length is caught too
 *   [8..16)  seq u64     (two u32 halves; seqs stay below 2^53)
 *   [16..24) timestampMs f64 (sample time, Unix ms)
 *   [24..26) topic length u16, then the UTF-8 topic, then the payload
 *
 * Segment header (start of every segment file, so an empty segment still knows where the
 * sequence stands after the segments before it were acked and deleted):
 *   'ORVQ' | version u16 | reserved u16 | baseSeq u64 | crc32 u32 of the previous 16 bytes
 */
import { crc32 } from 'node:zlib';

export const FRAME_PREFIX_BYTES = 8;
export const RECORD_HEADER_BYTES = 18;
export const FRAME_OVERHEAD_BYTES = FRAME_PREFIX_BYTES + RECORD_HEADER_BYTES;
export const SEGMENT_HEADER_BYTES = 20;
export const SEGMENT_MAGIC = 0x5156524f; // 'ORVQ' read as u32 LE
export const FORMAT_VERSION = 1;
const MAX_TOPIC_BYTES = 0xffff;
const TWO_32 = 0x1_0000_0000;

export interface StoredRecord {
  /** Assigned at append, +1 per accepted record, never reused by one store directory. */
  readonly seq: number;
  readonly topic: string;
  /** Sample time given at append (Unix ms), kept so replay can publish it as historical. */
  readonly timestampMs: number;
  readonly payload: Uint8Array;
}

export type DecodeResult =
  | { readonly kind: 'ok'; readonly record: StoredRecord; readonly frameBytes: number }
  /** Fewer bytes than the frame needs: more data to read, or a torn tail at the file end. */
  | { readonly kind: 'short'; readonly needBytes: number }
  | { readonly kind: 'bad'; readonly reason: string };

/** Bytes a record occupies on disk; the unit of the byte cap. */
export function frameBytes(topicUtf8Bytes: number, payloadBytes: number): number {
  return FRAME_OVERHEAD_BYTES + topicUtf8Bytes + payloadBytes;
}

export function encodeRecord(
  seq: number,
  topicUtf8: Uint8Array,
  timestampMs: number,
  payload: Uint8Array,
): Buffer {
  if (topicUtf8.length > MAX_TOPIC_BYTES) throw new RangeError('topic longer than 65535 bytes');
  const total = frameBytes(topicUtf8.length, payload.length);
  const b = Buffer.allocUnsafe(total);
  b.writeUInt32LE(total - FRAME_PREFIX_BYTES, 0);
  b.writeUInt32LE(seq % TWO_32, 8);
  b.writeUInt32LE(Math.floor(seq / TWO_32), 12);
  b.writeDoubleLE(timestampMs, 16);
  b.writeUInt16LE(topicUtf8.length, 24);
  b.set(topicUtf8, FRAME_OVERHEAD_BYTES);
  b.set(payload, FRAME_OVERHEAD_BYTES + topicUtf8.length);
  b.writeUInt32LE(frameCrc(b, 0, total), 4);
  return b;
}

/** Decodes the frame starting at `off`; `end` bounds the valid bytes of `buf`. */
export function decodeFrame(buf: Buffer, off: number, end: number): DecodeResult {
  if (end - off < FRAME_PREFIX_BYTES) return { kind: 'short', needBytes: FRAME_PREFIX_BYTES };
  const length = buf.readUInt32LE(off);
  if (length < RECORD_HEADER_BYTES) return { kind: 'bad', reason: `length ${length} too small` };
  const total = FRAME_PREFIX_BYTES + length;
  if (end - off < total) return { kind: 'short', needBytes: total };
  if (buf.readUInt32LE(off + 4) !== frameCrc(buf, off, total)) {
    return { kind: 'bad', reason: 'crc mismatch' };
  }
  const seq = buf.readUInt32LE(off + 8) + buf.readUInt32LE(off + 12) * TWO_32;
  const timestampMs = buf.readDoubleLE(off + 16);
  const topicLen = buf.readUInt16LE(off + 24);
  const topicStart = off + FRAME_OVERHEAD_BYTES;
  if (topicStart + topicLen > off + total) return { kind: 'bad', reason: 'topic overruns frame' };
  const topic = buf.toString('utf8', topicStart, topicStart + topicLen);
  // A copy, so a record handed to the consumer does not pin the whole read chunk.
  const payload = new Uint8Array(buf.subarray(topicStart + topicLen, off + total));
  return { kind: 'ok', record: { seq, topic, timestampMs, payload }, frameBytes: total };
}

function frameCrc(b: Buffer, off: number, total: number): number {
  return crc32(b.subarray(off + FRAME_PREFIX_BYTES, off + total), crc32(b.subarray(off, off + 4)));
}

export function encodeSegmentHeader(baseSeq: number): Buffer {
  const b = Buffer.alloc(SEGMENT_HEADER_BYTES);
  b.writeUInt32LE(SEGMENT_MAGIC, 0);
  b.writeUInt16LE(FORMAT_VERSION, 4);
  b.writeUInt32LE(baseSeq % TWO_32, 8);
  b.writeUInt32LE(Math.floor(baseSeq / TWO_32), 12);
  b.writeUInt32LE(crc32(b.subarray(0, 16)), 16);
  return b;
}

/** The segment's base sequence number, or null when the header is torn or foreign. */
export function decodeSegmentHeader(b: Buffer): number | null {
  if (b.length < SEGMENT_HEADER_BYTES) return null;
  if (b.readUInt32LE(0) !== SEGMENT_MAGIC || b.readUInt16LE(4) !== FORMAT_VERSION) return null;
  if (b.readUInt32LE(16) !== crc32(b.subarray(0, 16))) return null;
  return b.readUInt32LE(8) + b.readUInt32LE(12) * TWO_32;
}
