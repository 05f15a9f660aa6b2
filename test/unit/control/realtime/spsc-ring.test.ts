import { once } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscRing } from '../../../../src/control/realtime/index.js';
import { spawnModuleWorker } from '../../../../src/control/realtime/worker-spawn.js';

describe('SPSC ring over a SharedArrayBuffer', () => {
  it('rounds the capacity up to a power of two and rejects impossible shapes', () => {
    expect(SpscRing.create(5, 3).capacity).toBe(8);
    expect(SpscRing.create(8, 3).capacity).toBe(8);
    for (const [cap, width] of [
      [0, 1],
      [4, 0],
      [1.5, 1],
      [4, 65],
    ] as const) {
      expect(() => SpscRing.create(cap, width)).toThrow(
        expect.objectContaining({ code: 'E861_REALTIME_BAD_OPTIONS' }),
      );
    }
  });

  it('is FIFO, reports empty, and counts (never blocks on) a push into a full ring', () => {
    const r = SpscRing.create(4, 2);
    const out = [0, 0];
    expect(r.pop(out)).toBe(false);
    for (let i = 0; i < 4; i++) expect(r.push([i, i + 0.5])).toBe(true);
    expect(r.size()).toBe(4);
    expect(r.push([99, 99])).toBe(false);
    expect(r.push([98, 98])).toBe(false);
    expect(r.dropped()).toBe(2);
    for (let i = 0; i < 4; i++) {
      expect(r.pop(out)).toBe(true);
      expect(out).toEqual([i, i + 0.5]);
    }
    expect(r.pop(out)).toBe(false);
    expect(r.size()).toBe(0);
  });

  it('pads short records with zeros and ignores values past the width', () => {
    const r = SpscRing.create(2, 3);
    r.push([7]);
    r.push([1, 2, 3, 4]);
    const out = new Float64Array(3);
    r.pop(out);
    expect([...out]).toEqual([7, 0, 0]);
    r.pop(out);
    expect([...out]).toEqual([1, 2, 3]);
  });

  it('wraps its slots many times over, and its Int32 indices across 2³¹', () => {
    const r = SpscRing.create(4, 1);
    const out = [0];
    for (let i = 0; i < 1000; i++) {
      expect(r.push([i])).toBe(true);
      expect(r.push([-i])).toBe(true);
      r.pop(out);
      expect(out[0]).toBe(i);
      r.pop(out);
      expect(out[0]).toBe(-i);
    }
    // Put both indices just below the Int32 wrap, as after 2³¹ records.
    const ctl = new Int32Array(r.buffer, 0, 48);
    ctl[0] = 0x7ffffffe; // head
    ctl[16] = 0x7ffffffe; // tail
    for (let i = 0; i < 4; i++) expect(r.push([i])).toBe(true);
    expect(r.size()).toBe(4);
    expect(r.push([9])).toBe(false);
    for (let i = 0; i < 4; i++) {
      expect(r.pop(out)).toBe(true);
      expect(out[0]).toBe(i);
    }
    expect(r.size()).toBe(0);
  });

  it('drains into a reused scratch record, up to a maximum', () => {
    const r = SpscRing.create(8, 2);
    for (let i = 0; i < 5; i++) r.push([i, -i]);
    const seen: number[][] = [];
    expect(r.drain((rec) => seen.push([...rec]), 3)).toBe(3);
    expect(r.drain((rec) => seen.push([...rec]))).toBe(2);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => [i, -i]));
  });

  it('behaves like a bounded array queue for any sequence of pushes and pops', () => {
    const op = fc.oneof(
      fc.record({ push: fc.array(fc.double({ noNaN: true }), { minLength: 2, maxLength: 2 }) }),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.array(op, { maxLength: 300 }), (cap, ops) => {
        const r = SpscRing.create(cap, 2);
        const model: number[][] = [];
        let dropped = 0;
        const out = [0, 0];
        for (const o of ops) {
          if ('push' in o) {
            const ok = r.push(o.push);
            expect(ok).toBe(model.length < r.capacity);
            if (ok) model.push(o.push);
            else dropped++;
          } else {
            const ok = r.pop(out);
            expect(ok).toBe(model.length > 0);
            if (ok) expect(out).toEqual(model.shift());
          }
          expect(r.size()).toBe(model.length);
        }
        expect(r.dropped()).toBe(dropped);
      }),
    );
  });

  it('hands every record over intact and in order from a producer thread to this one', async () => {
    const count = 200_000;
    const ring = SpscRing.create(64, 3); // small, so the producer often finds it full
    const worker = spawnModuleWorker(new URL('./fixtures/ring-producer.ts', import.meta.url), {
      workerData: { buffer: ring.buffer, count },
    });
    const exit = once(worker, 'exit');
    const failure = new Promise<never>((_, reject) => worker.once('error', reject));
    const rec = new Float64Array(3);
    let next = 0;
    let empties = 0;
    const consume = async (): Promise<void> => {
      for (let spins = 0; next < count; spins++) {
        if (ring.pop(rec)) {
          if (rec[0] !== next || rec[1] !== 2 * next || rec[2] !== -next) {
            throw new Error(`record ${next} arrived as [${[...rec].join(', ')}]`);
          }
          next++;
        } else {
          empties++;
          if (spins % 1024 === 0) await new Promise((r) => setImmediate(r));
        }
      }
    };
    await Promise.race([consume(), failure]);
    const [code] = await exit;
    expect(code).toBe(0);
    expect(next).toBe(count);
    expect(ring.size()).toBe(0);
    expect(ring.dropped()).toBe(0);
    expect(empties).toBeGreaterThan(0); // the consumer did outrun the producer at times
  }, 60_000);
});
