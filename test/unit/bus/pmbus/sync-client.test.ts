import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncPmbusClient } from '../../../../src/bus/pmbus/index.js';
import type { SmbusResult, SyncSmbusAdapter } from '../../../../src/bus/pmbus/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import {
  buildReadByte,
  buildReadWord,
  buildSendByte,
  buildWriteByte,
  buildWriteWord,
  slaveResponse,
  SmbusFrames,
} from '../../../../src/protocol/smbus/index.js';
import type { SmbusTransfer } from '../../../../src/protocol/smbus/index.js';

/** What went on the wire, copied at the call (the client's transfers are reused). */
interface Seen {
  readonly address: number;
  readonly write: number[];
  readonly read: SmbusTransfer['read'];
}

const snap = (t: SmbusTransfer): Seen => ({
  address: t.address,
  write: [...t.write],
  read: t.read === undefined ? undefined : { ...t.read },
});

/** Answers reads with `word` (low byte first) and the slave's PEC; records every transfer. */
function recorder(word = 0x1234): SyncSmbusAdapter & { seen: Seen[]; corrupt: boolean } {
  const a = {
    clockHz: 1_000_000,
    seen: [] as Seen[],
    corrupt: false,
    transferSync(t: SmbusTransfer): SmbusResult {
      a.seen.push(snap(t));
      if (t.read === undefined) return { data: new Uint8Array(0), busTimeUs: 40 };
      const n = t.read.kind === 'bytes' ? t.read.length - 1 : 0;
      const data = Uint8Array.from([word & 0xff, word >> 8].slice(0, n));
      const rx = slaveResponse(t.address, t.write, data);
      if (a.corrupt) rx[rx.length - 1] = rx[rx.length - 1]! ^ 0x5a;
      return { data: rx, busTimeUs: 60 };
    },
  };
  return a;
}

type Op =
  | { kind: 'readByte' | 'readWord' | 'sendByte'; address: number; command: number }
  | { kind: 'writeByte' | 'writeWord'; address: number; command: number; value: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('readByte' as const, 'readWord' as const, 'sendByte' as const),
    address: fc.integer({ min: 0, max: 0x7f }),
    command: fc.integer({ min: 0, max: 0xff }),
  }),
  fc.record({
    kind: fc.constant('writeByte' as const),
    address: fc.integer({ min: 0, max: 0x7f }),
    command: fc.integer({ min: 0, max: 0xff }),
    value: fc.integer({ min: 0, max: 0xff }),
  }),
  fc.record({
    kind: fc.constant('writeWord' as const),
    address: fc.integer({ min: 0, max: 0x7f }),
    command: fc.integer({ min: 0, max: 0xff }),
    value: fc.integer({ min: 0, max: 0xffff }),
  }),
);

/** The frame the allocating builders make for an op: the reference. */
function fresh(op: Op, pec: boolean): SmbusTransfer {
  switch (op.kind) {
    case 'readByte':
      return buildReadByte(op.address, op.command, pec);
    case 'readWord':
      return buildReadWord(op.address, op.command, pec);
    case 'sendByte':
      return buildSendByte(op.address, op.command, pec);
    case 'writeByte':
      return buildWriteByte(op.address, op.command, op.value, pec);
    case 'writeWord':
      return buildWriteWord(op.address, op.command, op.value, pec);
  }
}

function reused(f: SmbusFrames, op: Op): SmbusTransfer {
  switch (op.kind) {
    case 'readByte':
      return f.readByte(op.address, op.command);
    case 'readWord':
      return f.readWord(op.address, op.command);
    case 'sendByte':
      return f.sendByte(op.address, op.command);
    case 'writeByte':
      return f.writeByte(op.address, op.command, op.value);
    case 'writeWord':
      return f.writeWord(op.address, op.command, op.value);
  }
}

