/**
 * SerialPortLine over serialport's mock binding (no hardware here; real ptys are covered by the
 * integration tests with socat + mbpoll), and the RTU client over it with real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import { RealClock, VirtualClock, type Clock } from '../../../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { ModbusRtuClient, openSerialPortLine } from '../../../../src/bus/modbus/index.js';
import { encodeRtuRequest, encodeRtuResponse } from '../../../../src/protocol/modbus/index.js';
import { rejection } from './fake-slave.js';

const PATH = '/dev/ttyRS485-TEST';

afterEach(() => SerialPortMock.binding.reset());

function mockLine(clock: Clock = new RealClock()) {
  SerialPortMock.binding.createPort(PATH, { echo: false, record: true });
  let port: SerialPortMock | undefined;
  const open = openSerialPortLine({
    path: PATH,
    baudRate: 19200,
    clock,
    createPort: (o) => (port = new SerialPortMock(o)),
  });
  return { open, port: () => port! };
}

describe('SerialPortLine', () => {
  it('writes, receives with clock timestamps, changes baud, closes', async () => {
    const clock = new VirtualClock({ startMs: 5 });
    const { open, port } = mockLine(clock);
    const line = await open;
    expect(line.kind).toBe('serial');
    expect(line.preciseTimestamps).toBe(false);
    expect(line.baudRate).toBe(19200);
    const req = encodeRtuRequest(200, { fc: 0x04, start: 8, count: 1 });
    await line.write(req);
    expect([...port().port!.recording]).toEqual([...req]);
    const got: [number[], number][] = [];
    line.onData((b, at) => got.push([[...b], at]));
    port().port!.emitData(Buffer.from([1, 2, 3]));
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([[[1, 2, 3], 5000]]);
    await line.setBaudRate(115200);
    expect(line.baudRate).toBe(115200);
    let closed = false;
    line.onClose(() => (closed = true));
    await line.close();
    expect(closed).toBe(true);
    expect(isOrv3Error(await rejection(line.write(req)), ErrorCode.TransportClosed)).toBe(true);
  });

  it('a missing port fails to open with TransportIo', async () => {
    const e = await rejection(
      openSerialPortLine({
        path: '/dev/nonexistent',
        baudRate: 19200,
        clock: new RealClock(),
        createPort: (o) => new SerialPortMock(o),
      }),
    );
    expect(isOrv3Error(e, ErrorCode.TransportIo)).toBe(true);
  });

  it('the RTU client frames responses that arrive in arbitrary chunks (real time)', async () => {
    const { open, port } = mockLine();
    const line = await open;
    const client = new ModbusRtuClient({ clock: new RealClock(), line });
    const resp = encodeRtuResponse(200, {
      kind: 'read',
      fc: 0x04,
      values: Uint16Array.of(0x1234, 0x5678),
    });
    const realWrite = line.write.bind(line);
    line.write = async (b) => {
      await realWrite(b);
      // The adapter hands the answer over in three reads, as a USB UART does.
      setTimeout(() => port().port!.emitData(Buffer.from(resp.slice(0, 2))), 2);
      setTimeout(() => port().port!.emitData(Buffer.from(resp.slice(2, 6))), 4);
      setTimeout(() => port().port!.emitData(Buffer.from(resp.slice(6))), 6);
    };
    expect([...(await client.readInputRegisters(200, 8, 2))]).toEqual([0x1234, 0x5678]);
    expect(client.counters(200)).toMatchObject({ requests: 1, responses: 1, badFrames: 0 });
    await client.close();
  });
});
