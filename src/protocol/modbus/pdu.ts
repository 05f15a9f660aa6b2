/**
 * Modbus PDUs of the functions we speak (Modbus Application Protocol v1.1b3 §6): 0x03, 0x04,
 * 0x06, 0x10 and exception responses. One encode/decode pair per direction; multi-byte fields are
 * big-endian. Encoders throw ModbusBadRequest for arguments out of range (a programming error);
 * decoders throw ModbusFrameError naming what is wrong (bytes from the wire).
 */
import { ModbusFrameError, badRequest } from './errors.js';

export const FunctionCode = {
  ReadHoldingRegisters: 0x03,
  ReadInputRegisters: 0x04,
  WriteSingleRegister: 0x06,
  WriteMultipleRegisters: 0x10,
} as const;
export type FunctionCode = (typeof FunctionCode)[keyof typeof FunctionCode];

export const ExceptionCode = {
  IllegalFunction: 0x01,
  IllegalDataAddress: 0x02,
  IllegalDataValue: 0x03,
  ServerDeviceFailure: 0x04,
  GatewayTargetFailedToRespond: 0x0b,
} as const;
export type ExceptionCode = (typeof ExceptionCode)[keyof typeof ExceptionCode];

/** Quantity limits of the spec: a PDU is at most 253 bytes. */
export const PduLimits = { maxReadCount: 125, maxWriteCount: 123, maxPduBytes: 253 } as const;

export interface ReadRequest {
  readonly fc: 0x03 | 0x04;
  readonly start: number;
  readonly count: number;
}
export interface WriteSingleRequest {
  readonly fc: 0x06;
  readonly address: number;
  readonly value: number;
}
export interface WriteMultipleRequest {
  readonly fc: 0x10;
  readonly start: number;
  readonly values: Uint16Array;
}
export type ModbusRequest = ReadRequest | WriteSingleRequest | WriteMultipleRequest;

export interface ReadResponse {
  readonly kind: 'read';
  readonly fc: 0x03 | 0x04;
  readonly values: Uint16Array;
}
export interface WriteSingleResponse {
  readonly kind: 'writeSingle';
  readonly fc: 0x06;
  readonly address: number;
  readonly value: number;
}
export interface WriteMultipleResponse {
  readonly kind: 'writeMultiple';
  readonly fc: 0x10;
  readonly start: number;
  readonly count: number;
}
export interface ExceptionResponse {
  readonly kind: 'exception';
  /** The function that failed (without the 0x80 bit). */
  readonly fc: number;
  readonly exceptionCode: ExceptionCode;
}
export type ModbusResponse =
  ReadResponse | WriteSingleResponse | WriteMultipleResponse | ExceptionResponse;

const EXCEPTION_CODES: ReadonlySet<number> = new Set(Object.values(ExceptionCode));

export function isReadRequest(req: ModbusRequest): req is ReadRequest {
  return req.fc === 0x03 || req.fc === 0x04;
}

// ---------------------------------------------------------------- requests

export function encodeRequestPdu(req: ModbusRequest): Uint8Array {
  switch (req.fc) {
    case 0x03:
    case 0x04:
      checkSpan(req.start, req.count, PduLimits.maxReadCount);
      return words(req.fc, [req.start, req.count]);
    case 0x06:
      checkWord('address', req.address);
      checkWord('value', req.value);
      return words(req.fc, [req.address, req.value]);
    case 0x10: {
      const n = req.values.length;
      checkSpan(req.start, n, PduLimits.maxWriteCount);
      const pdu = new Uint8Array(6 + 2 * n);
      pdu[0] = 0x10;
      putU16(pdu, 1, req.start);
      putU16(pdu, 3, n);
      pdu[5] = 2 * n;
      for (let i = 0; i < n; i++) putU16(pdu, 6 + 2 * i, req.values[i]!);
      return pdu;
    }
  }
}

