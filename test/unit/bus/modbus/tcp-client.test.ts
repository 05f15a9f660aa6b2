/** ModbusTcpClient against a tiny in-test Modbus TCP server (real sockets, real time). */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { RealClock } from '../../../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { ModbusExceptionError, ModbusTcpClient } from '../../../../src/bus/modbus/index.js';
import {
  MbapStreamSplitter,
  decodeRequestPdu,
  encodeTcpResponse,
  type ModbusRequest,
  type ModbusResponse,
} from '../../../../src/protocol/modbus/index.js';
import { rejection } from './fake-slave.js';

type Behaviour = (
  req: ModbusRequest,
  n: number,
  sock: Socket,
) => 'answer' | 'silent' | 'drop' | 'garbage' | 'exception' | { delayMs: number };

interface TestServer {
  readonly port: number;
  readonly server: Server;
  behaviour: Behaviour;
  requests: number;
  connections: number;
}

const servers: Server[] = [];
const clients: ModbusTcpClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

function answer(req: ModbusRequest): ModbusResponse {
  switch (req.fc) {
    case 0x03:
    case 0x04:
      return {
        kind: 'read',
        fc: req.fc,
        values: Uint16Array.from({ length: req.count }, (_, i) => req.start + i),
      };
    case 0x06:
      return { kind: 'writeSingle', fc: 0x06, address: req.address, value: req.value };
    case 0x10:
      return { kind: 'writeMultiple', fc: 0x10, start: req.start, count: req.values.length };
  }
}

async function startServer(): Promise<TestServer> {
  const ts: TestServer = {
    port: 0,
    server: createServer(),
    behaviour: () => 'answer',
    requests: 0,
    connections: 0,
  };
  ts.server.on('connection', (sock) => {
    ts.connections++;
    const splitter = new MbapStreamSplitter();
    sock.on('error', () => undefined);
    sock.on('data', (chunk) => {
      for (const ev of splitter.push(new Uint8Array(chunk))) {
        if (ev.type !== 'frame') continue;
        const req = decodeRequestPdu(ev.frame.pdu);
        const how = ts.behaviour(req, ts.requests++, sock);
        const reply = (resp: ModbusResponse) =>
          sock.write(encodeTcpResponse(ev.frame.transactionId, ev.frame.unit, resp));
        if (how === 'answer') reply(answer(req));
        else if (how === 'exception') reply({ kind: 'exception', fc: req.fc, exceptionCode: 2 });
        else if (how === 'drop') sock.destroy();
        else if (how === 'garbage') sock.write(Uint8Array.of(0, 1, 0xff, 0xff, 0, 3, 1, 0x83, 2));
        else if (how !== 'silent') setTimeout(() => reply(answer(req)), how.delayMs);
      }
    });
  });
  await new Promise<void>((r) => ts.server.listen(0, '127.0.0.1', r));
  const addr = ts.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  servers.push(ts.server);
  return Object.assign(ts, { port: addr.port });
}

function client(port: number): ModbusTcpClient {
  const c = new ModbusTcpClient({
    clock: new RealClock(),
    host: '127.0.0.1',
    port,
    timeoutMs: 100,
    reconnectBackoffMs: 10,
  });
  clients.push(c);
  return c;
}

describe('ModbusTcpClient', () => {
  it('reads and writes over MBAP, one connection, counters per unit', async () => {
    const ts = await startServer();
    const c = client(ts.port);
    expect([...(await c.readHoldingRegisters(201, 10, 3))]).toEqual([10, 11, 12]);
    expect([...(await c.readInputRegisters(64, 0, 1))]).toEqual([0]);
    await c.writeSingleRegister(64, 305, 30);
    await c.writeMultipleRegisters(64, 302, [1, 2]);
    const many = await Promise.all([1, 2, 3, 4].map((u) => c.readHoldingRegisters(u, u, 1)));
    expect(many.map((v) => v[0])).toEqual([1, 2, 3, 4]);
    expect(c.counters(64)).toMatchObject({ requests: 3, responses: 3 });
    expect(ts.connections).toBe(1);
    expect(c.transport).toBe('tcp');
  });

  it('exception responses become ModbusExceptionError', async () => {
    const ts = await startServer();
    ts.behaviour = () => 'exception';
    const e = await rejection(client(ts.port).readHoldingRegisters(1, 9999, 1));
    expect(e).toBeInstanceOf(ModbusExceptionError);
    expect(e).toMatchObject({ exceptionCode: 2, code: ErrorCode.ModbusException });
  });

  it('a late answer carries an old transaction id: counted, ignored, the next request is right', async () => {
    const ts = await startServer();
    ts.behaviour = (_r, n) => (n === 0 ? { delayMs: 150 } : n === 1 ? { delayMs: 80 } : 'answer');
    const c = client(ts.port);
    const e = await rejection(c.readHoldingRegisters(1, 0, 1, { retries: 0 }));
    expect(isOrv3Error(e, ErrorCode.ModbusTimeout)).toBe(true);
    expect([...(await c.readHoldingRegisters(1, 40, 1))]).toEqual([40]);
    expect(c.counters(1)).toMatchObject({ timeouts: 1, badFrames: 1, responses: 1 });
  });

  it('reconnects after the server drops the connection; reads retry, writes report it', async () => {
    const ts = await startServer();
    const c = client(ts.port);
    ts.behaviour = (_r, n) => (n === 0 ? 'drop' : 'answer');
    expect([...(await c.readHoldingRegisters(1, 5, 1))]).toEqual([5]);
    expect(c.counters(1)).toMatchObject({ requests: 2, retries: 1 });
    ts.behaviour = (_r, n) => (n === 1 ? 'drop' : 'answer');
    ts.requests = 1;
    const e = await rejection(c.writeSingleRegister(1, 5, 5));
    expect(isOrv3Error(e, ErrorCode.TransportIo)).toBe(true);
    await c.writeSingleRegister(1, 5, 5);
    expect(c.connects).toBe(3);
  });

  it('a corrupt MBAP header drops the stream; the read is retried on a fresh connection', async () => {
    const ts = await startServer();
    ts.behaviour = (_r, n) => (n === 0 ? 'garbage' : 'answer');
    const c = client(ts.port);
    expect([...(await c.readHoldingRegisters(1, 8, 1))]).toEqual([8]);
    expect(c.counters(1)).toMatchObject({ badFrames: 1, retries: 1 });
    expect(ts.connections).toBe(2);
  });

  it('nobody listening: TransportIo after retries; close() rejects what waits', async () => {
    const ts = await startServer();
    const port = ts.port;
    await new Promise((r) => ts.server.close(r));
    servers.splice(0);
    const c = client(port);
    const e = await rejection(c.readHoldingRegisters(1, 0, 1));
    expect(isOrv3Error(e, ErrorCode.TransportIo)).toBe(true);
    expect(c.counters(1)).toMatchObject({ requests: 3, retries: 2 });
    const pending = c.readHoldingRegisters(1, 0, 1);
    await c.close();
    expect(isOrv3Error(await rejection(pending), ErrorCode.TransportClosed)).toBe(true);
  });
});
