import type { Priority } from './queue.js';

/**
 * What the device layer sees of a PMBus/SMBus segment: command-level transactions with PEC,
 * over a byte-level adapter (Linux i2c-dev, or the simulated twin). Values are raw data words or
 * bytes; src/regmap's PMBus codecs turn them into SI units.
 */
export interface PmbusCounters {
  /** Transactions put on the bus, retries included. */
  transactions: number;
  nacks: number;
  pecErrors: number;
  /** Responses with a wrong length or block count. */
  badResponses: number;
  /** Read attempts repeated after a PEC error, bad response or I/O fault. */
  retries: number;
  /** Bus time spent, µs (modelled on the simulated twin, measured on hardware). */
  busTimeUs: number;
}

export interface PmbusRequestOptions {
  /** Queue priority (default 'telemetry'; writes default to 'control'). */
  priority?: Priority;
  /** Reads only: repeats after a PEC error, bad response or I/O fault (default: the client's). */
  retries?: number;
}

export interface PmbusClient {
  /** SMBus clock, Hz (100 kHz, 400 kHz or 1 MHz), for the timing model. */
  readonly clockHz: number;
  readByte(address: number, command: number, opts?: PmbusRequestOptions): Promise<number>;
  /** The 16-bit data word (sent low byte first on the wire). */
  readWord(address: number, command: number, opts?: PmbusRequestOptions): Promise<number>;
  /** Data bytes only (the count byte and PEC are checked and stripped). */
  readBlock(address: number, command: number, opts?: PmbusRequestOptions): Promise<Uint8Array>;
  writeByte(
    address: number,
    command: number,
    value: number,
    opts?: PmbusRequestOptions,
  ): Promise<void>;
  writeWord(
    address: number,
    command: number,
    value: number,
    opts?: PmbusRequestOptions,
  ): Promise<void>;
  sendByte(address: number, command: number, opts?: PmbusRequestOptions): Promise<void>;
  writeBlock(
    address: number,
    command: number,
    data: Uint8Array,
    opts?: PmbusRequestOptions,
  ): Promise<void>;
  /**
   * Runs `fn` with the device on `page` (0–0x1F, or 0xFF for all pages): writes PAGE only when
   * the cached page differs, and holds the device's page until `fn` settles, so two callers on
   * different pages of one device never interleave. Do not nest withPage on the same address.
   */
  withPage<T>(
    address: number,
    page: number,
    fn: () => Promise<T>,
    opts?: PmbusRequestOptions,
  ): Promise<T>;
  /** Forget the cached page (e.g. after the device restarted, which resets PAGE to 0). */
  invalidatePage(address: number): void;
  /** A snapshot of one address's counters (zeros for an address never used). */
  counters(address: number): PmbusCounters;
  /** Addresses with counters so far, ascending. */
  addresses(): number[];
  close(): Promise<void>;
}