/** Slave side. Throws ModbusFrameError whose `slaveException` says what to answer, if anything. */
export function decodeRequestPdu(pdu: Uint8Array): ModbusRequest {
  if (pdu.length < 1) throw new ModbusFrameError('too-short', 'empty request PDU');
  const fc = pdu[0]!;
  switch (fc) {
    case 0x03:
    case 0x04: {
      needLength(pdu, 5, 'read request', 3);
      const count = getU16(pdu, 3);
      if (count < 1 || count > PduLimits.maxReadCount) {
        throw quantity(`read count ${count} is not 1..${PduLimits.maxReadCount}`, count);
      }
      return { fc, start: getU16(pdu, 1), count };
    }
    case 0x06:
      needLength(pdu, 5, 'write-single request', 3);
      return { fc, address: getU16(pdu, 1), value: getU16(pdu, 3) };
    case 0x10: {
      if (pdu.length < 6) throw tooShort('write-multiple request', pdu.length, 6, 3);
      const count = getU16(pdu, 3);
      const byteCount = pdu[5]!;
      if (count < 1 || count > PduLimits.maxWriteCount) {
        throw quantity(`write count ${count} is not 1..${PduLimits.maxWriteCount}`, count);
      }
      if (byteCount !== 2 * count) {
        throw new ModbusFrameError(
          'bad-byte-count',
          `write-multiple byte count ${byteCount} != 2 × quantity ${count}`,
          { byteCount, count },
          3,
        );
      }
      needLength(pdu, 6 + byteCount, 'write-multiple request', 3);
      const values = new Uint16Array(count);
      for (let i = 0; i < count; i++) values[i] = getU16(pdu, 6 + 2 * i);
      return { fc, start: getU16(pdu, 1), values };
    }
    default:
      throw new ModbusFrameError(
        'unsupported-function',
        `function 0x${fc.toString(16).padStart(2, '0')} is not supported`,
        { fc },
        1,
      );
  }
}

// ---------------------------------------------------------------- responses

export function encodeResponsePdu(resp: ModbusResponse): Uint8Array {
  switch (resp.kind) {
    case 'read': {
      const n = resp.values.length;
      if (n < 1 || n > PduLimits.maxReadCount) {
        throw badRequest(`read response of ${n} registers is not 1..${PduLimits.maxReadCount}`);
      }
      const pdu = new Uint8Array(2 + 2 * n);
      pdu[0] = resp.fc;
      pdu[1] = 2 * n;
      for (let i = 0; i < n; i++) putU16(pdu, 2 + 2 * i, resp.values[i]!);
      return pdu;
    }
    case 'writeSingle':
      checkWord('address', resp.address);
      checkWord('value', resp.value);
      return words(resp.fc, [resp.address, resp.value]);
    case 'writeMultiple':
      checkSpan(resp.start, resp.count, PduLimits.maxWriteCount);
      return words(resp.fc, [resp.start, resp.count]);
    case 'exception':
      if (!(resp.fc >= 1 && resp.fc <= 0x7f) || !EXCEPTION_CODES.has(resp.exceptionCode)) {
        throw badRequest(`cannot encode exception ${resp.exceptionCode} of function ${resp.fc}`);
      }
      return Uint8Array.of(resp.fc | 0x80, resp.exceptionCode);
  }
}

