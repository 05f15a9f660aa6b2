/**
 * Random append / peek / ack / flush / reopen / crash sequences against an in-memory model.
 * The model is the specification: FIFO, caps with the drop policy, seq assignment, and after a
 * crash "every unconsumed record is back, plus at most the records consumed since the last
 * flush (a suffix of them)".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DurableQueue,
  frameBytes,
  type DropPolicy,
  type FsyncPolicy,
  type StoredRecord,
} from '../../../../../src/north/mqtt/store/index.js';
import { VirtualClock } from '../../../../../src/clock/index.js';
import { tempDir } from './helpers.js';

type Op =
  | { op: 'append'; topic: string; len: number }
  | { op: 'peek'; n: number }
  | { op: 'ack'; k: number }
  | { op: 'flush' }
  | { op: 'reopen' }
  | { op: 'crash' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('append' as const),
      topic: fc.constantFrom('a', 'spBv1.0/g/DDATA/n/psu-1', 'ü/é'),
      len: fc.nat(40),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('peek' as const), n: fc.nat(12) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('ack' as const), k: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crash' as const }) },
);

const configArb = fc.record({
  segmentBytes: fc.integer({ min: 60, max: 600 }),
  maxRecords: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  maxBytes: fc.option(fc.integer({ min: 120, max: 1500 }), { nil: undefined }),
  dropPolicy: fc.constantFrom<DropPolicy>('drop-oldest', 'reject-newest'),
  fsync: fc.constantFrom<FsyncPolicy>('batch', 'none', 'always'),
});

const view = (r: StoredRecord) => ({ ...r, payload: Array.from(r.payload) });

describe('DurableQueue against a model', () => {
  it('random sequences with reopen and crash', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(opArb, { maxLength: 60 }), async (cfg, ops) => {
        const dir = tempDir();
        const opts = { ...cfg, dir, clock: new VirtualClock(), maxRecordBytes: 120 };
        let q = DurableQueue.open(opts);
        let live: StoredRecord[] = [];
        let consumedSinceFlush: StoredRecord[] = [];
        let nextSeq = 1;
        let ts = 0;
        const bytes = (r: StoredRecord) => frameBytes(Buffer.byteLength(r.topic), r.payload.length);
        const consume = () => consumedSinceFlush.push(live.shift()!);
        try {
          for (const o of ops) {
            if (o.op === 'append') {
              const rec = {
                seq: nextSeq,
                topic: o.topic,
                timestampMs: ts++,
                payload: Uint8Array.from({ length: o.len }, (_, i) => (nextSeq + i) & 0xff),
              };
              const b = bytes(rec);
              const maxR = cfg.maxRecords ?? Infinity;
              const maxB = cfg.maxBytes ?? Infinity;
              const total = () => live.reduce((s, r) => s + bytes(r), 0);
              let refused = false;
              let evicted = 0;
              while (live.length + 1 > maxR || total() + b > maxB) {
                if (cfg.dropPolicy === 'reject-newest') {
                  refused = true;
                  break;
                }
                consume();
                evicted++;
              }
              const res = q.append(rec.topic, rec.timestampMs, rec.payload);
              if (refused) expect(res).toEqual({ ok: false, reason: 'cap' });
              else {
                expect(res).toEqual({ ok: true, seq: nextSeq, evicted });
                live.push(rec);
                nextSeq++;
              }
            } else if (o.op === 'peek') {
              expect(q.peek(o.n).map(view)).toEqual(live.slice(0, o.n).map(view));
            } else if (o.op === 'ack') {
              const upto = (live[o.k] ?? live.at(-1))?.seq ?? nextSeq;
              const n = live.filter((r) => r.seq <= upto).length;
              for (let i = 0; i < n; i++) consume();
              expect(q.ack(upto)).toBe(n);
              // 'always' checkpoints an ack before returning (evictions before it included).
              if (cfg.fsync === 'always' && n > 0) consumedSinceFlush = [];
            } else if (o.op === 'flush') {
              await q.flush();
              consumedSinceFlush = [];
            } else if (o.op === 'reopen') {
              await q.close();
              consumedSinceFlush = [];
              q = DurableQueue.open(opts);
              expect(q.peek(Infinity).map(view)).toEqual(live.map(view));
            } else {
              q.abort();
              q = DurableQueue.open(opts);
              const got = q.peek(Infinity);
              const candidates = [...consumedSinceFlush, ...live];
              const k = candidates.length - got.length;
              expect(k).toBeGreaterThanOrEqual(0);
              expect(k).toBeLessThanOrEqual(consumedSinceFlush.length);
              expect(got.map(view)).toEqual(candidates.slice(k).map(view));
              live = got;
              consumedSinceFlush = [];
            }
            const s = q.stats();
            expect(s.records).toBe(live.length);
            expect(s.bytes).toBe(live.reduce((t, r) => t + bytes(r), 0));
            expect(s.lastSeq).toBe(nextSeq > 1 ? nextSeq - 1 : null);
            expect(s.corrupt.events).toBe(0);
          }
        } finally {
          q.abort();
        }
      }),
      { numRuns: 400 },
    );
  });
});
