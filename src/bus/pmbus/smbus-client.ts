import { ErrorCode, isOrv3Error, Orv3Error } from '../../errors.js';
import {
  buildReadBlock,
  buildReadByte,
  buildReadWord,
  buildSendByte,
  buildWriteBlock,
  buildWriteByte,
  buildWriteWord,
  parseBlockRead,
  parseReadByte,
  parseReadWord,
  PMBUS_BLOCK_MAX,
} from '../../protocol/smbus/index.js';
import type { SmbusTransfer } from '../../protocol/smbus/index.js';
import { busTimeOfError } from './adapter.js';
import type { SmbusAdapter } from './adapter.js';
import type { PmbusClient, PmbusCounters, PmbusRequestOptions } from './client.js';
import { BusQueue } from './queue.js';
import type { Priority } from './queue.js';

/** PMBus PAGE command (Part II §11.10). */
export const PMBUS_PAGE = 0x00;

export interface SmbusClientOptions {
  /** Append PEC to writes and demand it on reads (default true). Off only for devices without. */
  readonly pec?: boolean;
  /** Default repeats of a read after a PEC error, bad response or I/O fault (default 0). */
  readonly readRetries?: number;
  /** Largest block accepted or sent (default 255, PMBus 1.3; 32 for SMBus 2.0 devices). */
  readonly blockMax?: number;
  /** Waiting transactions beyond which a request is refused with QueueOverflow (default 256). */
  readonly maxQueue?: number;
}

function zeroCounters(): PmbusCounters {
  return { transactions: 0, nacks: 0, pecErrors: 0, badResponses: 0, retries: 0, busTimeUs: 0 };
}

/** Faults a repeated read can cure; a NACK is an answer (absent device, refused command). */
function retryable(e: unknown): boolean {
  return (
    isOrv3Error(e, ErrorCode.PmbusPec) ||
    isOrv3Error(e, ErrorCode.PmbusBadResponse) ||
    isOrv3Error(e, ErrorCode.TransportIo)
  );
}

/**
 * PmbusClient over any SmbusAdapter: builds each transaction's bytes, appends PEC to writes,
 * checks PEC on reads (a wrong PEC is never data), serialises the bus through a priority queue,
 * caches PAGE per device and keeps per-address counters. Writes are never retried: a write
 * whose ACK was lost may already have acted (EXT_PSU_RESTART, CLEAR_FAULTS).
 */
export class SmbusPmbusClient implements PmbusClient {
  private readonly adapter: SmbusAdapter;
  private readonly pec: boolean;
  private readonly readRetries: number;
  private readonly blockMax: number;
  private readonly queue: BusQueue;
  private readonly stats = new Map<number, PmbusCounters>();
  private readonly pages = new Map<number, number>();
  private readonly pageLocks = new Map<number, Promise<void>>();

  constructor(adapter: SmbusAdapter, opts: SmbusClientOptions = {}) {
    this.adapter = adapter;
    this.pec = opts.pec ?? true;
    this.readRetries = opts.readRetries ?? 0;
    this.blockMax = opts.blockMax ?? PMBUS_BLOCK_MAX;
    this.queue = new BusQueue(opts.maxQueue ?? 256);
  }

  get clockHz(): number {
    return this.adapter.clockHz;
  }

  readByte(address: number, command: number, opts: PmbusRequestOptions = {}): Promise<number> {
    const t = buildReadByte(address, command, this.pec);
    return this.read(t, opts, (rx) => parseReadByte(t, rx, this.pec));
  }

  readWord(address: number, command: number, opts: PmbusRequestOptions = {}): Promise<number> {
    const t = buildReadWord(address, command, this.pec);
    return this.read(t, opts, (rx) => parseReadWord(t, rx, this.pec));
  }

  readBlock(address: number, command: number, opts: PmbusRequestOptions = {}): Promise<Uint8Array> {
    const t = buildReadBlock(address, command, this.pec, this.blockMax);
    return this.read(t, opts, (rx) => parseBlockRead(t, rx, this.pec, this.blockMax));
  }

  async writeByte(
    address: number,
    command: number,
    value: number,
    opts: PmbusRequestOptions = {},
  ): Promise<void> {
    const t = buildWriteByte(address, command, value, this.pec);
    if (command !== PMBUS_PAGE) return this.write(t, opts);
    // Whatever the outcome, the page is only known again after a write the device accepted.
    this.pages.delete(address);
    await this.write(t, opts);
    this.pages.set(address, value);
  }

