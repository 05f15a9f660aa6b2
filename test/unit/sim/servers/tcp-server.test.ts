import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import {
  MbapStreamSplitter,
  decodeResponsePdu,
  encodeTcpAdu,
  encodeTcpRequest,
  type ModbusResponse,
} from '../../../../src/protocol/modbus/index.js';
import { ModbusTcpServer } from '../../../../sim/servers/index.js';
import { rig, words, type Rig } from '../facade/fixture.js';

interface Conn {
  socket: Socket;
  /** Resolves with the next `n` responses (transaction id, unit, decoded PDU). */
  next(n: number): Promise<{ tid: number; unit: number; resp: ModbusResponse }[]>;
  closed: Promise<void>;
}

async function open(port: number): Promise<Conn> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const splitter = new MbapStreamSplitter();
  const got: { tid: number; unit: number; resp: ModbusResponse }[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    for (const ev of splitter.push(new Uint8Array(d))) {
      if (ev.type !== 'frame') throw ev.error;
      got.push({
        tid: ev.frame.transactionId,
        unit: ev.frame.unit,
        resp: decodeResponsePdu(ev.frame.pdu),
      });
    }
    wake?.();
  });
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  return {
    socket,
    closed,
    next: async (n) => {
      while (got.length < n) await new Promise<void>((r) => (wake = r));
      return got.splice(0, n);
    },
  };
}

describe('ModbusTcpServer', () => {
  let r: Rig;
  let server: ModbusTcpServer;
  let port: number;

  beforeEach(async () => {
    r = rig('orv3-18kw');
    server = new ModbusTcpServer(r.dir);
    port = (await server.listen(0)).port;
  });
  afterEach(() => server.close());

  it('uses the unit id as the device address and echoes the transaction id', async () => {
    const c = await open(port);
    c.socket.write(
      encodeTcpRequest(0x1234, r.bbu.modbusAddress, { fc: 0x04, start: 126, count: 1 }),
    );
    const [got] = await c.next(1);
    expect(got).toEqual({
      tid: 0x1234,
      unit: r.bbu.modbusAddress,
      resp: { kind: 'read', fc: 4, values: words(r.bbu, 'Relative_State_Of_Charge') },
    });
    c.socket.destroy();
  });

  it('answers pipelined requests in order, and requests split across segments', async () => {
    const c = await open(port);
    const a = encodeTcpRequest(1, r.psu.modbusAddress, { fc: 0x03, start: 79, count: 2 });
    const b = encodeTcpRequest(2, r.psu.modbusAddress, {
      fc: 0x06,
      address: 96, // Fan_Duty_Cycle_Override: locked, acknowledged and ignored
      value: 50,
    });
    const both = new Uint8Array([...a, ...b]);
    c.socket.write(both.subarray(0, 10));
    await new Promise((res) => setTimeout(res, 20));
    c.socket.write(both.subarray(10));
    const got = await c.next(2);
    expect(got.map((g) => g.tid)).toEqual([1, 2]);
    expect(got[1]!.resp).toEqual({ kind: 'writeSingle', fc: 6, address: 96, value: 50 });
    expect(server.counters).toMatchObject({ frames: 2, responses: 2, exceptions: 0 });
    c.socket.destroy();
  });

  it('answers 0x0B for a unit id with no device behind it', async () => {
    const c = await open(port);
    for (const [tid, unit] of [
      [1, 17],
      [2, 0],
      [3, 255],
    ] as const) {
      c.socket.write(encodeTcpRequest(tid, unit, { fc: 0x03, start: 0, count: 1 }));
    }
    const got = await c.next(3);
    for (const g of got) expect(g.resp).toEqual({ kind: 'exception', fc: 3, exceptionCode: 0x0b });
    expect(server.counters.unknownUnits).toBe(3);
    c.socket.destroy();
  });

  it('answers 0x0B for a device that is not responding', async () => {
    const set = {
      modbus: () => ({
        responding: false,
        readHoldingRegisters: (_s: number, n: number) => new Uint16Array(n),
        readInputRegisters: (_s: number, n: number) => new Uint16Array(n),
        writeSingleRegister: () => undefined,
        writeMultipleRegisters: () => undefined,
      }),
      list: () => [{ modbusAddress: 9 }],
    };
    const s = new ModbusTcpServer(set);
    const p = (await s.listen(0)).port;
    const c = await open(p);
    c.socket.write(encodeTcpRequest(7, 9, { fc: 0x03, start: 0, count: 1 }));
    expect((await c.next(1))[0]!.resp).toMatchObject({ exceptionCode: 0x0b });
    expect(s.device(9)).toMatchObject({ requests: 1, noResponse: 1, exceptions: 1 });
    c.socket.destroy();
    await s.close();
  });

  it('answers the device exceptions 01/02/03', async () => {
    const c = await open(port);
    const unit = r.psu.modbusAddress;
    c.socket.write(encodeTcpAdu(1, unit, Uint8Array.of(0x2b, 0x0e, 0x01, 0x00)));
    c.socket.write(encodeTcpRequest(2, unit, { fc: 0x03, start: 58, count: 1 }));
    c.socket.write(encodeTcpAdu(3, unit, Uint8Array.of(0x03, 0, 79, 0, 126)));
    const got = await c.next(3);
    expect(got.map((g) => g.resp)).toEqual([
      { kind: 'exception', fc: 0x2b, exceptionCode: 1 },
      { kind: 'exception', fc: 3, exceptionCode: 2 },
      { kind: 'exception', fc: 3, exceptionCode: 3 },
    ]);
    expect(server.device(unit).exceptionCodes).toEqual({ 1: 1, 2: 1, 3: 1 });
    c.socket.destroy();
  });

  it('closes a connection whose MBAP header has a wrong protocol id', async () => {
    const c = await open(port);
    const bad = encodeTcpRequest(1, r.psu.modbusAddress, { fc: 0x03, start: 79, count: 1 });
    bad[3] = 1;
    c.socket.write(bad);
    await c.closed;
    expect(server.counters).toMatchObject({ badHeaders: 1, open: 0, connections: 1 });
  });

  it('close() drops open connections', async () => {
    const c = await open(port);
    await server.close();
    await c.closed;
  });
});
