/**
 * What the device layer sees of a Modbus bus: one client per physical bus (an RS-485 line, or a
 * TCP gateway), serialising requests through a priority queue. RTU, TCP and the simulated twin
 * all implement it, so drivers and tests never know which wire they are on.
 */

/** Control writes go before telemetry; discovery and re-probing yield to both. */
export type Priority = 'control' | 'telemetry' | 'background';

export interface RequestOptions {
  priority?: Priority;
  /** Response timeout for this request, ms (default: the client's per-device timeout). */
  timeoutMs?: number;
  /** Retries after a timeout or CRC error; honoured only for idempotent functions (reads). */
  retries?: number;
}

export interface LatencyHistogram {
  /** Upper bounds of the buckets, ms; the last bucket is open-ended. */
  readonly boundsMs: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  percentileMs(p: number): number;
}

export interface DeviceCounters {
  requests: number;
  responses: number;
  timeouts: number;
  crcErrors: number;
  /** Frames that were not a valid response to the request (wrong unit, function, length). */
  badFrames: number;
  exceptions: number;
  retries: number;
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
  /** Function 0x06. */
  writeSingleRegister(unit: number, address: number, value: number, opts?: RequestOptions): Promise<void>;
  /** Function 0x10. */
  writeMultipleRegisters(
    unit: number,
    start: number,
    values: ArrayLike<number>,
    opts?: RequestOptions,
  ): Promise<void>;
  /** Line speed for the timing model and the silent interval (RTU); TCP reports its own. */
  readonly baudRate: number;
  /** Per-unit counters (created on first use). */
  counters(unit: number): DeviceCounters;
  /** Units with counters so far. */
  units(): number[];
  close(): Promise<void>;
}
