import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RealClock } from '../../../../../src/clock/index.js';
import { openQueue, tempDir } from './helpers.js';

describe('performance sanity (rates printed, only correctness asserted)', () => {
  it('default batch policy: appends, replay and acks of 50k records of 100 bytes', async () => {
    const q = openQueue(tempDir(), { clock: new RealClock() });
    const N = 50_000;
    const payload = Buffer.alloc(100, 0x61);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      payload.writeUInt32LE(i, 0);
      q.append('spBv1.0/rack/DDATA/gw/psu-1', i, payload);
    }
    const t1 = performance.now();
    let seen = 0;
    for (let batch = q.peek(500); batch.length > 0; batch = q.peek(500)) {
      for (const r of batch) {
        if (Buffer.from(r.payload).readUInt32LE(0) !== seen) throw new Error(`order at ${seen}`);
        seen++;
      }
      q.ack(batch.at(-1)!.seq);
    }
    const t2 = performance.now();
    await q.close();
    const rate = (ms: number) => Math.round((N / ms) * 1000).toLocaleString('en');
    console.log(
      `store perf: append ${rate(t1 - t0)}/s, replay+ack ${rate(t2 - t1)}/s ` +
        `(${N} records, ${q.stats().fsyncs} fdatasyncs, ${q.stats().checkpoints} checkpoints)`,
    );
    expect(seen).toBe(N);
    expect(q.stats()).toMatchObject({ appended: N, acked: N, records: 0, errors: { count: 0 } });
  });
});
