import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { I2cDevAdapter, openI2cDev, SmbusPmbusClient } from '../../../../src/bus/pmbus/index.js';
import type { I2cBusLike } from '../../../../src/bus/pmbus/index.js';
import { slaveResponse } from '../../../../src/protocol/smbus/index.js';

/** i2c-bus's promisified API as a recorder: readI2cBlock answers from `reply`, 0.2 ms a call. */
class FakeI2cBus implements I2cBusLike {
  readonly calls: string[] = [];
  reply: (address: number, command: number) => number[] = () => [];
  fail: string | undefined;
  constructor(private readonly clock: VirtualClock) {}

  private step(call: string): void {
    this.calls.push(call);
    this.clock.advance(0.2);
    if (this.fail !== undefined) {
      throw Object.assign(new Error(`${this.fail}, fake`), { code: this.fail });
    }
  }

  async i2cWrite(address: number, length: number, buffer: Buffer) {
    this.step(`i2cWrite ${address} [${[...buffer.subarray(0, length)].join(',')}]`);
    return { bytesWritten: length };
  }

  async writeI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    this.step(`writeI2cBlock ${address} ${command} [${[...buffer.subarray(0, length)].join(',')}]`);
    return { bytesWritten: length };
  }

  async sendByte(address: number, byte: number) {
    this.step(`sendByte ${address} ${byte}`);
  }

  async readI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    this.step(`readI2cBlock ${address} ${command} ${length}`);
    const r = this.reply(address, command);
    buffer.fill(0xff);
    Buffer.from(r.slice(0, length)).copy(buffer);
    return { bytesRead: length };
  }

  async close() {
    this.calls.push('close');
  }
}

function rig(writeVia: 'i2c' | 'smbus' = 'i2c') {
  const clock = new VirtualClock();
  const bus = new FakeI2cBus(clock);
  const adapter = new I2cDevAdapter(bus, { clock, writeVia });
  return { clock, bus, adapter, client: new SmbusPmbusClient(adapter) };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isOrv3Error(e)
      ? `${e.code}${e.context['phase'] ? `/${String(e.context['phase'])}` : ''}`
      : 'other';
  }
  return undefined;
}

describe('I2cDevAdapter over i2c-bus', () => {
  it('reads a word with one I2C block read of data + PEC (repeated start by the kernel)', async () => {
    const { bus, client } = rig();
    bus.reply = (a, c) => [...slaveResponse(a, Uint8Array.of(c), Uint8Array.of(0x2a, 0xfa))];
    expect(await client.readWord(0x58, 0x88)).toBe(0xfa2a);
    expect(bus.calls).toEqual(['readI2cBlock 88 136 3']);
    expect(client.counters(0x58).busTimeUs).toBeCloseTo(200, 6); // measured on the clock
  });

  it('rejects a response with a wrong PEC', async () => {
    const { bus, client } = rig();
    bus.reply = () => [0x2a, 0xfa, 0x06];
    expect(await codeOf(client.readWord(0x58, 0x88))).toBe(ErrorCode.PmbusPec);
    expect(client.counters(0x58).pecErrors).toBe(1);
  });

  it('writes command, data and software PEC as one plain I2C write, or as an I2C block', async () => {
    const a = rig('i2c');
    await a.client.writeWord(0x58, 0x21, 0x6400);
    expect(a.bus.calls).toEqual(['i2cWrite 88 [33,0,100,139]']); // 0x21 00 64, PEC 0x8B
    const b = rig('smbus');
    await b.client.writeWord(0x58, 0x21, 0x6400);
    expect(b.bus.calls).toEqual(['writeI2cBlock 88 33 [0,100,139]']);
    const c = new SmbusPmbusClient(b.adapter, { pec: false });
    await c.sendByte(0x58, 0x03);
    expect(b.bus.calls.at(-1)).toBe('sendByte 88 3');
  });

  it('reads a block by its count within one 32-byte I2C block read', async () => {
    const { bus, client } = rig();
    const text = new TextEncoder().encode('SIMHPRPSU00000');
    bus.reply = (a, c) => [
      ...slaveResponse(a, Uint8Array.of(c), Uint8Array.of(text.length, ...text)),
    ];
    expect(new TextDecoder().decode(await client.readBlock(0x58, 0x9e))).toBe('SIMHPRPSU00000');
    expect(bus.calls).toEqual(['readI2cBlock 88 158 32']);
    // 31 data bytes + count + PEC = 33: more than i2c-bus can fetch without I2C_M_RECV_LEN.
    const long = new Uint8Array(31).fill(0x41);
    bus.reply = (a, c) => [...slaveResponse(a, Uint8Array.of(c), Uint8Array.of(31, ...long))];
    expect(await codeOf(client.readBlock(0x58, 0x9e))).toBe(ErrorCode.PmbusBadResponse);
  });

  it('maps kernel fault codes: ENXIO address NACK, EREMOTEIO data NACK, EPROTO, EIO', async () => {
    const { bus, client } = rig();
    bus.fail = 'ENXIO';
    expect(await codeOf(client.readWord(0x58, 0x88))).toBe(`${ErrorCode.PmbusNack}/address`);
    bus.fail = 'EREMOTEIO';
    expect(await codeOf(client.writeByte(0x58, 0x00, 1))).toBe(`${ErrorCode.PmbusNack}/data`);
    bus.fail = 'EPROTO';
    expect(await codeOf(client.readBlock(0x58, 0x99))).toBe(ErrorCode.PmbusBadResponse);
    bus.fail = 'EIO';
    expect(await codeOf(client.readWord(0x58, 0x88))).toBe(ErrorCode.TransportIo);
    expect(client.counters(0x58)).toMatchObject({ transactions: 4, nacks: 2, badResponses: 1 });
    expect(client.counters(0x58).busTimeUs).toBeCloseTo(800, 6);
  });

  it('closes the bus once and refuses transfers after', async () => {
    const { bus, adapter, client } = rig();
    await client.close();
    await adapter.close();
    expect(bus.calls).toEqual(['close']);
    expect(await codeOf(adapter.transfer({ address: 0x58, write: Uint8Array.of(3) }))).toBe(
      ErrorCode.TransportClosed,
    );
  });

  it('openI2cDev names the missing device file instead of failing at the first transfer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'no-i2c-'));
    const e = await openI2cDev({ bus: 7, devDir: dir, clock: new VirtualClock() }).catch((x) => x);
    expect(isOrv3Error(e, ErrorCode.TransportIo)).toBe(true);
    expect(String(e.message)).toContain(`${dir}/i2c-7`);
  });
});
