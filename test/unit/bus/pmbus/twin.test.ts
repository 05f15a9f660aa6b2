import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/errors.js';
import {
  buildReadBlock,
  buildReadWord,
  buildWriteWord,
  smbusTiming,
  transactionTimeUs,
  wordReadTimeUs,
} from '../../../../src/protocol/smbus/index.js';
import { bench, rejection, settle } from './fake-device.js';

const at400 = smbusTiming(400_000);

describe('SimulatedSmbusAdapter: NACKs', () => {
  it('NACKs an address nobody answers, after one byte of bus time', async () => {
    const { clock, client } = bench();
    const e = await rejection(clock, client.readWord(0x59, 0x88));
    expect(e.code).toBe(ErrorCode.PmbusNack);
    expect(e.context['phase']).toBe('address');
    const oneByte = transactionTimeUs({ writeBytes: 1, readBytes: 0 }, at400);
    expect(clock.nowMs()).toBeCloseTo(oneByte / 1000, 12);
    expect(client.counters(0x59)).toMatchObject({ transactions: 1, nacks: 1 });
    expect(client.counters(0x59).busTimeUs).toBeCloseTo(oneByte, 9);
  });

  it('NACKs the address of a device that is off the bus', async () => {
    const { clock, client, dev } = bench();
    dev.responding = false;
    const e = await rejection(clock, client.readWord(0x58, 0x88));
    expect(e.context['phase']).toBe('address');
    expect(dev.log).toEqual([]);
  });

  it('NACKs a write whose PEC is wrong and the device does not act on it', async () => {
    const { clock, twin, dev } = bench();
    const good = buildWriteWord(0x58, 0x21, 0x6400, true);
    const bad = { ...good, write: Uint8Array.from(good.write) };
    bad.write[3] = bad.write[3]! ^ 0x01;
    const e = await rejection(clock, twin.transfer(bad));
    expect(e.code).toBe(ErrorCode.PmbusNack);
    expect(e.context['phase']).toBe('data');
    expect(dev.words.get(0x21)).toBeUndefined();
    expect(dev.pecFailures).toEqual([0x21]);
    // The same write with its PEC intact goes through.
    await settle(clock, twin.transfer(good));
    expect(dev.words.get(0x21)).toBe(0x6400);
  });

  it('takes writes without PEC unless the bus requires it', async () => {
    const open = bench({}, { pec: false });
    await settle(open.clock, open.client.writeWord(0x58, 0x21, 0x6000));
    expect(open.dev.words.get(0x21)).toBe(0x6000);
    const strict = bench({ requirePec: true }, { pec: false });
    const e = await rejection(strict.clock, strict.client.writeWord(0x58, 0x21, 0x6000));
    expect(e.code).toBe(ErrorCode.PmbusNack);
    expect(strict.dev.words.get(0x21)).toBeUndefined();
  });

  it('NACKs an unsupported command on the command byte and a refused value on the data', async () => {
    const { clock, client, dev } = bench();
    const e1 = await rejection(clock, client.readWord(0x58, 0xfe));
    expect(e1.context['phase']).toBe('command');
    expect(e1.context['busTimeUs']).toBeCloseTo(
      transactionTimeUs({ writeBytes: 2, readBytes: 0 }, at400),
      9,
    );
    const e2 = await rejection(clock, client.writeWord(0x58, 0x88, 1)); // READ_VIN is read-only
    expect(e2.context['phase']).toBe('command');
    dev.refuse.add(7);
    const e3 = await rejection(clock, client.writeWord(0x58, 0x21, 7));
    expect(e3.context['phase']).toBe('data');
    expect(e3.context['busTimeUs']).toBeCloseTo(
      transactionTimeUs({ writeBytes: 5, readBytes: 0 }, at400),
      9,
    );
    expect(client.counters(0x58)).toMatchObject({ transactions: 3, nacks: 3 });
  });
});

