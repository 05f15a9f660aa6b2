import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.js';
import {
  decodePmbus,
  encodeLinear11,
  encodeLinear16,
  encodePmbus,
  loadBuiltinMaps,
} from '../../../../src/regmap/index.js';
import { bench, rejection, settle } from './fake-device.js';

const std = loadBuiltinMaps().pmbus['pmbus-psu'].byName;
const def = (name: string) => std.get(name)!;

describe('SmbusPmbusClient: values end to end through the twin', () => {
  it('decodes LINEAR11 and LINEAR16 from a fake device', async () => {
    const { clock, client, dev } = bench();
    dev.words.set(0x88, encodeLinear11(277.5));
    dev.words.set(0x96, encodeLinear11(4650)); // LINEAR11 keeps 581 × 2³ = 4648 W
    dev.bytes.set(0x20, 0x17);
    dev.words.set(0x8b, encodeLinear16(50.25, -9));
    const vin = await settle(clock, client.readWord(0x58, 0x88));
    expect(decodePmbus(def('READ_VIN'), vin)).toBe(277.5);
    const pout = await settle(clock, client.readWord(0x58, 0x96));
    expect(decodePmbus(def('READ_POUT'), pout)).toBe(4648);
    const voutMode = await settle(clock, client.readByte(0x58, 0x20));
    const vout = await settle(clock, client.readWord(0x58, 0x8b));
    expect(decodePmbus(def('READ_VOUT'), vout, { voutMode })).toBe(50.25);
  });

  it('writes a LINEAR16 setpoint, a block and a send byte the device sees as sent', async () => {
    const { clock, client, dev } = bench();
    const raw = encodePmbus(def('VOUT_COMMAND'), 50, { voutMode: 0x17 }) as number;
    await settle(clock, client.writeWord(0x58, 0x21, raw));
    expect(dev.words.get(0x21)).toBe(0x6400);
    await settle(clock, client.writeBlock(0x58, 0x99, new TextEncoder().encode('ACME')));
    expect(new TextDecoder().decode(await settle(clock, client.readBlock(0x58, 0x99)))).toBe(
      'ACME',
    );
    await settle(clock, client.sendByte(0x58, 0x03));
    expect(dev.log).toContain('sendByte 0x3');
    expect(client.counters(0x58)).toMatchObject({ transactions: 4, nacks: 0, pecErrors: 0 });
    expect(client.addresses()).toEqual([0x58]);
  });
});

describe('SmbusPmbusClient: a corrupted byte is never data', () => {
  it('detects every single-bit flip in every byte of a word read response', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 2 }), // lo, hi, PEC
        fc.integer({ min: 0, max: 7 }),
        async (word, index, bit) => {
          const { clock, client, dev } = bench({
            corruptResponse: (_a, _c, r) => void (r[index] = r[index]! ^ (1 << bit)),
          });
          dev.words.set(0x88, word);
          const e = await rejection(clock, client.readWord(0x58, 0x88));
          expect(e.code).toBe(ErrorCode.PmbusPec);
          expect(client.counters(0x58).pecErrors).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('detects every single-bit flip in a block read: count, data and PEC', async () => {
    const text = new TextEncoder().encode('SIMHPRPSU00000');
    for (let index = 0; index < text.length + 2; index++) {
      for (let bit = 0; bit < 8; bit++) {
        const { clock, client, dev } = bench({
          corruptResponse: (_a, _c, r) => void (r[index] = r[index]! ^ (1 << bit)),
        });
        dev.blocks.set(0x99, text);
        const e = await rejection(clock, client.readBlock(0x58, 0x99));
        // A flipped count changes how many bytes the master clocks in; the PEC then falls on
        // another byte, or the count exceeds what the device can send (0xFF padding).
        expect([ErrorCode.PmbusPec, ErrorCode.PmbusBadResponse]).toContain(e.code);
      }
    }
  });

  it('repeats a read after a PEC error when asked, never a write', async () => {
    let faults = 1;
    const { clock, client, dev } = bench({
      corruptResponse: (_a, _c, r) => {
        if (faults-- > 0) r[0] = r[0]! ^ 0x10;
      },
    });
    dev.words.set(0x88, 0x1234);
    expect(await settle(clock, client.readWord(0x58, 0x88, { retries: 1 }))).toBe(0x1234);
    expect(client.counters(0x58)).toMatchObject({ transactions: 2, pecErrors: 1, retries: 1 });
    // A NACK is an answer, not a fault: no retry.
    await rejection(clock, client.readWord(0x58, 0xfe, { retries: 3 }));
    expect(client.counters(0x58)).toMatchObject({ transactions: 3, nacks: 1, retries: 1 });
    dev.refuse.add(9);
    await rejection(clock, client.writeWord(0x58, 0x21, 9, { retries: 3 }));
    expect(client.counters(0x58)).toMatchObject({ transactions: 4, nacks: 2, retries: 1 });
  });
});

