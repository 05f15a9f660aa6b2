import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../../src/clock/index.js';
import type { Orv3Error } from '../../../../../src/errors.js';
import { frameBytes } from '../../../../../src/north/mqtt/store/index.js';
import { all, enc, openQueue, segmentFiles, tempDir } from './helpers.js';

const FRAME = frameBytes(1, 4);
const put = (q: ReturnType<typeof openQueue>, i: number) =>
  q.append('t', i, enc(String(i).padStart(4, '0')));
const seqs = (q: ReturnType<typeof openQueue>) => all(q).map((r) => r.seq);

describe('disk failures: counted, typed, and the queue keeps working from memory', () => {
  it('a directory that cannot be opened gives a memory-only queue', () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const errors: Orv3Error[] = [];
    const q = openQueue(file, { maxRecords: 3, onError: (e) => errors.push(e) });
    expect(q.stats()).toMatchObject({ mode: 'memory', segments: 0, errors: { count: 1 } });
    expect(errors[0]).toMatchObject({ code: 'E611_STORE_IO', context: { op: 'open' } });
    for (let i = 0; i < 5; i++) expect(put(q, i)).toMatchObject({ ok: true, seq: i + 1 });
    expect(seqs(q)).toEqual([3, 4, 5]);
    expect(q.stats().dropped.byReason.oldest).toBe(2);
    expect(q.ack(4)).toBe(2);
    expect(seqs(q)).toEqual([5]);
  });

  it('a failing write moves new records to memory, in order, and back to disk on retry', async () => {
    const dir = tempDir();
    const clock = new VirtualClock();
    const errors: string[] = [];
    const opts = {
      clock,
      segmentBytes: 20 + 5 * FRAME,
      diskRetryMs: 1000,
      onError: (e: Orv3Error) => errors.push(`${e.code}:${String(e.context.op)}`),
    };
    const q = openQueue(dir, opts);
    for (let i = 0; i < 5; i++) put(q, i);
    // The next rotation cannot create its file: the write that needs it fails.
    mkdirSync(join(dir, 'seg-000002.log'));
    for (let i = 5; i < 10; i++) expect(put(q, i)).toMatchObject({ ok: true, seq: i + 1 });
    expect(q.stats()).toMatchObject({ mode: 'memory', memoryRecords: 5, records: 10 });
    expect(errors).toEqual(['E611_STORE_IO:append']);
    expect(seqs(q)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(q.ack(3)).toBe(3);

    clock.advance(1000); // still failing: counted again, stays in memory
    expect(q.stats().mode).toBe('memory');
    expect(errors).toEqual(['E611_STORE_IO:append', 'E611_STORE_IO:resume']);

    rmdirSync(join(dir, 'seg-000002.log'));
    clock.advance(1000);
    expect(q.stats()).toMatchObject({ mode: 'disk', memoryRecords: 0, records: 7 });
    expect(segmentFiles(dir)).toContain('seg-000002.log');
    expect(put(q, 10)).toMatchObject({ ok: true, seq: 11 });
    expect(seqs(q)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    await q.close();
    expect(seqs(openQueue(dir, opts))).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('the memory fallback has its own cap and the same drop policy, counted as memory-cap', async () => {
    for (const dropPolicy of ['drop-oldest', 'reject-newest'] as const) {
      const dir = tempDir();
      const clock = new VirtualClock();
      const opts = {
        clock,
        segmentBytes: 20 + 2 * FRAME,
        maxRecordBytes: FRAME,
        memoryMaxBytes: 3 * FRAME,
        dropPolicy,
      };
      const q = openQueue(dir, opts);
      put(q, 0);
      put(q, 1);
      mkdirSync(join(dir, 'seg-000002.log'));
      const res = Array.from({ length: 5 }, (_, i) => put(q, 2 + i));
      expect(q.stats().dropped.byReason['memory-cap']).toBe(2);
      if (dropPolicy === 'drop-oldest') {
        expect(res.every((r) => r.ok)).toBe(true);
        // Disk records stay; the oldest memory records gave way to the newest.
        expect(seqs(q)).toEqual([1, 2, 5, 6, 7]);
      } else {
        expect(res.map((r) => r.ok)).toEqual([true, true, true, false, false]);
        expect(seqs(q)).toEqual([1, 2, 3, 4, 5]);
      }
      // Back on disk and reopened: the seq gap left by the memory drops is reported as records
      // missing once replay reaches it (the new process cannot tell it from a lost write).
      const before = seqs(q);
      rmdirSync(join(dir, 'seg-000002.log'));
      clock.advance(10_000);
      expect(q.stats().mode).toBe('disk');
      await q.close();
      const q2 = openQueue(dir, opts);
      expect(seqs(q2)).toEqual(before);
      const gap = dropPolicy === 'drop-oldest' ? 2 : 0;
      expect(q2.stats()).toMatchObject({
        records: 5,
        corrupt: { events: gap ? 1 : 0, records: gap, bytes: 0 },
      });
    }
  });

  it('close() gives memory records one last chance to reach disk, and counts those that cannot', async () => {
    for (const healed of [true, false]) {
      const dir = tempDir();
      const opts = { segmentBytes: 20 + 2 * FRAME };
      const q = openQueue(dir, opts);
      for (let i = 0; i < 2; i++) put(q, i);
      mkdirSync(join(dir, 'seg-000002.log'));
      for (let i = 2; i < 5; i++) put(q, i);
      expect(q.stats().memoryRecords).toBe(3);
      if (healed) rmdirSync(join(dir, 'seg-000002.log'));
      await q.close();
      expect(q.stats().dropped.byReason.unsaved).toBe(healed ? 0 : 3);
      if (!healed) rmdirSync(join(dir, 'seg-000002.log'));
      expect(seqs(openQueue(dir, opts))).toEqual(healed ? [1, 2, 3, 4, 5] : [1, 2]);
    }
  });

  it('a throwing onError hook does not reach the caller', () => {
    const file = join(tempDir(), 'f');
    writeFileSync(file, '');
    const q = openQueue(file, {
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect(put(q, 0)).toMatchObject({ ok: true });
  });
});