describe('SimulatedSmbusAdapter: bus time on the clock', () => {
  it('charges a word read exactly the model (138.7 µs at 400 kHz with PEC)', async () => {
    const { clock, client, dev } = bench();
    dev.words.set(0x88, 0xfa2a);
    const p = client.readWord(0x58, 0x88);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(clock.nextDueMs()).toBeCloseTo(0.1387, 12);
    await clock.advanceAsync(0.1386);
    let done = false;
    void p.then(() => (done = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(done).toBe(false); // not before its wire time
    await clock.advanceAsync(0.001);
    expect(await p).toBe(0xfa2a);
    expect(client.counters(0x58).busTimeUs).toBeCloseTo(wordReadTimeUs(400_000), 9);
  });

  it('serialises transactions: 10 reads at 1 MHz end at 10 × 55.54 µs', async () => {
    const { clock, client } = bench({ clockHz: 1_000_000 });
    const all = Promise.all(Array.from({ length: 10 }, () => client.readWord(0x58, 0x88)));
    await settle(clock, all);
    expect(clock.nowMs()).toBeCloseTo((10 * 55.54) / 1000, 9);
    expect(client.counters(0x58).busTimeUs).toBeCloseTo(555.4, 6);
    expect(client.clockHz).toBe(1_000_000);
  });

  it('adds clock stretching from the timing overrides', async () => {
    const { clock, client } = bench({ timing: { stretchUs: 100 } });
    await settle(clock, client.readWord(0x58, 0x88));
    expect(clock.nowMs()).toBeCloseTo((wordReadTimeUs(400_000) + 100) / 1000, 12);
  });
});

describe('SimulatedSmbusAdapter: block reads', () => {
  it('returns count, data and PEC, and charges the bytes the count implied', async () => {
    const { clock, twin, dev } = bench();
    dev.blocks.set(0x99, new TextEncoder().encode('ORV3GW-SIM'));
    const r = await settle(clock, twin.transfer(buildReadBlock(0x58, 0x99, true)));
    expect(r.data.length).toBe(1 + 10 + 1);
    expect(r.data[0]).toBe(10);
    expect(r.busTimeUs).toBeCloseTo(
      transactionTimeUs({ writeBytes: 2, readBytes: 1 + 12 }, at400),
      9,
    );
  });

  it('stops after a count above the master limit (SMBus 2.0: 32) with a bad response', async () => {
    const { clock, twin, dev } = bench();
    dev.blocks.set(0x99, new Uint8Array(40).fill(0x41));
    const e = await rejection(clock, twin.transfer(buildReadBlock(0x58, 0x99, true, 32)));
    expect(e.code).toBe(ErrorCode.PmbusBadResponse);
    expect(e.context['busTimeUs']).toBeCloseTo(
      transactionTimeUs({ writeBytes: 2, readBytes: 2 }, at400),
      9,
    );
    const ok = await settle(clock, twin.transfer(buildReadBlock(0x58, 0x99, true, 255)));
    expect(ok.data.length).toBe(42);
  });

  it('pads with 0xFF when the master reads past what the slave sends', async () => {
    const { clock, twin, dev } = bench();
    dev.words.set(0x88, 0x1234);
    const t = { ...buildReadWord(0x58, 0x88, true), read: { kind: 'bytes' as const, length: 5 } };
    const r = await settle(clock, twin.transfer(t));
    expect([...r.data.subarray(0, 2)]).toEqual([0x34, 0x12]);
    expect([...r.data.subarray(3)]).toEqual([0xff, 0xff]);
  });

  it('refuses transactions after close', async () => {
    const { clock, twin } = bench();
    await twin.close();
    const e = await rejection(clock, twin.transfer(buildReadWord(0x58, 0x88, true)));
    expect(e.code).toBe(ErrorCode.TransportClosed);
    expect(twin.stats.transactions).toBe(0);
  });
});