describe('SmbusPmbusClient: PAGE', () => {
  it('writes PAGE only when it changes', async () => {
    const { clock, client, dev } = bench();
    dev.words.set(0x88, 100);
    dev.words.set(256 + 0x88, 101);
    const read = () => client.readWord(0x58, 0x88);
    expect(await settle(clock, client.withPage(0x58, 1, read))).toBe(101);
    expect(await settle(clock, client.withPage(0x58, 1, read))).toBe(101);
    expect(await settle(clock, client.withPage(0x58, 0, read))).toBe(100);
    expect(dev.log.filter((l) => l.startsWith('writeByte 0x0 '))).toEqual([
      'writeByte 0x0 1',
      'writeByte 0x0 0',
    ]);
    expect(client.cachedPage(0x58)).toBe(0);
  });

  it('keeps concurrent callers on different pages from interleaving', async () => {
    const { clock, client, dev } = bench();
    dev.words.set(0x88, 100);
    dev.words.set(256 + 0x88, 101);
    const twice = async () => [
      await client.readWord(0x58, 0x88),
      await client.readWord(0x58, 0x88),
    ];
    const all = Promise.all([
      client.withPage(0x58, 1, twice),
      client.withPage(0x58, 0, twice),
      client.withPage(0x58, 1, twice),
    ]);
    expect(await settle(clock, all)).toEqual([
      [101, 101],
      [100, 100],
      [101, 101],
    ]);
  });

  it('forgets the page after a failed PAGE write, an address NACK or invalidatePage()', async () => {
    const { clock, client, dev } = bench();
    await settle(
      clock,
      client.withPage(0x58, 1, async () => undefined),
    );
    dev.refuse.add(2);
    await rejection(
      clock,
      client.withPage(0x58, 2, async () => undefined),
    );
    expect(client.cachedPage(0x58)).toBeUndefined();
    await settle(
      clock,
      client.withPage(0x58, 1, async () => undefined),
    );
    dev.responding = false;
    await rejection(clock, client.readWord(0x58, 0x88));
    expect(client.cachedPage(0x58)).toBeUndefined();
    dev.responding = true;
    await settle(
      clock,
      client.withPage(0x58, 1, async () => undefined),
    );
    client.invalidatePage(0x58);
    expect(client.cachedPage(0x58)).toBeUndefined();
    await expect(client.withPage(0x58, 256, async () => 1)).rejects.toThrow(/page/);
  });
});

describe('SmbusPmbusClient: one transaction at a time, control first', () => {
  it('puts a control write ahead of waiting telemetry', async () => {
    const { clock, client, dev } = bench();
    const reads = [0, 1, 2].map(() => client.readWord(0x58, 0x88));
    const write = client.writeWord(0x58, 0x21, 0x6400);
    await settle(clock, Promise.all([...reads, write]));
    expect(dev.log).toEqual([
      'readWord 0x88 p0', // already on the bus when the write arrived
      'writeWord 0x21 25600',
      'readWord 0x88 p0',
      'readWord 0x88 p0',
    ]);
  });

  it('when full, drops the newest lower-priority job for a control write, else refuses', async () => {
    const { clock, client, dev } = bench({}, { maxQueue: 2 });
    const first = client.readWord(0x58, 0x88); // on the bus
    const waiting = [client.readWord(0x58, 0x88), client.readWord(0x58, 0x88)];
    expect(client.queued).toBe(2);
    const over = await rejection(clock, client.readWord(0x58, 0x88));
    expect(over.code).toBe(ErrorCode.QueueOverflow);
    const write = client.writeWord(0x58, 0x21, 1);
    expect((await rejection(clock, waiting[1]!)).code).toBe(ErrorCode.QueueOverflow);
    await settle(clock, Promise.all([first, waiting[0]!, write]));
    expect(dev.log.filter((l) => l.startsWith('write'))).toEqual(['writeWord 0x21 1']);
  });

  it('rejects waiting work on close and refuses new work after', async () => {
    const { clock, client } = bench();
    const first = client.readWord(0x58, 0x88); // on the bus
    const waiting = [client.readWord(0x58, 0x88), client.readWord(0x58, 0x88)];
    const closing = client.close();
    for (const w of waiting)
      expect((await rejection(clock, w)).code).toBe(ErrorCode.TransportClosed);
    await settle(clock, Promise.all([first, closing]));
    expect((await rejection(clock, client.readWord(0x58, 0x88))).code).toBe(
      ErrorCode.TransportClosed,
    );
  });
});
