import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  appendCrc,
  decodeRtuResponse,
  encodeRtuRequest,
  rtuTiming,
  type ModbusRequest,
  type ModbusResponse,
} from '../../../../src/protocol/modbus/index.js';
import { RtuSlave, type RtuTransmission } from '../../../../sim/servers/index.js';
import { rig, words } from '../facade/fixture.js';

// One ORv3 shelf: PSUs at 200–205, BBUs at 64–69, 19200 baud as on a real ORv3 line.
const BAUD = 19200;
const T = rtuTiming(BAUD);
const CHAR = T.charUs; // ≈ 572.9 µs
const T35 = T.t35Us; // ≈ 2005 µs

function setup(turnaroundUs?: number) {
  const r = rig('orv3-18kw');
  const slave = new RtuSlave(r.dir, { baudRate: BAUD, turnaroundUs });
  return { r, slave };
}

const read = (start: number, count: number): ModbusRequest => ({ fc: 0x03, start, count });
const adu = (unit: number, req: ModbusRequest): Uint8Array => encodeRtuRequest(unit, req);

/** Feeds a frame as one chunk ending at `atUs`, then polls once the line has been silent. */
function transact(slave: RtuSlave, bytes: Uint8Array, atUs: number): RtuTransmission[] {
  const out = slave.receive(bytes, atUs);
  const due = slave.nextDeadlineUs();
  if (due !== null) out.push(...slave.poll(due));
  return out;
}

function response(tx: RtuTransmission | undefined): { unit: number; response: ModbusResponse } {
  expect(tx).toBeDefined();
  const d = decodeRtuResponse(tx!.bytes);
  if (!d.ok) throw d.error;
  return d.value;
}

describe('RtuSlave framing', () => {
  it('answers a read only once t3.5 of silence confirmed the frame end', () => {
    const { r, slave } = setup();
    const bytes = adu(r.psu.modbusAddress, read(79, 4));
    expect(slave.receive(bytes, 10_000)).toEqual([]); // complete by length, not yet by silence
    expect(slave.nextDeadlineUs()).toBeCloseTo(10_000 + T35, 6);
    expect(slave.poll(10_000 + T35 - 10)).toEqual([]);
    const [tx] = slave.poll(10_000 + T35);
    const { unit, response: resp } = response(tx);
    expect(unit).toBe(r.psu.modbusAddress);
    expect(resp).toEqual({
      kind: 'read',
      fc: 3,
      values: r.psu.modbus.readHoldingRegisters(79, 4),
    });
    expect(slave.line).toMatchObject({ frames: 1, responses: 1, crcErrors: 0, bytesIn: 8 });
    expect(slave.device(r.psu.modbusAddress)).toMatchObject({ requests: 1, responses: 1 });
  });

  it('splits back-to-back frames at a t3.5 silence and serves both', () => {
    const { r, slave } = setup();
    const a = adu(r.psu.modbusAddress, read(8, 8));
    const b = adu(r.bbu.modbusAddress, read(126, 1));
    const out = slave.receive(a, 10_000);
    // b's first byte starts exactly t3.5 after a's last byte ended.
    out.push(...slave.receive(b, 10_000 + T35 + b.length * CHAR));
    out.push(...slave.poll(slave.nextDeadlineUs()!));
    expect(out.map((t) => t.unit)).toEqual([r.psu.modbusAddress, r.bbu.modbusAddress]);
    expect(response(out[1]).response).toEqual({
      kind: 'read',
      fc: 3,
      values: words(r.bbu, 'Relative_State_Of_Charge'),
    });
  });

  it('splits frames byte by byte with per-character arrival times', () => {
    const { r, slave } = setup();
    const bytes = adu(r.psu.modbusAddress, read(79, 1));
    const out: RtuTransmission[] = [];
    bytes.forEach((b, i) => out.push(...slave.receive(Uint8Array.of(b), 1000 + (i + 1) * CHAR)));
    out.push(...slave.poll(slave.nextDeadlineUs()!));
    expect(out).toHaveLength(1);
  });

  it('drops a frame followed by more bytes sooner than t3.5, and the bytes after it', () => {
    const { r, slave } = setup();
    const a = adu(r.psu.modbusAddress, read(79, 1));
    const b = adu(r.psu.modbusAddress, read(80, 1));
    slave.receive(a, 10_000);
    // b starts 1 ms after a ended: > t1.5 and < t3.5, so a+b is one broken frame on the wire.
    const out = slave.receive(b, 10_000 + 1000 + b.length * CHAR);
    out.push(...slave.poll(slave.nextDeadlineUs() ?? Infinity));
    expect(out).toEqual([]);
    expect(slave.line.framingErrors).toBe(2);
    // After a silence the line works again.
    expect(transact(slave, a, 100_000)).toHaveLength(1);
  });

  it('drops a frame with a gap > t1.5 inside it', () => {
    const { r, slave } = setup();
    const bytes = adu(r.psu.modbusAddress, read(79, 1));
    slave.receive(bytes.subarray(0, 4), 10_000);
    const out = slave.receive(bytes.subarray(4), 10_000 + 1200 + 4 * CHAR);
    out.push(...slave.poll(slave.nextDeadlineUs()!));
    expect(out).toEqual([]);
    expect(slave.line.framingErrors).toBe(1);
  });

  it('drops a truncated frame at the silence and answers the next one', () => {
    const { r, slave } = setup();
    const bytes = adu(r.psu.modbusAddress, read(79, 1));
    expect(transact(slave, bytes.subarray(0, 5), 10_000)).toEqual([]);
    expect(slave.line.framingErrors).toBe(1);
    expect(transact(slave, bytes, 50_000)).toHaveLength(1);
  });
});

