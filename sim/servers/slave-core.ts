/**
 * What RTU and TCP servers share: the narrow view of a simulated slave they need, request PDU
 * decoding into "serve it" or "answer this exception", execution against the slave, and counters.
 * Framing and timing live in the transports; the bytes come from src/protocol on both sides.
 */
import {
  ExceptionCode,
  ModbusFrameError,
  decodeRequestPdu,
  type ExceptionResponse,
  type ModbusRequest,
  type ModbusResponse,
} from '../../src/protocol/modbus/index.js';
import { ModbusException } from '../facade/index.js';

/** One slave as the wire sees it; sim/facade's ModbusFacade is one, a test may pass its own. */
export interface ModbusSlave {
  /** False while the device would not answer at all (PSU controller unpowered). */
  readonly responding: boolean;
  readHoldingRegisters(start: number, count: number): Uint16Array;
  readInputRegisters(start: number, count: number): Uint16Array;
  writeSingleRegister(address: number, value: number): void;
  writeMultipleRegisters(start: number, values: ArrayLike<number>): void;
}

/** The slaves on one line or behind one TCP server; sim/facade's DeviceDirectory is one. */
export interface ModbusSlaveSet {
  /** The slave at an address, or undefined (no such device: the line stays silent). */
  modbus(address: number): ModbusSlave | undefined;
  /** Every device with its address (broadcasts reach them all). */
  list(): readonly { readonly modbusAddress: number }[];
}

export type DecodedRequest =
  | { readonly ok: true; readonly request: ModbusRequest }
  /** A request the slave must refuse with `exception` (01 unknown function, 03 malformed). */
  | { readonly ok: false; readonly exception: ExceptionResponse }
  /** Not even a request a slave can refuse (e.g. empty PDU): silence. */
  | { readonly ok: false; readonly exception: undefined };

/** Decodes a request PDU; never throws. */
export function decodeRequest(pdu: Uint8Array): DecodedRequest {
  try {
    return { ok: true, request: decodeRequestPdu(pdu) };
  } catch (e) {
    if (e instanceof ModbusFrameError && e.slaveException !== undefined && pdu.length > 0) {
      return { ok: false, exception: exception(pdu[0]! & 0x7f, e.slaveException) };
    }
    return { ok: false, exception: undefined };
  }
}

export function exception(fc: number, code: ExceptionCode): ExceptionResponse {
  return { kind: 'exception', fc, exceptionCode: code };
}

/**
 * Runs a decoded request on a slave. The façade's ModbusException becomes its exception code
 * (02/03 as the device decides); anything else it throws is a server failure (04), because a
 * real slave answers rather than going silent when its own firmware trips.
 */
export function execute(slave: ModbusSlave, req: ModbusRequest): ModbusResponse {
  try {
    switch (req.fc) {
      case 0x03:
        return { kind: 'read', fc: 0x03, values: slave.readHoldingRegisters(req.start, req.count) };
      case 0x04:
        return { kind: 'read', fc: 0x04, values: slave.readInputRegisters(req.start, req.count) };
      case 0x06:
        slave.writeSingleRegister(req.address, req.value);
        return { kind: 'writeSingle', fc: 0x06, address: req.address, value: req.value };
      case 0x10:
        slave.writeMultipleRegisters(req.start, req.values);
        return { kind: 'writeMultiple', fc: 0x10, start: req.start, count: req.values.length };
    }
  } catch (e) {
    if (e instanceof ModbusException) return exception(req.fc, e.exceptionCode);
    return exception(req.fc, ExceptionCode.ServerDeviceFailure);
  }
}

/** Per-device counters of a server (the spec's slave diagnostics, named plainly). */
export interface SlaveCounters {
  /** Requests addressed to this device (not broadcasts). */
  requests: number;
  /** Normal responses sent. */
  responses: number;
  /** Exception responses sent, total and by exception code. */
  exceptions: number;
  readonly exceptionCodes: Record<number, number>;
  /** Requests left unanswered because the device was not responding. */
  noResponse: number;
  /** Broadcast writes this device applied (no response by definition). */
  broadcastWrites: number;
  /** Broadcasts it refused (an exception it could not send). */
  broadcastRefused: number;
}

/** Counters by device address, created on first use. */
export class SlaveCounterBook {
  private readonly byUnit = new Map<number, SlaveCounters>();

  device(unit: number): SlaveCounters {
    let c = this.byUnit.get(unit);
    if (c === undefined) {
      c = {
        requests: 0,
        responses: 0,
        exceptions: 0,
        exceptionCodes: {},
        noResponse: 0,
        broadcastWrites: 0,
        broadcastRefused: 0,
      };
      this.byUnit.set(unit, c);
    }
    return c;
  }

  units(): number[] {
    return [...this.byUnit.keys()].sort((a, b) => a - b);
  }

  /** Counts a response about to be sent by `unit`. */
  countResponse(unit: number, resp: ModbusResponse): void {
    const c = this.device(unit);
    if (resp.kind === 'exception') {
      c.exceptions++;
      c.exceptionCodes[resp.exceptionCode] = (c.exceptionCodes[resp.exceptionCode] ?? 0) + 1;
    } else {
      c.responses++;
    }
  }
}