  writeWord(
    address: number,
    command: number,
    value: number,
    opts: PmbusRequestOptions = {},
  ): Promise<void> {
    return this.write(buildWriteWord(address, command, value, this.pec), opts);
  }

  sendByte(address: number, command: number, opts: PmbusRequestOptions = {}): Promise<void> {
    return this.write(buildSendByte(address, command, this.pec), opts);
  }

  writeBlock(
    address: number,
    command: number,
    data: Uint8Array,
    opts: PmbusRequestOptions = {},
  ): Promise<void> {
    return this.write(buildWriteBlock(address, command, data, this.pec, this.blockMax), opts);
  }

  async withPage<T>(
    address: number,
    page: number,
    fn: () => Promise<T>,
    opts: PmbusRequestOptions = {},
  ): Promise<T> {
    if (!Number.isInteger(page) || page < 0 || page > 0xff) {
      throw new Orv3Error(ErrorCode.CodecRange, `PMBus page ${page} is not a byte`, { page });
    }
    const before = this.pageLocks.get(address) ?? Promise.resolve();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const mine = before.then(() => gate);
    this.pageLocks.set(address, mine);
    await before;
    try {
      if (this.pages.get(address) !== page) {
        await this.writeByte(address, PMBUS_PAGE, page, { priority: opts.priority ?? 'telemetry' });
      }
      return await fn();
    } finally {
      release();
      if (this.pageLocks.get(address) === mine) this.pageLocks.delete(address);
    }
  }

  invalidatePage(address: number): void {
    this.pages.delete(address);
  }

  /** The page the client believes the device is on, or undefined. */
  cachedPage(address: number): number | undefined {
    return this.pages.get(address);
  }

  counters(address: number): PmbusCounters {
    return { ...(this.stats.get(address) ?? zeroCounters()) };
  }

  addresses(): number[] {
    return [...this.stats.keys()].sort((a, b) => a - b);
  }

  /** Transactions waiting for the bus. */
  get queued(): number {
    return this.queue.queued;
  }

  async close(): Promise<void> {
    this.queue.close(new Orv3Error(ErrorCode.TransportClosed, 'PMBus client closed'));
    // The adapter lets its transaction in flight finish before it closes.
    await this.adapter.close();
  }

  private countersFor(address: number): PmbusCounters {
    let c = this.stats.get(address);
    if (c === undefined) {
      c = zeroCounters();
      this.stats.set(address, c);
    }
    return c;
  }

  /** One attempt: puts `t` on the bus, counts what happened, returns the parsed value. */
  private async attempt<T>(t: SmbusTransfer, parse: (rx: Uint8Array) => T): Promise<T> {
    const c = this.countersFor(t.address);
    c.transactions++;
    let rx: Uint8Array;
    try {
      const r = await this.adapter.transfer(t);
      c.busTimeUs += r.busTimeUs;
      rx = r.data;
    } catch (e) {
      c.busTimeUs += busTimeOfError(e);
      this.count(c, e);
      // An address NACK may be a restart in progress: PAGE will be back at its default.
      if (isOrv3Error(e, ErrorCode.PmbusNack) && e.context['phase'] === 'address') {
        this.pages.delete(t.address);
      }
      throw e;
    }
    try {
      return parse(rx);
    } catch (e) {
      this.count(c, e);
      throw e;
    }
  }

  private count(c: PmbusCounters, e: unknown): void {
    if (isOrv3Error(e, ErrorCode.PmbusNack)) c.nacks++;
    else if (isOrv3Error(e, ErrorCode.PmbusPec)) c.pecErrors++;
    else if (isOrv3Error(e, ErrorCode.PmbusBadResponse)) c.badResponses++;
  }

  private read<T>(
    t: SmbusTransfer,
    opts: PmbusRequestOptions,
    parse: (rx: Uint8Array) => T,
  ): Promise<T> {
    const retries = opts.retries ?? this.readRetries;
    return this.queue.run(opts.priority ?? 'telemetry', async () => {
      for (let n = 0; ; n++) {
        try {
          return await this.attempt(t, parse);
        } catch (e) {
          if (n >= retries || !retryable(e)) throw e;
          this.countersFor(t.address).retries++;
        }
      }
    });
  }

  private write(t: SmbusTransfer, opts: PmbusRequestOptions): Promise<void> {
    const priority: Priority = opts.priority ?? 'control';
    return this.queue.run(priority, () => this.attempt(t, () => undefined));
  }
}