describe('RtuSlave as a slave on a multi-drop line', () => {
  it('drops a bad CRC silently and counts it', () => {
    const { r, slave } = setup();
    const bytes = adu(r.psu.modbusAddress, read(79, 1));
    bytes[bytes.length - 1]! ^= 0x01;
    expect(transact(slave, bytes, 10_000)).toEqual([]);
    expect(slave.line).toMatchObject({ crcErrors: 1, frames: 0, responses: 0 });
    expect(slave.units()).toEqual([]); // nothing was attributed to a device
  });

  it('stays silent for an address nobody has', () => {
    const { slave } = setup();
    expect(transact(slave, adu(17, read(0, 1)), 10_000)).toEqual([]);
    expect(slave.line).toMatchObject({ frames: 1, otherAddress: 1, responses: 0 });
  });

  it('stays silent for a device that is not responding', () => {
    const set = {
      modbus: () => ({ ...fakeSlave(), responding: false }),
      list: () => [{ modbusAddress: 5 }],
    };
    const s = new RtuSlave(set, { baudRate: BAUD });
    expect(transact(s, adu(5, read(0, 1)), 10_000)).toEqual([]);
    expect(s.device(5)).toMatchObject({ requests: 1, noResponse: 1 });
    expect(s.line).toMatchObject({ noResponse: 1, responses: 0 });
  });

  it('answers exception 01 to a function it does not serve', () => {
    const { r, slave } = setup();
    // FC 0x2B (encapsulated interface) with a made-up body; ends by silence, not by length.
    const bytes = appendCrc(Uint8Array.of(r.psu.modbusAddress, 0x2b, 0x0e, 0x01, 0x00));
    const { response: resp } = response(transact(slave, bytes, 10_000)[0]);
    expect(resp).toEqual({ kind: 'exception', fc: 0x2b, exceptionCode: 1 });
  });

  it('answers 02 for an address without a register and 03 for a bad quantity or value', () => {
    const { r, slave } = setup();
    const a = r.psu.modbusAddress;
    const exc = (req: ModbusRequest | Uint8Array, at: number) =>
      response(transact(slave, req instanceof Uint8Array ? req : adu(a, req), at)[0]).response;
    expect(exc(read(58, 1), 10_000)).toEqual({ kind: 'exception', fc: 3, exceptionCode: 2 });
    // Count 126 cannot be encoded by our own client: build the PDU by hand.
    expect(exc(appendCrc(Uint8Array.of(a, 0x03, 0, 79, 0, 126)), 50_000)).toEqual({
      kind: 'exception',
      fc: 3,
      exceptionCode: 3,
    });
    // Fan override is 0..100 %.
    expect(exc({ fc: 0x06, address: 96, value: 101 }, 90_000)).toMatchObject({
      exceptionCode: 3,
    });
    expect(slave.device(a)).toMatchObject({
      exceptions: 3,
      exceptionCodes: { 2: 1, 3: 2 },
    });
    expect(slave.line.exceptions).toBe(3);
  });

  it('answers 04 when the device fails with something other than a Modbus exception', () => {
    const set = {
      modbus: () => ({
        ...fakeSlave(),
        readHoldingRegisters: () => {
          throw new Error('firmware bug');
        },
      }),
      list: () => [{ modbusAddress: 5 }],
    };
    const s = new RtuSlave(set, { baudRate: BAUD });
    expect(response(transact(s, adu(5, read(0, 1)), 10_000)[0]).response).toMatchObject({
      exceptionCode: 4,
    });
  });

  it('applies a broadcast write on every device without answering', () => {
    const { r, slave } = setup();
    // Wall_Clock_Time is 302–303 on a BBU; on a PSU 302 is no register (refused, no answer).
    const req: ModbusRequest = { fc: 0x10, start: 302, values: Uint16Array.of(0x6a00, 0x1234) };
    expect(transact(slave, adu(0, req), 10_000)).toEqual([]);
    expect(slave.line).toMatchObject({ broadcasts: 1, responses: 0, frames: 1 });
    expect(Array.from(words(r.bbu, 'Wall_Clock_Time'))).toEqual([0x6a00, 0x1234]);
    expect(slave.device(r.bbu.modbusAddress).broadcastWrites).toBe(1);
    expect(slave.device(r.psu.modbusAddress).broadcastRefused).toBe(1);
  });

  it('ignores a broadcast read', () => {
    const { slave } = setup();
    expect(transact(slave, adu(0, read(8, 1)), 10_000)).toEqual([]);
    expect(slave.units()).toEqual([]);
  });
});

