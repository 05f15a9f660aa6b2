import { describe, expect, it } from 'vitest';
import {
  ModbusFrameError,
  decodeRequestPdu,
  decodeResponsePdu,
  encodeRequestPdu,
  encodeResponsePdu,
  responseMismatch,
} from '../../../../src/protocol/modbus/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';

function frameError(fn: () => unknown): ModbusFrameError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModbusFrameError) return e;
    throw e;
  }
  throw new Error('expected a ModbusFrameError');
}

describe('request PDUs', () => {
  it('0x03 read holding registers', () => {
    const pdu = encodeRequestPdu({ fc: 0x03, start: 0x006b, count: 3 });
    expect([...pdu]).toEqual([
      0x03, // function
      0x00, // start hi
      0x6b, // start lo
      0x00, // quantity hi
      0x03, // quantity lo
    ]);
    expect(decodeRequestPdu(pdu)).toEqual({ fc: 0x03, start: 0x6b, count: 3 });
  });

  it('0x04 read input registers', () => {
    const pdu = encodeRequestPdu({ fc: 0x04, start: 0x0008, count: 0x7d });
    expect([...pdu]).toEqual([
      0x04, // function
      0x00, // start hi
      0x08, // start lo
      0x00, // quantity hi
      0x7d, // quantity lo → 125, the maximum
    ]);
    expect(decodeRequestPdu(pdu)).toEqual({ fc: 0x04, start: 8, count: 125 });
  });

  it('0x06 write single register', () => {
    const pdu = encodeRequestPdu({ fc: 0x06, address: 0x0131, value: 0xbeef });
    expect([...pdu]).toEqual([
      0x06, // function
      0x01, // address hi
      0x31, // address lo → 305 (BBU Forced_Discharge_Time)
      0xbe, // value hi
      0xef, // value lo
    ]);
    expect(decodeRequestPdu(pdu)).toEqual({ fc: 0x06, address: 305, value: 0xbeef });
  });

  it('0x10 write multiple registers', () => {
    const pdu = encodeRequestPdu({
      fc: 0x10,
      start: 0x0062,
      values: Uint16Array.of(0x6789, 0xabcd),
    });
    expect([...pdu]).toEqual([
      0x10, // function
      0x00, // start hi
      0x62, // start lo → 98 (PSU Unix time)
      0x00, // quantity hi
      0x02, // quantity lo
      0x04, // byte count = 2 × quantity
      0x67, // value 0 hi
      0x89, // value 0 lo
      0xab, // value 1 hi
      0xcd, // value 1 lo
    ]);
    const back = decodeRequestPdu(pdu);
    expect(back.fc).toBe(0x10);
    expect(back.fc === 0x10 && [...back.values]).toEqual([0x6789, 0xabcd]);
  });

  it('refuses to encode out-of-range arguments', () => {
    for (const bad of [
      () => encodeRequestPdu({ fc: 0x03, start: 0, count: 0 }),
      () => encodeRequestPdu({ fc: 0x03, start: 0, count: 126 }),
      () => encodeRequestPdu({ fc: 0x04, start: 65535, count: 2 }),
      () => encodeRequestPdu({ fc: 0x06, address: 1, value: 65536 }),
      () => encodeRequestPdu({ fc: 0x06, address: -1, value: 0 }),
      () => encodeRequestPdu({ fc: 0x10, start: 0, values: new Uint16Array(124) }),
      () => encodeRequestPdu({ fc: 0x10, start: 0, values: new Uint16Array(0) }),
    ]) {
      expect(bad).toThrow(expect.objectContaining({ code: ErrorCode.ModbusBadRequest }));
    }
    expect(() => encodeRequestPdu({ fc: 0x04, start: 65535, count: 1 })).not.toThrow();
  });

  it('names what is wrong and which exception a slave should answer', () => {
    expect(frameError(() => decodeRequestPdu(Uint8Array.of(0x01, 0, 0, 0, 1)))).toMatchObject({
      problem: 'unsupported-function',
      slaveException: 1,
    });
    expect(frameError(() => decodeRequestPdu(Uint8Array.of(0x03, 0, 0, 0, 126)))).toMatchObject({
      problem: 'bad-quantity',
      slaveException: 3,
    });
    expect(frameError(() => decodeRequestPdu(Uint8Array.of(0x03, 0, 0, 0)))).toMatchObject({
      problem: 'too-short',
    });
    // Byte count 3 for a quantity of 2.
    expect(
      frameError(() => decodeRequestPdu(Uint8Array.of(0x10, 0, 0, 0, 2, 3, 0, 0, 0))),
    ).toMatchObject({
      problem: 'bad-byte-count',
      slaveException: 3,
    });
    // Byte count right but one data byte missing.
    expect(frameError(() => decodeRequestPdu(Uint8Array.of(0x10, 0, 0, 0, 1, 2, 0)))).toMatchObject(
      {
        problem: 'too-short',
      },
    );
    const e = frameError(() => decodeRequestPdu(new Uint8Array(0)));
    expect(isOrv3Error(e, ErrorCode.ModbusFrame)).toBe(true);
  });
});