/** Master side: structural decode. Use `responseMismatch` to check it answers a request. */
export function decodeResponsePdu(pdu: Uint8Array): ModbusResponse {
  if (pdu.length < 2) throw tooShort('response', pdu.length, 2);
  const fc = pdu[0]!;
  if (fc & 0x80) {
    needLength(pdu, 2, 'exception response');
    const code = pdu[1]!;
    if (!EXCEPTION_CODES.has(code)) {
      throw new ModbusFrameError('bad-exception-code', `exception code ${code} is not defined`, {
        fc: fc & 0x7f,
        exceptionCode: code,
      });
    }
    return { kind: 'exception', fc: fc & 0x7f, exceptionCode: code as ExceptionCode };
  }
  switch (fc) {
    case 0x03:
    case 0x04: {
      const byteCount = pdu[1]!;
      if (byteCount < 2 || byteCount > 2 * PduLimits.maxReadCount || byteCount % 2 !== 0) {
        throw new ModbusFrameError(
          'bad-byte-count',
          `read response byte count ${byteCount} is not an even 2..${2 * PduLimits.maxReadCount}`,
          { byteCount },
        );
      }
      needLength(pdu, 2 + byteCount, 'read response');
      const values = new Uint16Array(byteCount / 2);
      for (let i = 0; i < values.length; i++) values[i] = getU16(pdu, 2 + 2 * i);
      return { kind: 'read', fc, values };
    }
    case 0x06:
      needLength(pdu, 5, 'write-single response');
      return { kind: 'writeSingle', fc, address: getU16(pdu, 1), value: getU16(pdu, 3) };
    case 0x10: {
      needLength(pdu, 5, 'write-multiple response');
      const count = getU16(pdu, 3);
      if (count < 1 || count > PduLimits.maxWriteCount) {
        throw quantity(`write-multiple response count ${count}`, count);
      }
      return { kind: 'writeMultiple', fc, start: getU16(pdu, 1), count };
    }
    default:
      throw new ModbusFrameError(
        'unsupported-function',
        `response function 0x${fc.toString(16).padStart(2, '0')} is not supported`,
        { fc },
      );
  }
}

/**
 * Why `resp` is not an answer to `req` (function, register count, echoed address/value), or
 * undefined when it is. An exception response for the same function is an answer.
 */
export function responseMismatch(req: ModbusRequest, resp: ModbusResponse): string | undefined {
  if (resp.fc !== req.fc)
    return `function 0x${resp.fc.toString(16)} answers 0x${req.fc.toString(16)}`;
  if (resp.kind === 'exception') return undefined;
  switch (req.fc) {
    case 0x03:
    case 0x04:
      return resp.kind === 'read' && resp.values.length === req.count
        ? undefined
        : `expected ${req.count} registers, got ${resp.kind === 'read' ? resp.values.length : resp.kind}`;
    case 0x06:
      return resp.kind === 'writeSingle' && resp.address === req.address && resp.value === req.value
        ? undefined
        : 'write-single echo differs from the request';
    case 0x10:
      return resp.kind === 'writeMultiple' &&
        resp.start === req.start &&
        resp.count === req.values.length
        ? undefined
        : 'write-multiple echo differs from the request';
  }
}

// ---------------------------------------------------------------- helpers

function words(fc: number, ws: readonly number[]): Uint8Array {
  const pdu = new Uint8Array(1 + 2 * ws.length);
  pdu[0] = fc;
  ws.forEach((w, i) => putU16(pdu, 1 + 2 * i, w));
  return pdu;
}

function putU16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function getU16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function checkWord(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw badRequest(`${what} ${v} is not 0..65535`);
}

function checkSpan(start: number, count: number, max: number): void {
  checkWord('start address', start);
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw badRequest(`register count ${count} is not 1..${max}`, { start, count });
  }
  // The span must fit the 16-bit address space (start + count - 1 <= 0xFFFF).
  if (start + count > 0x10000) {
    throw badRequest(`registers ${start}+${count} run past address 65535`, { start, count });
  }
}

function needLength(pdu: Uint8Array, n: number, what: string, slaveException?: 3): void {
  if (pdu.length < n) throw tooShort(what, pdu.length, n, slaveException);
  if (pdu.length > n) {
    throw new ModbusFrameError(
      'bad-length',
      `${what} PDU is ${pdu.length} bytes, expected ${n}`,
      { length: pdu.length, expected: n },
      slaveException,
    );
  }
}

function tooShort(what: string, got: number, need: number, slaveException?: 3): ModbusFrameError {
  return new ModbusFrameError(
    'too-short',
    `${what} PDU is ${got} bytes, needs ${need}`,
    { length: got, expected: need },
    slaveException,
  );
}

function quantity(message: string, count: number): ModbusFrameError {
  return new ModbusFrameError('bad-quantity', message, { count }, 3);
}
