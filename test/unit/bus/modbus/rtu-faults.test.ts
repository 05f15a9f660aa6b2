/** Fault handling of ModbusRtuClient (issue 3 acceptance: each counted, surfaced, recovered). */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import {
  ModbusExceptionError,
  ModbusRtuClient,
  SimulatedLine,
  type RtuClientOptions,
} from '../../../../src/bus/modbus/index.js';
import { encodeRtuResponse } from '../../../../src/protocol/modbus/index.js';
import { FakeSlaves, rejection, run } from './fake-slave.js';

type Extra = Partial<Omit<RtuClientOptions, 'clock' | 'line'>>;

function setup(extra: Extra = {}) {
  const clock = new VirtualClock();
  const slaves = new FakeSlaves([1, 2], () => clock.nowMs());
  const line = new SimulatedLine({ clock, baudRate: 19200, endpoint: slaves.endpoint });
  const client = new ModbusRtuClient({ clock, line, ...extra });
  return { clock, slaves, line, client };
}

const TIMEOUT_1REG = 100 + 12.604; // base + modelled transaction of a 1-register read/write

describe('ModbusRtuClient faults', () => {
  it('timeouts: reads retry with exponential backoff, writes never retry', async () => {
    const { clock, client, slaves, line } = setup({ lateResponseGuardMs: 0 });
    slaves.fault = () => null;
    const e = await rejection(run(clock, client.readHoldingRegisters(1, 0, 1, { retries: 2 })));
    expect(isOrv3Error(e, ErrorCode.ModbusTimeout)).toBe(true);
    expect(client.counters(1)).toMatchObject({
      requests: 3,
      timeouts: 3,
      retries: 2,
      responses: 0,
    });
    const starts = line.transcript.map((r) => r.startUs / 1000);
    expect(starts[1]! - starts[0]!).toBeCloseTo(TIMEOUT_1REG + 10, 2); // backoff 10 ms
    expect(starts[2]! - starts[1]!).toBeCloseTo(TIMEOUT_1REG + 20, 2); // then 20 ms

    const w = await rejection(run(clock, client.writeSingleRegister(2, 0, 1, { retries: 5 })));
    expect(isOrv3Error(w, ErrorCode.ModbusTimeout)).toBe(true);
    expect(client.counters(2)).toMatchObject({ requests: 1, timeouts: 1, retries: 0 });
  });

  it('exception responses become ModbusExceptionError, not retried (0B is, for reads)', async () => {
    const { clock, client, slaves } = setup();
    slaves.fault = (s) =>
      encodeRtuResponse(s.unit, { kind: 'exception', fc: s.request.fc, exceptionCode: 2 });
    const e = await rejection(run(clock, client.readHoldingRegisters(1, 9999, 2)));
    expect(e).toBeInstanceOf(ModbusExceptionError);
    expect(e).toMatchObject({
      code: ErrorCode.ModbusException,
      exceptionCode: 2,
      functionCode: 3,
      unit: 1,
    });
    expect(client.counters(1)).toMatchObject({
      requests: 1,
      responses: 1,
      exceptions: 1,
      retries: 0,
    });

    let busyGateway = 1; // a TCP/RTU gateway whose target missed one poll
    slaves.fault = (s) =>
      busyGateway-- > 0
        ? encodeRtuResponse(s.unit, { kind: 'exception', fc: s.request.fc, exceptionCode: 0x0b })
        : undefined;
    expect([...(await run(clock, client.readHoldingRegisters(2, 5, 1)))]).toEqual([5]);
    expect(client.counters(2)).toMatchObject({ requests: 2, exceptions: 1, retries: 1 });
  });

  it('a bad CRC is counted and a read retried; a write reports it', async () => {
    const { clock, client, slaves } = setup();
    let corrupt = 1;
    slaves.fault = (s) => {
      if (corrupt-- <= 0) return undefined;
      const good = encodeRtuResponse(s.unit, {
        kind: 'read',
        fc: 0x03,
        values: Uint16Array.of(42),
      });
      good[3]! ^= 0x10; // one data bit flipped on the wire
      return good;
    };
    expect([...(await run(clock, client.readHoldingRegisters(1, 7, 1)))]).toEqual([7]);
    expect(client.counters(1)).toMatchObject({
      requests: 2,
      crcErrors: 1,
      retries: 1,
      responses: 1,
    });

    slaves.fault = (s) => {
      const good = encodeRtuResponse(s.unit, {
        kind: 'writeSingle',
        fc: 0x06,
        address: 1,
        value: 2,
      });
      good[7]! ^= 0xff;
      return good;
    };
    const e = await rejection(run(clock, client.writeSingleRegister(2, 1, 2)));
    expect(isOrv3Error(e, ErrorCode.ModbusCrc)).toBe(true);
    expect(client.counters(2)).toMatchObject({ requests: 1, crcErrors: 1, retries: 0 });
  });

  it('a truncated response is a bad frame and a read is retried', async () => {
    const { clock, client, slaves } = setup();
    slaves.fault = (s, n) =>
      n === 0
        ? encodeRtuResponse(s.unit, { kind: 'read', fc: 0x03, values: Uint16Array.of(1, 2) }).slice(
            0,
            5,
          )
        : undefined;
    expect([...(await run(clock, client.readHoldingRegisters(1, 3, 2)))]).toEqual([3, 4]);
    expect(client.counters(1)).toMatchObject({ badFrames: 1, retries: 1 });
  });

  it('a frame from the wrong unit is counted and ignored; the right answer still counts', async () => {
    const { clock, client, slaves } = setup();
    const wrong = encodeRtuResponse(99, { kind: 'read', fc: 0x03, values: Uint16Array.of(0xdead) });
    // The wrong unit answers, then the right one right behind it in the same burst.
    slaves.fault = (s) =>
      new Uint8Array([
        ...wrong,
        ...encodeRtuResponse(s.unit, { kind: 'read', fc: 0x03, values: Uint16Array.of(11) }),
      ]);
    expect([...(await run(clock, client.readHoldingRegisters(1, 0, 1)))]).toEqual([11]);
    expect(client.counters(1)).toMatchObject({ badFrames: 1, responses: 1, retries: 0 });
    // Only the wrong unit answers: ignored until the timeout.
    slaves.fault = () => wrong;
    const t0 = clock.nowMs();
    const e = await rejection(run(clock, client.readHoldingRegisters(2, 0, 1, { retries: 0 })));
    expect(isOrv3Error(e, ErrorCode.ModbusTimeout)).toBe(true);
    expect(clock.nowMs() - t0).toBeCloseTo(2.0052 + TIMEOUT_1REG, 2);
    expect(client.counters(2)).toMatchObject({ badFrames: 1, timeouts: 1 });
  });

  it('slow device: a response after the timeout is discarded and does not poison the next request', async () => {
    const { clock, client, slaves } = setup();
    slaves.fault = (s, n) =>
      n === 0
        ? {
            bytes: encodeRtuResponse(s.unit, {
              kind: 'read',
              fc: 0x03,
              values: Uint16Array.of(0xbad),
            }),
            turnaroundUs: 150_000,
          }
        : undefined;
    const first = rejection(client.readHoldingRegisters(1, 0, 1, { retries: 0 }));
    const second = client.readHoldingRegisters(1, 50, 1); // same unit, same shape
    const [e, v] = await run(clock, Promise.all([first, second]));
    expect(isOrv3Error(e, ErrorCode.ModbusTimeout)).toBe(true);
    expect([...v]).toEqual([50]);
    expect(client.lineCounters.unsolicited).toBe(1); // the late answer, inside the guard time
  });

  it('without the guard, a late answer of another shape is a bad frame, not data', async () => {
    const { clock, client, slaves } = setup({ lateResponseGuardMs: 0 });
    slaves.fault = (s, n) =>
      n === 0
        ? {
            bytes: encodeRtuResponse(s.unit, {
              kind: 'read',
              fc: 0x03,
              values: Uint16Array.of(0xbad),
            }),
            turnaroundUs: 120_000,
          }
        : n === 1
          ? {
              bytes: encodeRtuResponse(s.unit, {
                kind: 'read',
                fc: 0x03,
                values: Uint16Array.of(60, 61),
              }),
              turnaroundUs: 20_000,
            }
          : undefined;
    const first = rejection(client.readHoldingRegisters(1, 0, 1, { retries: 0 }));
    const second = client.readHoldingRegisters(1, 60, 2);
    const [e, v] = await run(clock, Promise.all([first, second]));
    expect(isOrv3Error(e, ErrorCode.ModbusTimeout)).toBe(true);
    expect([...v]).toEqual([60, 61]);
    expect(client.counters(1).badFrames).toBe(1);
  });

  it('recovers from transport errors: a failed write, a throwing device', async () => {
    const { clock, client, line, slaves } = setup();
    const realWrite = line.write.bind(line);
    let failWrites = 1;
    line.write = (b: Uint8Array) =>
      failWrites-- > 0 ? Promise.reject(new Error('EIO: write failed')) : realWrite(b);
    expect([...(await run(clock, client.readHoldingRegisters(1, 1, 1)))]).toEqual([1]);
    expect(client.counters(1)).toMatchObject({ requests: 2, retries: 1 });
    failWrites = 1;
    const e = await rejection(run(clock, client.writeSingleRegister(1, 1, 1)));
    expect(isOrv3Error(e, ErrorCode.TransportIo)).toBe(true);

    let bug = 1;
    slaves.fault = () => {
      if (bug-- > 0) throw new Error('simulator bug');
      return undefined;
    };
    const e2 = await rejection(run(clock, client.writeSingleRegister(2, 1, 1)));
    expect(isOrv3Error(e2, ErrorCode.TransportIo)).toBe(true);
    // The queue is not stuck.
    expect([...(await run(clock, client.readHoldingRegisters(2, 4, 1)))]).toEqual([4]);
  });

  it('close() rejects queued and in-flight requests with TransportClosed, and later ones', async () => {
    const { clock, client, line } = setup();
    const jobs = [client.readHoldingRegisters(1, 0, 1), client.readHoldingRegisters(2, 0, 1)];
    await clock.advanceAsync(1, 0.1);
    await client.close();
    for (const j of jobs)
      expect(isOrv3Error(await rejection(j), ErrorCode.TransportClosed)).toBe(true);
    expect(
      isOrv3Error(await rejection(client.readHoldingRegisters(1, 0, 1)), ErrorCode.TransportClosed),
    ).toBe(true);
    await clock.advanceAsync(50, 1);
    expect(line.stats.rxFrames).toBe(0);
  });

  it('a line that goes away closes the client', async () => {
    const { clock, client, line } = setup();
    const j = client.readHoldingRegisters(1, 0, 1);
    await clock.advanceAsync(1, 0.1);
    await line.close();
    expect(isOrv3Error(await rejection(j), ErrorCode.TransportClosed)).toBe(true);
  });
});
