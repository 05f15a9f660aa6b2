import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { VirtualClock } from '../../../../src/clock/index.js';
import { encodeRtuRequest, rtuTiming } from '../../../../src/protocol/modbus/index.js';
import {
  RtuSerialServer,
  wireKindOf,
  type SerialStream,
  type WireKind,
} from '../../../../sim/servers/index.js';
import { rig } from '../facade/fixture.js';

const T = rtuTiming(19200);

/** A port that records what the server writes, and when on the virtual clock. */
function fakePort(clock: VirtualClock) {
  let onData: ((c: Uint8Array) => void) | undefined;
  const written: { atMs: number; bytes: Uint8Array }[] = [];
  let closed = false;
  const stream: SerialStream = {
    onData: (l) => (onData = l),
    onError: () => undefined,
    write: (bytes) => {
      written.push({ atMs: clock.nowMs(), bytes });
      return Promise.resolve();
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  return { stream, written, inject: (b: Uint8Array) => onData!(b), isClosed: () => closed };
}

/** Not before `ms`, and within one 0.1 ms step of the virtual clock after it. */
function expectAt(atMs: number, ms: number): void {
  expect(atMs).toBeGreaterThanOrEqual(ms - 1e-9);
  expect(atMs).toBeLessThanOrEqual(ms + 0.1 + 1e-9);
}

async function served(wire: WireKind) {
  const clock = new VirtualClock({ startMs: 100 });
  const r = rig('orv3-18kw');
  const port = fakePort(clock);
  const server = new RtuSerialServer(r.dir, port.stream, { baudRate: 19200, clock, wire });
  port.inject(encodeRtuRequest(r.psu.modbusAddress, { fc: 0x03, start: 79, count: 1 }));
  await clock.advanceAsync(50, 0.1);
  return { server, port };
}

describe('RtuSerialServer pacing', () => {
  it('on a UART hands the response over at its start: request end + max(t3.5, turnaround)', async () => {
    const { port, server } = await served('uart');
    expect(port.written).toHaveLength(1);
    expectAt(port.written[0]!.atMs, 100 + Math.max(T.t35Us, 2000) / 1000);
    await server.close();
  });

  it('on a pty clocks the request in and hands the response over when it would have left', async () => {
    const { port, server } = await served('instant');
    const wireMs = (n: number) => (n * T.charUs) / 1000;
    const expected = 100 + wireMs(8) + Math.max(T.t35Us, 2000) / 1000 + wireMs(7);
    expectAt(port.written[0]!.atMs, expected);
    expect(server.slave.line.responses).toBe(1);
    await server.close();
  });

  it('close() cancels responses not yet sent and closes the port', async () => {
    const clock = new VirtualClock();
    const r = rig('orv3-18kw');
    const port = fakePort(clock);
    const server = new RtuSerialServer(r.dir, port.stream, { baudRate: 19200, clock });
    port.inject(encodeRtuRequest(r.psu.modbusAddress, { fc: 0x03, start: 79, count: 1 }));
    await server.close();
    await clock.advanceAsync(50, 0.1);
    expect(port.written).toEqual([]);
    expect(port.isClosed()).toBe(true);
  });

  it('tells ptys (/dev/pts/*) from other paths', () => {
    if (existsSync('/dev/pts/ptmx')) expect(wireKindOf('/dev/pts/ptmx')).toBe('instant');
    expect(wireKindOf('/dev/null')).toBe('uart');
    expect(wireKindOf('/no/such/path')).toBe('uart');
  });
});
