/**
 * Modbus TCP (Modbus Messaging on TCP/IP v1.0b §3.1): MBAP header = transaction id (2),
 * protocol id (2, always 0), length (2, counts the unit id and the PDU), unit id (1); then the
 * PDU. No CRC: TCP guards the bytes. All fields big-endian.
 */
import { ModbusFrameError, badRequest } from './errors.js';
import {
  encodeRequestPdu,
  encodeResponsePdu,
  PduLimits,
  type ModbusRequest,
  type ModbusResponse,
} from './pdu.js';
import type { DecodeResult } from './rtu.js';

export const MBAP_HEADER_BYTES = 7;
/** Length field bounds: unit id + a PDU of 1..253 bytes. */
const MIN_MBAP_LENGTH = 2;
const MAX_MBAP_LENGTH = 1 + PduLimits.maxPduBytes;

export interface MbapHeader {
  readonly transactionId: number;
  readonly protocolId: number;
  /** Bytes that follow the length field: unit id + PDU. */
  readonly length: number;
  readonly unit: number;
}

export interface TcpFrame {
  readonly transactionId: number;
  readonly unit: number;
  readonly pdu: Uint8Array;
}

export function encodeTcpAdu(transactionId: number, unit: number, pdu: Uint8Array): Uint8Array {
  if (!Number.isInteger(transactionId) || transactionId < 0 || transactionId > 0xffff) {
    throw badRequest(`transaction id ${transactionId} is not 0..65535`);
  }
  // TCP unit ids are a full byte (0xFF is the usual "no routing" id of a plain TCP device).
  if (!Number.isInteger(unit) || unit < 0 || unit > 0xff)
    throw badRequest(`unit ${unit} is not 0..255`);
  if (pdu.length < 1 || pdu.length > PduLimits.maxPduBytes) {
    throw badRequest(`PDU of ${pdu.length} bytes is not 1..${PduLimits.maxPduBytes}`);
  }
  const adu = new Uint8Array(MBAP_HEADER_BYTES + pdu.length);
  adu[0] = transactionId >>> 8;
  adu[1] = transactionId & 0xff;
  // adu[2], adu[3]: protocol id 0 (Modbus).
  adu[4] = (pdu.length + 1) >>> 8;
  adu[5] = (pdu.length + 1) & 0xff;
  adu[6] = unit;
  adu.set(pdu, MBAP_HEADER_BYTES);
  return adu;
}

export function encodeTcpRequest(
  transactionId: number,
  unit: number,
  req: ModbusRequest,
): Uint8Array {
  return encodeTcpAdu(transactionId, unit, encodeRequestPdu(req));
}

export function encodeTcpResponse(
  transactionId: number,
  unit: number,
  resp: ModbusResponse,
): Uint8Array {
  return encodeTcpAdu(transactionId, unit, encodeResponsePdu(resp));
}

/** Checks a header at `offset` (needs 7 bytes there). */
export function decodeMbapHeader(bytes: Uint8Array, offset = 0): DecodeResult<MbapHeader> {
  if (bytes.length - offset < MBAP_HEADER_BYTES) {
    return {
      ok: false,
      error: new ModbusFrameError(
        'too-short',
        `MBAP header needs 7 bytes, got ${bytes.length - offset}`,
      ),
    };
  }
  const transactionId = (bytes[offset]! << 8) | bytes[offset + 1]!;
  const protocolId = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  const length = (bytes[offset + 4]! << 8) | bytes[offset + 5]!;
  const unit = bytes[offset + 6]!;
  if (protocolId !== 0) {
    return {
      ok: false,
      error: new ModbusFrameError('bad-protocol-id', `MBAP protocol id ${protocolId} is not 0`, {
        transactionId,
        protocolId,
      }),
    };
  }
  if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) {
    return {
      ok: false,
      error: new ModbusFrameError(
        'bad-mbap-length',
        `MBAP length ${length} is not ${MIN_MBAP_LENGTH}..${MAX_MBAP_LENGTH}`,
        { transactionId, length },
      ),
    };
  }
  return { ok: true, value: { transactionId, protocolId, length, unit } };
}

export type TcpStreamEvent =
  | { readonly type: 'frame'; readonly frame: TcpFrame }
  | { readonly type: 'error'; readonly error: ModbusFrameError };

/**
 * Splits a TCP byte stream into MBAP frames. A bad header means the stream has lost its frame
 * boundaries for good (there is no resynchronisation marker in MBAP): the splitter reports it,
 * drops what it holds and the caller should close the connection.
 */
export class MbapStreamSplitter {
  private buf = new Uint8Array(0);

  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): TcpStreamEvent[] {
    const out: TcpStreamEvent[] = [];
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf, 0);
    joined.set(chunk, this.buf.length);
    let at = 0;
    while (joined.length - at >= MBAP_HEADER_BYTES) {
      const h = decodeMbapHeader(joined, at);
      if (!h.ok) {
        out.push({ type: 'error', error: h.error });
        this.buf = new Uint8Array(0);
        return out;
      }
      const end = at + 6 + h.value.length;
      if (end > joined.length) break;
      out.push({
        type: 'frame',
        frame: {
          transactionId: h.value.transactionId,
          unit: h.value.unit,
          pdu: joined.slice(at + MBAP_HEADER_BYTES, end),
        },
      });
      at = end;
    }
    this.buf = joined.slice(at);
    return out;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
  }
}