describe('SmbusFrames (reused transfers)', () => {
  it('any sequence of transactions gives the bytes and PEC of fresh builders, each time', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(opArb, { minLength: 1, maxLength: 30 }), (pec, ops) => {
        const f = new SmbusFrames(pec);
        for (const op of ops) expect(snap(reused(f, op))).toEqual(snap(fresh(op, pec)));
      }),
    );
  });

  it('a longer write then a shorter one leaves no stale byte or length behind', () => {
    const f = new SmbusFrames(true);
    const long = snap(f.writeWord(0x58, 0x21, 0xbeef));
    const short = snap(f.sendByte(0x59, 0x03));
    const byte = snap(f.writeByte(0x58, 0x10, 0x7f));
    expect(long.write).toEqual([
      0x21,
      0xef,
      0xbe,
      buildWriteWord(0x58, 0x21, 0xbeef, true).write[3],
    ]);
    // send byte: command and its own PEC, nothing of the word before it.
    expect(short.write).toEqual([...buildSendByte(0x59, 0x03, true).write]);
    expect(short.write).toHaveLength(2);
    expect(byte.write).toEqual([...buildWriteByte(0x58, 0x10, 0x7f, true).write]);
  });

  it('refuses out-of-range values as the builders do', () => {
    const f = new SmbusFrames(true);
    const code = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (e) {
        return isOrv3Error(e) ? e.code : e;
      }
      return undefined;
    };
    expect(code(() => f.writeWord(0x58, 0x21, 0x10000))).toBe(ErrorCode.CodecRange);
    expect(code(() => f.writeByte(0x58, 0x21, -1))).toBe(ErrorCode.CodecRange);
    expect(code(() => f.readWord(0x80, 0x21))).toBe(ErrorCode.CodecRange);
    expect(code(() => f.sendByte(0x58, 256))).toBe(ErrorCode.CodecRange);
    // A refused call does not disturb the frame the next call builds.
    expect(snap(f.writeWord(0x58, 0x21, 0x6400))).toEqual(
      snap(buildWriteWord(0x58, 0x21, 0x6400, true)),
    );
  });
});

describe('SyncPmbusClient', () => {
  it('puts the same frames on the wire as the builders, transaction after transaction', () => {
    const a = recorder();
    const c = new SyncPmbusClient(a);
    c.writeWord(0x58, 0x21, 0x6400);
    c.readByte(0x58, 0x20);
    c.sendByte(0x59, 0x03);
    c.readWord(0x59, 0x8b);
    c.writeByte(0x58, 0x10, 0x80);
    expect(a.seen).toEqual([
      snap(buildWriteWord(0x58, 0x21, 0x6400, true)),
      snap(buildReadByte(0x58, 0x20, true)),
      snap(buildSendByte(0x59, 0x03, true)),
      snap(buildReadWord(0x59, 0x8b, true)),
      snap(buildWriteByte(0x58, 0x10, 0x80, true)),
    ]);
  });

  it('parses byte and word answers and checks their PEC on every read', () => {
    const a = recorder(0xa55a);
    const c = new SyncPmbusClient(a);
    expect(c.readWord(0x58, 0x96)).toBe(0xa55a);
    expect(c.readByte(0x58, 0x20)).toBe(0x5a);
    a.corrupt = true;
    expect(() => c.readWord(0x58, 0x96)).toThrow(
      expect.objectContaining({ code: ErrorCode.PmbusPec }),
    );
    a.corrupt = false;
    // The next read after a PEC error is good again: nothing of the bad one lingers.
    expect(c.readWord(0x58, 0x96)).toBe(0xa55a);
    expect(c.counters(0x58)).toMatchObject({ transactions: 4, pecErrors: 1, badResponses: 0 });
    expect(c.takeBusTime()).toBe(4 * 60);
    expect(c.takeBusTime()).toBe(0);
  });

  it('without PEC sends no PEC byte and reads none', () => {
    const a = recorder(0x0102);
    a.transferSync = (t) => {
      a.seen.push(snap(t));
      return t.read === undefined
        ? { data: new Uint8Array(0), busTimeUs: 1 }
        : { data: Uint8Array.from([0x02, 0x01]), busTimeUs: 1 };
    };
    const c = new SyncPmbusClient(a, false);
    c.writeWord(0x58, 0x21, 0x6400);
    expect(c.readWord(0x58, 0x96)).toBe(0x0102);
    expect(a.seen).toEqual([
      snap(buildWriteWord(0x58, 0x21, 0x6400, false)),
      snap(buildReadWord(0x58, 0x96, false)),
    ]);
  });
});
