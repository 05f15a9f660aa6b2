import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DurableQueue } from '../../../../../src/north/mqtt/store/index.js';
import { frameBytes } from '../../../../../src/north/mqtt/store/index.js';
import { all, enc, openQueue, segmentFiles, tempDir } from './helpers.js';

const HEADER = 20; // segment header bytes
const FRAME = frameBytes(1, 8); // topic 't', 8-byte payload

function put(q: DurableQueue, n: number): void {
  for (let i = 0; i < n; i++) q.append('t', i, enc(`rec${String(i).padStart(5, '0')}`));
}

function flipByte(path: string, offset: number): void {
  const b = readFileSync(path);
  b[offset]! ^= 0xff;
  writeFileSync(path, b);
}

const seqs = (q: DurableQueue): number[] => all(q).map((r) => r.seq);
const range = (a: number, b: number): number[] =>
  Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('crash recovery', () => {
  it('a torn last record (power cut mid-write) is cut at open and counted', async () => {
    const dir = tempDir();
    const q = openQueue(dir);
    put(q, 20);
    await q.close();
    const [seg] = segmentFiles(dir);
    const path = join(dir, seg!);
    truncateSync(path, HEADER + 19 * FRAME + 11); // 11 bytes of record 20 reached the disk
    const q2 = openQueue(dir);
    expect(seqs(q2)).toEqual(range(1, 19));
    expect(q2.stats().corrupt).toEqual({ events: 1, bytes: 11, records: 0 });
    expect(q2.stats().errors.lastCode).toBe('E612_STORE_CORRUPT');
    expect(statSync(path).size).toBe(HEADER + 19 * FRAME);
    // Appends continue right after the last complete record, and survive the next reopen.
    expect(q2.append('t', 0, enc('after...'))).toMatchObject({ ok: true, seq: 20 });
    await q2.close();
    expect(seqs(openQueue(dir))).toEqual(range(1, 20));
  });

  it('a corrupt CRC in the tail segment keeps every complete record before it', async () => {
    const dir = tempDir();
    const q = openQueue(dir);
    put(q, 30);
    await q.close();
    const path = join(dir, segmentFiles(dir)[0]!);
    flipByte(path, HEADER + 9 * FRAME + FRAME - 2); // payload of record 10
    const q2 = openQueue(dir);
    expect(seqs(q2)).toEqual(range(1, 9));
    expect(q2.stats().corrupt).toMatchObject({ events: 1, bytes: 21 * FRAME });
    expect(q2.append('t', 0, enc('after...'))).toMatchObject({ seq: 10 });
  });

  it('corruption inside a sealed segment is found on replay: the rest of it is skipped and counted', async () => {
    const dir = tempDir();
    const segmentBytes = HEADER + 10 * FRAME; // 10 records per segment
    const q = openQueue(dir, { segmentBytes });
    put(q, 35);
    await q.close();
    const files = segmentFiles(dir);
    expect(files).toHaveLength(4);
    flipByte(join(dir, files[1]!), HEADER + 3 * FRAME + 5); // record 14 (seg 2 holds 11..20)
    const errors: string[] = [];
    const q2 = openQueue(dir, { segmentBytes, onError: (e) => errors.push(e.code) });
    expect(q2.stats()).toMatchObject({ records: 35, corrupt: { events: 0 } }); // not scanned yet
    expect(seqs(q2)).toEqual([...range(1, 13), ...range(21, 35)]);
    expect(q2.stats()).toMatchObject({
      records: 28,
      corrupt: { events: 1, records: 7, bytes: 7 * FRAME },
    });
    expect(errors).toEqual(['E612_STORE_CORRUPT']);
    expect(q2.ack(35)).toBe(28);
    expect(q2.stats()).toMatchObject({ records: 0, bytes: 0, segments: 1 });
  });

  it('a segment with a torn header (crash right after creating it) is dropped', async () => {
    const dir = tempDir();
    const q = openQueue(dir, { segmentBytes: HEADER + 10 * FRAME });
    put(q, 10);
    await q.close();
    writeFileSync(join(dir, 'seg-000009.log'), Buffer.from('ORV')); // 3 of 20 header bytes
    const q2 = openQueue(dir, { segmentBytes: HEADER + 10 * FRAME });
    expect(seqs(q2)).toEqual(range(1, 10));
    expect(q2.stats().corrupt).toMatchObject({ events: 1, bytes: 3 });
    expect(segmentFiles(dir)).not.toContain('seg-000009.log');
    expect(q2.append('t', 0, enc('after...'))).toMatchObject({ seq: 11 });
  });

  it('an unreadable checkpoint means replay from the oldest record (duplicates, never loss)', async () => {
    const dir = tempDir();
    const q = openQueue(dir);
    put(q, 5);
    q.ack(3);
    await q.close();
    writeFileSync(join(dir, 'checkpoint.json'), '{"consumedThr');
    writeFileSync(join(dir, 'checkpoint.json.tmp'), 'half-written');
    const q2 = openQueue(dir);
    expect(seqs(q2)).toEqual(range(1, 5));
    expect(q2.stats().corrupt.events).toBe(1);
    expect(segmentFiles(dir)).toHaveLength(1);
    await q2.close();
    expect(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).toContain('"consumedThrough":0');
  });

  it('a checkpoint ahead of the data (records lost from the page cache) keeps seqs increasing', async () => {
    const dir = tempDir();
    const q = openQueue(dir);
    put(q, 5);
    await q.close();
    writeFileSync(join(dir, 'checkpoint.json'), '{"version":1,"consumedThrough":9}\n');
    const q2 = openQueue(dir);
    expect(q2.stats()).toMatchObject({ records: 0, lastSeq: 9 });
    expect(q2.append('t', 0, enc('x'))).toMatchObject({ seq: 10 });
    await q2.close();
    expect(seqs(openQueue(dir))).toEqual([10]);
  });
});
