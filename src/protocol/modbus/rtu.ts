/**
 * RTU ADU = address (1) + PDU + CRC-16 (2, low byte first). Decoders never throw: bytes from a
 * serial line are untrusted, so they return a result that is either the frame or a typed error.
 */
import { appendCrc, hasValidCrc } from './crc16.js';
import { ModbusFrameError, badRequest } from './errors.js';
import {
  decodeRequestPdu,
  decodeResponsePdu,
  encodeRequestPdu,
  encodeResponsePdu,
  type ModbusRequest,
  type ModbusResponse,
} from './pdu.js';
import { RTU_MAX_ADU_BYTES } from './timing.js';

/** Unit 0 is broadcast (writes only, no response); 1–247 are slaves; 248–255 are reserved. */
export const BROADCAST_UNIT = 0;
export const MAX_UNIT = 247;

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ModbusFrameError };

export interface RtuFrame {
  readonly unit: number;
  /** Function code and data, CRC stripped (a copy, safe to keep). */
  readonly pdu: Uint8Array;
}

export function encodeRtuAdu(unit: number, pdu: Uint8Array): Uint8Array {
  if (!Number.isInteger(unit) || unit < 0 || unit > MAX_UNIT) {
    throw badRequest(`unit ${unit} is not 0..${MAX_UNIT}`, { unit });
  }
  const body = new Uint8Array(1 + pdu.length);
  body[0] = unit;
  body.set(pdu, 1);
  return appendCrc(body);
}

export function encodeRtuRequest(unit: number, req: ModbusRequest): Uint8Array {
  return encodeRtuAdu(unit, encodeRequestPdu(req));
}

/** A slave never answers a broadcast, so unit 0 is refused here. */
export function encodeRtuResponse(unit: number, resp: ModbusResponse): Uint8Array {
  if (unit === BROADCAST_UNIT) throw badRequest('a broadcast request gets no response');
  return encodeRtuAdu(unit, encodeResponsePdu(resp));
}

/** Length and CRC checks only; the PDU is not interpreted. */
export function decodeRtuFrame(adu: Uint8Array): DecodeResult<RtuFrame> {
  if (adu.length < 4) {
    return fail(
      new ModbusFrameError('too-short', `RTU frame of ${adu.length} bytes`, { length: adu.length }),
    );
  }
  if (adu.length > RTU_MAX_ADU_BYTES) {
    return fail(
      new ModbusFrameError('too-long', `RTU frame of ${adu.length} bytes exceeds 256`, {
        length: adu.length,
      }),
    );
  }
  if (!hasValidCrc(adu)) {
    return fail(
      new ModbusFrameError('crc', `CRC mismatch in a ${adu.length}-byte frame`, {
        length: adu.length,
        unit: adu[0],
      }),
    );
  }
  return { ok: true, value: { unit: adu[0]!, pdu: adu.slice(1, adu.length - 2) } };
}

/** Slave side: a CRC-valid frame whose PDU is a request we serve (else `slaveException` says). */
export function decodeRtuRequest(
  adu: Uint8Array,
): DecodeResult<{ readonly unit: number; readonly request: ModbusRequest }> {
  const f = decodeRtuFrame(adu);
  if (!f.ok) return f;
  return guard(
    () => ({ unit: f.value.unit, request: decodeRequestPdu(f.value.pdu) }),
    f.value.unit,
  );
}

/** Master side: a CRC-valid frame holding a well-formed response PDU. */
export function decodeRtuResponse(
  adu: Uint8Array,
): DecodeResult<{ readonly unit: number; readonly response: ModbusResponse }> {
  const f = decodeRtuFrame(adu);
  if (!f.ok) return f;
  return guard(
    () => ({ unit: f.value.unit, response: decodeResponsePdu(f.value.pdu) }),
    f.value.unit,
  );
}

function guard<T>(decode: () => T, unit: number): DecodeResult<T> {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (e instanceof ModbusFrameError) {
      return fail(
        new ModbusFrameError(e.problem, e.message, { ...e.context, unit }, e.slaveException),
      );
    }
    // Anything else is a bug in the PDU decoders; surface it as a frame error rather than throw.
    return fail(new ModbusFrameError('bad-length', `undecodable PDU: ${String(e)}`, { unit }));
  }
}

function fail(error: ModbusFrameError): { ok: false; error: ModbusFrameError } {
  return { ok: false, error };
}