describe('response PDUs', () => {
  it('0x03 read response', () => {
    const pdu = encodeResponsePdu({
      kind: 'read',
      fc: 0x03,
      values: Uint16Array.of(0xae41, 0x5652),
    });
    expect([...pdu]).toEqual([
      0x03, // function
      0x04, // byte count
      0xae, // register 0 hi
      0x41, // register 0 lo
      0x56, // register 1 hi
      0x52, // register 1 lo
    ]);
    const back = decodeResponsePdu(pdu);
    expect(back.kind === 'read' && [...back.values]).toEqual([0xae41, 0x5652]);
  });

  it('0x06 and 0x10 echo responses', () => {
    expect([...encodeResponsePdu({ kind: 'writeSingle', fc: 0x06, address: 1, value: 3 })]).toEqual(
      [
        0x06, // function
        0x00, // address hi
        0x01, // address lo
        0x00, // value hi
        0x03, // value lo
      ],
    );
    expect([...encodeResponsePdu({ kind: 'writeMultiple', fc: 0x10, start: 1, count: 2 })]).toEqual(
      [
        0x10, // function
        0x00, // start hi
        0x01, // start lo
        0x00, // quantity hi
        0x02, // quantity lo
      ],
    );
    expect(decodeResponsePdu(Uint8Array.of(0x10, 0, 1, 0, 2))).toEqual({
      kind: 'writeMultiple',
      fc: 0x10,
      start: 1,
      count: 2,
    });
  });

  it('exception responses: codes 1–4 and 0B', () => {
    expect([...encodeResponsePdu({ kind: 'exception', fc: 0x03, exceptionCode: 0x02 })]).toEqual([
      0x83, // function | 0x80
      0x02, // illegal data address
    ]);
    expect(decodeResponsePdu(Uint8Array.of(0x90, 0x0b))).toEqual({
      kind: 'exception',
      fc: 0x10,
      exceptionCode: 0x0b,
    });
    expect(frameError(() => decodeResponsePdu(Uint8Array.of(0x83, 0x07)))).toMatchObject({
      problem: 'bad-exception-code',
    });
    expect(frameError(() => decodeResponsePdu(Uint8Array.of(0x83, 0x02, 0x00)))).toMatchObject({
      problem: 'bad-length',
    });
  });

  it('byte count consistency', () => {
    // Odd byte count.
    expect(frameError(() => decodeResponsePdu(Uint8Array.of(0x03, 0x03, 0, 0, 0)))).toMatchObject({
      problem: 'bad-byte-count',
    });
    // Byte count 4, two data bytes.
    expect(frameError(() => decodeResponsePdu(Uint8Array.of(0x03, 0x04, 0, 0)))).toMatchObject({
      problem: 'too-short',
    });
    // Byte count 252 > 250.
    expect(frameError(() => decodeResponsePdu(Uint8Array.of(0x04, 252)))).toMatchObject({
      problem: 'bad-byte-count',
    });
  });

  it('responseMismatch checks function, count and echoes', () => {
    const read = { fc: 0x03, start: 0, count: 2 } as const;
    expect(
      responseMismatch(read, { kind: 'read', fc: 0x03, values: new Uint16Array(2) }),
    ).toBeUndefined();
    expect(responseMismatch(read, { kind: 'read', fc: 0x03, values: new Uint16Array(1) })).toMatch(
      /2 registers/,
    );
    expect(responseMismatch(read, { kind: 'read', fc: 0x04, values: new Uint16Array(2) })).toMatch(
      /function/,
    );
    expect(
      responseMismatch(read, { kind: 'exception', fc: 0x03, exceptionCode: 2 }),
    ).toBeUndefined();
    const w = { fc: 0x06, address: 5, value: 7 } as const;
    expect(responseMismatch(w, { kind: 'writeSingle', fc: 0x06, address: 5, value: 8 })).toMatch(
      /echo/,
    );
    const wm = { fc: 0x10, start: 5, values: Uint16Array.of(1, 2) } as const;
    expect(
      responseMismatch(wm, { kind: 'writeMultiple', fc: 0x10, start: 5, count: 2 }),
    ).toBeUndefined();
  });
});
