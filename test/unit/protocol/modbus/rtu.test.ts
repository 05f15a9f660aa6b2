import { describe, expect, it } from 'vitest';
import {
  appendCrc,
  decodeRtuFrame,
  decodeRtuRequest,
  decodeRtuResponse,
  encodeRtuRequest,
  encodeRtuResponse,
} from '../../../../src/protocol/modbus/index.js';
import { ErrorCode } from '../../../../src/errors.js';

describe('RTU ADU', () => {
  it('read request: address + PDU + CRC little-endian', () => {
    expect([...encodeRtuRequest(200, { fc: 0x04, start: 8, count: 1 })]).toEqual([
      0xc8, // unit 200 (first ORv3 PSU address)
      0x04, // read input registers
      0x00, // start hi
      0x08, // start lo → probe register 8
      0x00, // quantity hi
      0x01, // quantity lo
      0xa1, // CRC lo
      0x91, // CRC hi
    ]);
  });

  it('read response (spec example 11 03 06 AE41 5652 4340 49AD)', () => {
    const adu = encodeRtuResponse(0x11, {
      kind: 'read',
      fc: 0x03,
      values: Uint16Array.of(0xae41, 0x5652, 0x4340),
    });
    expect([...adu]).toEqual([
      0x11, // unit 17
      0x03, // function
      0x06, // byte count
      0xae, // reg 0 hi
      0x41, // reg 0 lo
      0x56, // reg 1 hi
      0x52, // reg 1 lo
      0x43, // reg 2 hi
      0x40, // reg 2 lo
      0x49, // CRC lo
      0xad, // CRC hi
    ]);
    const r = decodeRtuResponse(adu);
    expect(r.ok && r.value.unit).toBe(0x11);
    expect(r.ok && r.value.response.kind === 'read' && [...r.value.response.values]).toEqual([
      0xae41, 0x5652, 0x4340,
    ]);
  });

  it('write-single and write-multiple requests', () => {
    expect([...encodeRtuRequest(0x11, { fc: 0x06, address: 1, value: 3 })]).toEqual([
      0x11, // unit
      0x06, // write single register
      0x00, // address hi
      0x01, // address lo
      0x00, // value hi
      0x03, // value lo
      0x9a, // CRC lo
      0x9b, // CRC hi
    ]);
    const wm = encodeRtuRequest(0x11, {
      fc: 0x10,
      start: 1,
      values: Uint16Array.of(0x000a, 0x0102),
    });
    expect([...wm]).toEqual([
      0x11, // unit
      0x10, // write multiple registers
      0x00, // start hi
      0x01, // start lo
      0x00, // quantity hi
      0x02, // quantity lo
      0x04, // byte count
      0x00, // value 0 hi
      0x0a, // value 0 lo
      0x01, // value 1 hi
      0x02, // value 1 lo
      0xc6, // CRC lo
      0xf0, // CRC hi
    ]);
    const d = decodeRtuRequest(wm);
    expect(d.ok && d.value.request.fc).toBe(0x10);
  });

  it('exception response', () => {
    expect([
      ...encodeRtuResponse(0x0a, { kind: 'exception', fc: 0x03, exceptionCode: 0x02 }),
    ]).toEqual([
      0x0a, // unit 10
      0x83, // 0x03 | 0x80
      0x02, // illegal data address
      0xb1, // CRC lo
      0x33, // CRC hi
    ]);
  });

  it('bad CRC → ModbusCrc; too short / too long → ModbusFrame; never throws', () => {
    const adu = encodeRtuRequest(1, { fc: 0x03, start: 0, count: 10 });
    adu[7]! ^= 0x01;
    const r = decodeRtuFrame(adu);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe(ErrorCode.ModbusCrc);
    const s = decodeRtuFrame(Uint8Array.of(1, 3, 0));
    expect(!s.ok && s.error.problem).toBe('too-short');
    const l = decodeRtuFrame(new Uint8Array(257));
    expect(!l.ok && l.error.problem).toBe('too-long');
  });

  it('a CRC-valid frame with an unsupported function tells the slave to answer 01', () => {
    const adu = appendCrc(
      Uint8Array.of(
        0x05, // unit 5
        0x2b, // function 0x2B (encapsulated interface), not served
        0x0e, // MEI type
        0x01, // read device id code
        0x00, // object id
      ),
    );
    const r = decodeRtuRequest(adu);
    expect(!r.ok && r.error.slaveException).toBe(1);
    expect(!r.ok && r.error.context['unit']).toBe(5);
  });

  it('refuses units above 247 and responses to broadcast', () => {
    expect(() => encodeRtuRequest(248, { fc: 0x03, start: 0, count: 1 })).toThrow(/unit 248/);
    expect(() =>
      encodeRtuResponse(0, { kind: 'writeSingle', fc: 0x06, address: 0, value: 0 }),
    ).toThrow(/broadcast/);
  });
});
