import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../../src/clock/index.js';
import { all, dec, enc, fill, openQueue, segmentFiles, tempDir } from './helpers.js';

describe('DurableQueue FIFO and acks', () => {
  it('keeps order across segment rotation and deletes fully acked segments', async () => {
    const dir = tempDir();
    const q = openQueue(dir, { segmentBytes: 512 });
    const seqs = fill(q, 0, 1000);
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(segmentFiles(dir).length).toBeGreaterThan(50);

    const got = all(q);
    expect(got.map((r) => r.seq)).toEqual(seqs);
    expect(got.map((r) => dec(r.payload))).toEqual(seqs.map((s) => `p${s - 1}`));
    expect(got[10]).toMatchObject({ topic: 't/x', timestampMs: 1010 });

    const before = segmentFiles(dir).length;
    expect(q.ack(600)).toBe(600);
    expect(segmentFiles(dir).length).toBeLessThan(before / 2);
    expect(q.peek(1)[0]?.seq).toBe(601);
    expect(q.stats()).toMatchObject({ records: 400, headSeq: 601, lastSeq: 1000, acked: 600 });
    expect(q.ack(5000)).toBe(400);
    expect(q.stats()).toMatchObject({ records: 0, bytes: 0, headSeq: null, segments: 1 });
    await q.close();
  });

  it('peek does not consume; ack ≤ seq only; stale or repeated acks are no-ops', () => {
    const q = openQueue(tempDir());
    fill(q, 0, 5);
    expect(q.peek(2).map((r) => r.seq)).toEqual([1, 2]);
    expect(q.peek(2).map((r) => r.seq)).toEqual([1, 2]);
    expect(q.peek(0)).toEqual([]);
    expect(q.ack(0)).toBe(0);
    expect(q.ack(2)).toBe(2);
    expect(q.ack(2)).toBe(0);
    expect(q.peek(10).map((r) => r.seq)).toEqual([3, 4, 5]);
  });

  it('copies the payload: the caller may reuse its buffer after append', () => {
    const q = openQueue(tempDir());
    const buf = Buffer.from('abc');
    q.append('t', 1, buf);
    buf.fill(0);
    expect(dec(q.peek(1)[0]!.payload)).toBe('abc');
  });

  it('persists the ack position across a clean reopen', async () => {
    const dir = tempDir();
    const q = openQueue(dir, { segmentBytes: 256 });
    fill(q, 0, 50);
    q.ack(37);
    await q.close();
    const q2 = openQueue(dir, { segmentBytes: 256 });
    expect(all(q2).map((r) => r.seq)).toEqual(Array.from({ length: 13 }, (_, i) => 38 + i));
    expect(q2.stats()).toMatchObject({ records: 13, headSeq: 38, lastSeq: 50 });
    expect(q2.append('t', 0, enc('next'))).toEqual({ ok: true, seq: 51, evicted: 0 });
  });

  it('never reuses a seq once everything was acked and the segments deleted', async () => {
    const dir = tempDir();
    const q = openQueue(dir, { segmentBytes: 128 });
    fill(q, 0, 20);
    q.ack(20);
    await q.close();
    const q2 = openQueue(dir, { segmentBytes: 128 });
    expect(q2.stats()).toMatchObject({ records: 0, lastSeq: 20 });
    expect(q2.append('t', 0, enc('x'))).toMatchObject({ seq: 21 });
  });

  it('after a crash replays from the last flushed checkpoint: acked records at most once more', async () => {
    const dir = tempDir();
    const q = openQueue(dir);
    fill(q, 0, 10);
    q.ack(3);
    await q.flush();
    q.ack(7); // not yet checkpointed
    q.abort(); // what kill -9 leaves: the records, the checkpoint of the last flush
    const q2 = openQueue(dir);
    expect(q2.peek(1)[0]?.seq).toBe(4);
    expect(q2.stats().records).toBe(7);
  });

  it('batch policy: the clock drives fdatasync and the checkpoint every fsyncIntervalMs', async () => {
    const dir = tempDir();
    const clock = new VirtualClock();
    const q = openQueue(dir, { clock, fsyncIntervalMs: 100 });
    fill(q, 0, 3);
    q.ack(1);
    expect(q.stats()).toMatchObject({ fsyncs: 0, checkpoints: 0 });
    clock.advance(99);
    expect(q.stats().fsyncs).toBe(0);
    clock.advance(1);
    await q.flush(); // waits for the flush the timer started
    expect(q.stats()).toMatchObject({ fsyncs: 1, checkpoints: 1 });
    q.abort();
    expect(openQueue(dir).peek(1)[0]?.seq).toBe(2);
  });

  it("fsync 'always': every append is synced and every ack checkpointed before return", () => {
    const dir = tempDir();
    const q = openQueue(dir, { fsync: 'always' });
    fill(q, 0, 4);
    expect(q.stats().fsyncs).toBe(4);
    q.ack(2);
    expect(q.stats().checkpoints).toBe(1);
    q.abort();
    expect(
      openQueue(dir, { fsync: 'always' })
        .peek(5)
        .map((r) => r.seq),
    ).toEqual([3, 4]);
  });

  it("fsync 'none' still checkpoints on the timer, without flushing", async () => {
    const dir = tempDir();
    const clock = new VirtualClock();
    const q = openQueue(dir, { clock, fsync: 'none' });
    fill(q, 0, 4);
    q.ack(3);
    clock.advance(100);
    await q.flush();
    expect(q.stats()).toMatchObject({ fsyncs: 0, checkpoints: 1 });
    q.abort();
    expect(
      openQueue(dir)
        .peek(5)
        .map((r) => r.seq),
    ).toEqual([4]);
  });

  it('refuses work after close without throwing', async () => {
    const q = openQueue(tempDir());
    fill(q, 0, 1);
    await q.close();
    expect(q.append('t', 0, enc('x'))).toEqual({ ok: false, reason: 'closed' });
    expect(q.peek(1)).toEqual([]);
    expect(q.ack(10)).toBe(0);
    await q.close();
  });

  it('rejects options that cannot work with E613', () => {
    expect(() => openQueue(tempDir(), { maxRecords: 0 })).toThrow(/E613|maxRecords/);
    try {
      openQueue(tempDir(), { segmentBytes: 10 });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'E613_STORE_BAD_OPTIONS' });
    }
  });
});