describe('RtuSlave timing', () => {
  it('starts a response at frame end + max(t3.5, turnaround), then takes its wire time', () => {
    const { r, slave } = setup(); // default turnaround 2 ms < t3.5 at 19200
    const [tx] = transact(slave, adu(r.psu.modbusAddress, read(79, 2)), 10_000);
    expect(tx!.requestEndUs).toBe(10_000);
    expect(tx!.startUs).toBeCloseTo(10_000 + Math.max(T35, 2000), 6);
    expect(tx!.endUs - tx!.startUs).toBeCloseTo(9 * CHAR, 6); // 5 + 2·2 bytes
  });

  it('waits a longer configured turnaround', () => {
    const { r, slave } = setup(8000);
    const [tx] = transact(slave, adu(r.psu.modbusAddress, read(79, 1)), 10_000);
    expect(tx!.startUs).toBe(18_000);
  });

  it('never starts before the t3.5 silence even with no turnaround', () => {
    const { r, slave } = setup(0);
    const [tx] = transact(slave, adu(r.psu.modbusAddress, read(79, 1)), 10_000);
    expect(tx!.startUs).toBeCloseTo(10_000 + T35, 6);
  });

  it('does not start a response while the previous one is still on the wire', () => {
    const { r, slave } = setup(0);
    const first = transact(slave, adu(r.psu.modbusAddress, read(0, 54)), 10_000)[0]!;
    // A master that does not wait (it should): the next request ends right after t3.5.
    const b = adu(r.bbu.modbusAddress, read(126, 1));
    const [second] = transact(slave, b, 10_000 + 2 * T35 + b.length * CHAR);
    expect(second!.startUs).toBeCloseTo(first.endUs, 6);
  });
});

function fakeSlave() {
  return {
    responding: true,
    readHoldingRegisters: (_s: number, n: number) => new Uint16Array(n),
    readInputRegisters: (_s: number, n: number) => new Uint16Array(n),
    writeSingleRegister: () => undefined,
    writeMultipleRegisters: () => undefined,
  };
}

describe('RtuSlave on garbage', () => {
  it('never throws on random bytes at random times, and answers a good frame afterwards', () => {
    const { r, slave } = setup();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(5000)), {
          maxLength: 20,
        }),
        (chunks) => {
          let t = slave.nextDeadlineUs() ?? 0;
          for (const [bytes, gapUs] of chunks) {
            t += gapUs + bytes.length * CHAR;
            for (const tx of slave.receive(bytes, t)) expect(tx.bytes.length).toBeGreaterThan(4);
          }
          slave.poll(t + 10 * T35);
        },
      ),
      { numRuns: 2000 },
    );
    const t = (slave.nextDeadlineUs() ?? 0) + 1e9;
    expect(transact(slave, adu(r.psu.modbusAddress, read(79, 1)), t)).toHaveLength(1);
  });
});
