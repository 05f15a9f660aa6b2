import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodeSegmentHeader,
  encodeRecord,
  encodeSegmentHeader,
  frameBytes,
} from '../../../../../src/north/mqtt/store/frame.js';
import { enc } from './helpers.js';

/** Hex dump with a comment per line: the comment starts after two or more spaces. */
const hex = (s: string): Buffer =>
  Buffer.from(
    s
      .split('\n')
      .map((l) =>
        l
          .trim()
          .split(/\s{2,}/)[0]!
          .replace(/\s/g, ''),
      )
      .join(''),
    'hex',
  );

describe('record frame', () => {
  const bytes = hex(`
    16000000                 length 22 = header 18 + topic 2 + payload 2
    18c5c11f                 crc32 0x1fc1c518 over the length and the 22 bytes after the crc
    07000000 00000000        seq 7 (low u32, high u32)
    00000000 0000f83f        timestamp 1.5 ms (f64 LE)
    0200                     topic length 2
    6162                     'ab'
    dead                     payload
  `);

  it('encodes to the documented bytes', () => {
    const b = encodeRecord(7, enc('ab'), 1.5, Uint8Array.of(0xde, 0xad));
    expect(b.toString('hex')).toBe(bytes.toString('hex'));
    expect(b.length).toBe(frameBytes(2, 2));
  });

  it('decodes its own bytes, and large seqs survive the two u32 halves', () => {
    const r = decodeFrame(bytes, 0, bytes.length);
    expect(r).toEqual({
      kind: 'ok',
      frameBytes: 30,
      record: { seq: 7, topic: 'ab', timestampMs: 1.5, payload: Uint8Array.of(0xde, 0xad) },
    });
    const big = 2 ** 52 + 3;
    const b = encodeRecord(big, enc('t'), 1_767_225_600_123.25, enc('x'));
    const d = decodeFrame(b, 0, b.length);
    expect(d.kind === 'ok' && d.record.seq).toBe(big);
    expect(d.kind === 'ok' && d.record.timestampMs).toBe(1_767_225_600_123.25);
  });

  it('reports a torn frame as short and any flipped bit as bad', () => {
    expect(decodeFrame(bytes, 0, 5)).toEqual({ kind: 'short', needBytes: 8 });
    expect(decodeFrame(bytes, 0, 29)).toEqual({ kind: 'short', needBytes: 30 });
    for (let i = 0; i < bytes.length; i++) {
      const b = Buffer.from(bytes);
      b[i]! ^= 0x10;
      const r = decodeFrame(b, 0, b.length);
      // A flipped length bit may also make the frame look longer than the data (torn).
      expect(r.kind, `byte ${i}`).not.toBe('ok');
    }
  });

  it('rejects a length smaller than the fixed header', () => {
    const b = Buffer.from(bytes);
    b.writeUInt32LE(3, 0);
    expect(decodeFrame(b, 0, b.length).kind).toBe('bad');
  });
});

describe('segment header', () => {
  it('encodes magic, version, base seq and a crc', () => {
    expect(encodeSegmentHeader(42).toString('hex')).toBe(
      // 'ORVQ'   version 1  reserved  base 42            crc32
      '4f525651' + '0100' + '0000' + '2a00000000000000' + '18d3f692',
    );
    expect(decodeSegmentHeader(encodeSegmentHeader(2 ** 40))).toBe(2 ** 40);
  });

  it('returns null for a torn or damaged header', () => {
    const h = encodeSegmentHeader(5);
    expect(decodeSegmentHeader(h.subarray(0, 12))).toBeNull();
    const bad = Buffer.from(h);
    bad[9]! ^= 1;
    expect(decodeSegmentHeader(bad)).toBeNull();
    expect(decodeSegmentHeader(Buffer.alloc(20))).toBeNull();
  });
});
