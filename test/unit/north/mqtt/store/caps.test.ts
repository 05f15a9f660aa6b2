import { describe, expect, it } from 'vitest';
import { frameBytes } from '../../../../../src/north/mqtt/store/index.js';
import { all, dirBytes, enc, openQueue, segmentFiles, tempDir } from './helpers.js';

const FRAME = frameBytes(1, 4); // topic 't', 4-byte payload

const put = (q: ReturnType<typeof openQueue>, i: number) =>
  q.append('t', 1000 + i, enc(String(i).padStart(4, '0')));

describe('size caps and drop policies', () => {
  it('drop-oldest (default) by records: evicts the oldest, counts records, bytes and timestamps', () => {
    const q = openQueue(tempDir(), { maxRecords: 10 });
    const results = Array.from({ length: 25 }, (_, i) => put(q, i));
    expect(results.slice(0, 10).every((r) => r.ok && r.evicted === 0)).toBe(true);
    expect(results.slice(10).every((r) => r.ok && r.evicted === 1)).toBe(true);
    expect(all(q).map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 16 + i));
    expect(q.stats()).toMatchObject({
      records: 10,
      bytes: 10 * FRAME,
      dropped: {
        records: 15,
        bytes: 15 * FRAME,
        oldestTimestampMs: 1000,
        newestTimestampMs: 1014,
        byReason: { oldest: 15, newest: 0, 'too-large': 0, 'memory-cap': 0 },
      },
    });
  });

  it('drop-oldest by bytes keeps the disk footprint within maxBytes + one segment', () => {
    const dir = tempDir();
    const maxBytes = 100 * FRAME;
    const segmentBytes = 20 + 10 * FRAME;
    const q = openQueue(dir, { maxBytes, segmentBytes, maxRecordBytes: FRAME });
    for (let i = 0; i < 1000; i++) put(q, i);
    expect(q.stats()).toMatchObject({ records: 100, bytes: maxBytes, headSeq: 901 });
    expect(q.stats().dropped.records).toBe(900);
    expect(dirBytes(dir)).toBeLessThanOrEqual(
      maxBytes + segmentBytes + 20 * segmentFiles(dir).length,
    );
    expect(all(q)[0]?.seq).toBe(901);
  });

  it('reject-newest refuses and counts; refused records take no seq', () => {
    const q = openQueue(tempDir(), { maxRecords: 3, dropPolicy: 'reject-newest' });
    for (let i = 0; i < 3; i++) expect(put(q, i)).toMatchObject({ ok: true });
    expect(put(q, 3)).toEqual({ ok: false, reason: 'cap' });
    expect(put(q, 4)).toEqual({ ok: false, reason: 'cap' });
    expect(q.stats().dropped).toMatchObject({
      records: 2,
      bytes: 2 * FRAME,
      oldestTimestampMs: 1003,
      newestTimestampMs: 1004,
      byReason: { newest: 2, oldest: 0 },
    });
    q.ack(1);
    expect(put(q, 5)).toEqual({ ok: true, seq: 4, evicted: 0 });
    expect(all(q).map((r) => r.seq)).toEqual([2, 3, 4]);
  });

  it('reject-newest by bytes', () => {
    const q = openQueue(tempDir(), {
      maxBytes: 2 * FRAME,
      maxRecordBytes: FRAME,
      dropPolicy: 'reject-newest',
    });
    expect(put(q, 0).ok && put(q, 1).ok).toBe(true);
    expect(put(q, 2)).toEqual({ ok: false, reason: 'cap' });
    expect(q.stats()).toMatchObject({ records: 2, dropped: { byReason: { newest: 1 } } });
  });

  it('a record larger than maxRecordBytes is refused and counted, whatever the policy', () => {
    const q = openQueue(tempDir(), { maxRecordBytes: 100 });
    expect(q.append('t', 5, new Uint8Array(100))).toEqual({ ok: false, reason: 'too-large' });
    expect(q.stats().dropped).toMatchObject({
      records: 1,
      bytes: frameBytes(1, 100),
      oldestTimestampMs: 5,
      byReason: { 'too-large': 1 },
    });
    expect(q.stats().records).toBe(0);
  });

  it('caps apply to what a reopen recovered', async () => {
    const dir = tempDir();
    const q = openQueue(dir);
    for (let i = 0; i < 8; i++) put(q, i);
    await q.close();
    const q2 = openQueue(dir, { maxRecords: 5 });
    expect(put(q2, 8)).toEqual({ ok: true, seq: 9, evicted: 4 });
    expect(all(q2).map((r) => r.seq)).toEqual([5, 6, 7, 8, 9]);
    await q2.close();
    // Evictions are checkpointed like acks: they do not come back after a reopen.
    expect(all(openQueue(dir)).map((r) => r.seq)).toEqual([5, 6, 7, 8, 9]);
  });
});
