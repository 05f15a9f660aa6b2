/**
 * What the device layer sees of a Modbus bus: one client per physical bus (an RS-485 line, or a
 * TCP gateway), serialising requests through a priority queue. RTU (over a real port or the
 * simulated line) and TCP implement it, so drivers and tests never know which wire they are on.
 *
 * Errors (all Orv3Error): ModbusTimeout, ModbusCrc, ModbusFrame (after retries, reads only),
 * ModbusException (a ModbusExceptionError with `exceptionCode`), ModbusBadRequest (arguments),
 * QueueOverflow, TransportIo, TransportClosed.
 */

import type { Priority } from '../priority-queue.js';

export type { Priority };

export interface RequestOptions {
  /** Default 'telemetry'. */
  priority?: Priority;
  /** Response timeout for this request, ms (default: the unit's, see UnitOptions). */
  timeoutMs?: number;
  /**
   * Retries after a timeout, CRC error, garbled frame or transport error; honoured only for
   * idempotent functions (reads). Default: the client's (2).
   */
  retries?: number;
}

/** Per-device settings (a device's measured turnaround, a slow device's timeout). */
export interface UnitOptions {
  /** Response timeout, ms. Default: the client's base timeout + the modelled transaction time. */
  timeoutMs?: number;
  /** End of request → first response byte, µs, for the modelled transaction time (RTU). */
  turnaroundUs?: number;
}

export interface LatencyHistogram {
  /** Upper bounds of the buckets, ms; the last bucket is open-ended. */
  readonly boundsMs: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  /**
   * p in 0..100 (99 = p99): the upper bound of the bucket holding that percentile (the largest
   * value seen for the open bucket); NaN while empty.
   */
  percentileMs(p: number): number;
}

/** Counted per unit, per attempt on the wire (a read retried twice is 3 requests, 2 retries). */
export interface DeviceCounters {
  requests: number;
  /** Valid answers to our requests, exception responses included. */
  responses: number;
  timeouts: number;
  crcErrors: number;
  /** Frames that were not a valid response to the request (wrong unit, function, length). */
  badFrames: number;
  exceptions: number;
  retries: number;
  /** Request start on the wire → response complete, for answered requests. */
  readonly latency: LatencyHistogram;
}

export interface ModbusClient {
  readonly transport: 'rtu' | 'tcp' | 'sim';
  /** Function 0x03. */
  readHoldingRegisters(
    unit: number,
    start: number,
    count: number,
    opts?: RequestOptions,
  ): Promise<Uint16Array>;
  /** Function 0x04. */
  readInputRegisters(
    unit: number,
    start: number,
    count: number,
    opts?: RequestOptions,
  ): Promise<Uint16Array>;
  /** Function 0x06. Unit 0 broadcasts (RTU): resolves once sent, no response. */
  writeSingleRegister(
    unit: number,
    address: number,
    value: number,
    opts?: RequestOptions,
  ): Promise<void>;
  /** Function 0x10. Unit 0 broadcasts (RTU): resolves once sent, no response. */
  writeMultipleRegisters(
    unit: number,
    start: number,
    values: ArrayLike<number>,
    opts?: RequestOptions,
  ): Promise<void>;
  /**
   * Line speed for the timing model and the silent interval (RTU); a TCP client reports the
   * downstream line's rate it was configured with, or 0 when unknown.
   */
  readonly baudRate: number;
  /**
   * Per-device timeout and turnaround; undefined fields fall back to the client's defaults.
   * Optional so that test fakes need not implement it: call as `client.configureUnit?.(…)`.
   */
  configureUnit?(unit: number, options: UnitOptions): void;
  /** Per-unit counters (created on first use; a live view). */
  counters(unit: number): DeviceCounters;
  /** Units with counters so far. */
  units(): number[];
  /** Rejects queued and in-flight requests with TransportClosed and releases the transport. */
  close(): Promise<void>;
}
