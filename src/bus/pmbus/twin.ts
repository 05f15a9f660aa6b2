import type { Clock } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import {
  shapeOf,
  slaveResponse,
  smbusTiming,
  transactionTimeUs,
  writePecValid,
} from '../../protocol/smbus/index.js';
import type { SmbusTiming, SmbusTransfer, WireShape } from '../../protocol/smbus/index.js';
import type { PmbusTransaction } from '../../regmap/index.js';
import { closedError, nackError } from './adapter.js';
import type { NackPhase, SmbusAdapter, SmbusResult, SyncSmbusAdapter } from './adapter.js';

/** A command as the device's table declares it: enough to frame its bytes. */
export interface PmbusCommandShape {
  readonly code: number;
  readonly transactions: readonly PmbusTransaction[];
}

/**
 * A PMBus device at command level, shaped like sim/facade's PmbusFacade (src must not import
 * sim/). Methods take and return raw data (bytes, 16-bit words, block bytes without the count)
 * and throw to refuse; a thrown `cmlBit` of 0x80 (invalid command) is NACKed on the command byte,
 * anything else on the last byte received.
 */
export interface PmbusDeviceLike {
  /** False while the device is off the bus (e.g. its controller is unpowered): address NACK. */
  readonly responding?: boolean;
  /** The command table; the twin needs it to tell a write word from a one-byte block write. */
  commands(): readonly PmbusCommandShape[];
  readByte(code: number): number;
  readWord(code: number): number;
  readBlock(code: number): Uint8Array;
  writeByte(code: number, value: number): void;
  writeWord(code: number, value: number): void;
  writeBlock(code: number, data: Uint8Array): void;
  sendByte(code: number): void;
  /** Optional: latch STATUS_CML "packet error check failed" (bit 5) after a bad write PEC. */
  pecFailed?(code: number): void;
}

export interface SimulatedSmbusOptions {
  readonly clock: Clock;
  /** The device at a 7-bit address on this bus, or undefined (address NACK). */
  readonly lookup: (address7: number) => PmbusDeviceLike | undefined;
  /** SCL clock, Hz (default 400 kHz). */
  readonly clockHz?: number;
  /** Overrides of the speed class's START/STOP/bus-free figures and clock stretching. */
  readonly timing?: Partial<Omit<SmbusTiming, 'clockHz'>>;
  /** Devices NACK writes without PEC (default false: PEC is optional per transaction). */
  readonly requirePec?: boolean;
  /** Fault injection: may alter the slave's response bytes (data, count, PEC) in place. */
  readonly corruptResponse?: (address: number, command: number, response: Uint8Array) => void;
}

type Outcome =
  | { readonly shape: WireShape; readonly data: Uint8Array }
  | { readonly shape: WireShape; readonly nack: NackPhase; readonly why: string }
  | { readonly shape: WireShape; readonly bad: string };

const INVALID_COMMAND = 0x80;
const EMPTY = new Uint8Array(0);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The simulated twin of an i2c-dev bus: turns byte-level transactions into device command calls,
 * answers with the device's PEC, checks the PEC of writes, NACKs what a device would, and charges
 * each transaction's modelled bus time on the clock before it resolves. Transactions are strictly
 * sequential; the device acts when the transaction starts and the caller sees the result after
 * its wire time (the difference is one transaction, ~0.14 ms at 400 kHz).
 */
export class SimulatedSmbusAdapter implements SmbusAdapter, SyncSmbusAdapter {
  readonly kind = 'sim' as const;
  readonly clockHz: number;
  readonly timing: SmbusTiming;
  private readonly opts: SimulatedSmbusOptions;
  private readonly tables = new WeakMap<
    PmbusDeviceLike,
    Map<number, readonly PmbusTransaction[]>
  >();
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private total = { transactions: 0, busTimeUs: 0 };

  constructor(opts: SimulatedSmbusOptions) {
    this.opts = opts;
    this.clockHz = opts.clockHz ?? 400_000;
    this.timing = smbusTiming(this.clockHz, opts.timing);
  }

  /** Transactions run and bus time charged since construction, µs. */
  get stats(): { readonly transactions: number; readonly busTimeUs: number } {
    return { ...this.total };
  }

  transfer(t: SmbusTransfer): Promise<SmbusResult> {
    // Checked at submission: a transaction already handed over still runs after close().
    if (this.closed) return Promise.reject(closedError(this.kind));
    const run = this.tail.then(() => this.run(t));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }

  /**
   * The same transaction without waiting: the device acts now and the modelled bus time is
   * returned for the caller to account (the control loop's lockstep runner advances the shelf by
   * it). Never call it while an async transfer is queued on this adapter.
   */
  transferSync(t: SmbusTransfer): SmbusResult {
    if (this.closed) throw closedError(this.kind);
    return this.settle(t, this.exchange(t));
  }

  private async run(t: SmbusTransfer): Promise<SmbusResult> {
    const out = this.exchange(t);
    await this.opts.clock.sleep(transactionTimeUs(out.shape, this.timing) / 1000);
    return this.settle(t, out);
  }

  private settle(t: SmbusTransfer, out: Outcome): SmbusResult {
    const us = transactionTimeUs(out.shape, this.timing);
    this.total.transactions++;
    this.total.busTimeUs += us;
    if ('nack' in out) throw nackError(t, out.nack, us, out.why);
    if ('bad' in out) {
      throw new Orv3Error(
        ErrorCode.PmbusBadResponse,
        `SMBus 0x${t.address.toString(16)}: ${out.bad}`,
        {
          address: t.address,
          command: t.write[0],
          busTimeUs: us,
        },
      );
    }
    return { data: out.data, busTimeUs: us };
  }

  private exchange(t: SmbusTransfer): Outcome {
    const dev = this.opts.lookup(t.address);
    if (dev === undefined || dev.responding === false) {
      return { shape: { writeBytes: 1, readBytes: 0 }, nack: 'address', why: 'no device' };
    }
    const cmd = t.write[0];
    // Quick command style probe: the address alone, acknowledged.
    if (cmd === undefined) return { shape: shapeOf(t), data: EMPTY };
    const kinds = this.transactionsOf(dev, cmd);
    return t.read === undefined ? this.write(dev, t, cmd, kinds) : this.read(dev, t, cmd, kinds);
  }

  private transactionsOf(dev: PmbusDeviceLike, cmd: number): readonly PmbusTransaction[] {
    let table = this.tables.get(dev);
    if (table === undefined) {
      table = new Map(dev.commands().map((c) => [c.code, c.transactions]));
      this.tables.set(dev, table);
    }
    return table.get(cmd) ?? [];
  }

  private refused(e: unknown, full: WireShape): Outcome {
    const cml = e instanceof Orv3Error ? e.context['cmlBit'] : undefined;
    if (cml === INVALID_COMMAND) {
      return { shape: { writeBytes: 2, readBytes: 0 }, nack: 'command', why: message(e) };
    }
    return { shape: full, nack: 'data', why: message(e) };
  }

  private write(
    dev: PmbusDeviceLike,
    t: SmbusTransfer,
    cmd: number,
    kinds: readonly PmbusTransaction[],
  ): Outcome {
    const full = shapeOf(t);
    const kind = kinds.find((k) => k === 'sendByte' || k.startsWith('write'));
    if (kind === undefined) {
      // Let the device latch STATUS_CML "invalid command" as real firmware does; it will refuse.
      try {
        dev.sendByte(cmd);
      } catch (e) {
        return this.refused(e, full);
      }
      return { shape: { writeBytes: 2, readBytes: 0 }, nack: 'command', why: 'no write form' };
    }
    const w = t.write;
    const dataLen =
      kind === 'sendByte'
        ? 0
        : kind === 'writeByte'
          ? 1
          : kind === 'writeWord'
            ? 2
            : 1 + (w[1] ?? 0);
    const got = w.length - 1;
    if (got === dataLen + 1) {
      if (!writePecValid(t.address, w)) {
        dev.pecFailed?.(cmd);
        return { shape: full, nack: 'data', why: 'PEC mismatch, write discarded' };
      }
    } else if (got !== dataLen) {
      return {
        shape: full,
        nack: 'data',
        why: `${got} bytes after the command, ${kind} takes ${dataLen}`,
      };
    } else if (this.opts.requirePec === true) {
      return { shape: full, nack: 'data', why: 'PEC required' };
    }
    try {
      switch (kind) {
        case 'sendByte':
          dev.sendByte(cmd);
          break;
        case 'writeByte':
          dev.writeByte(cmd, w[1]!);
          break;
        case 'writeWord':
          dev.writeWord(cmd, w[1]! | (w[2]! << 8));
          break;
        default:
          dev.writeBlock(cmd, w.slice(2, 2 + dataLen - 1));
      }
    } catch (e) {
      return this.refused(e, full);
    }
    return { shape: full, data: EMPTY };
  }

  private read(
    dev: PmbusDeviceLike,
    t: SmbusTransfer,
    cmd: number,
    kinds: readonly PmbusTransaction[],
  ): Outcome {
    const read = t.read!;
    if (t.write.length !== 1) {
      // PMBus devices here have no process calls: they NACK the data byte after the command.
      return { shape: { writeBytes: 3, readBytes: 0 }, nack: 'data', why: 'no process call' };
    }
    let data: Uint8Array;
    try {
      const kind = kinds.find((k) => k.startsWith('read')) ?? 'readWord';
      if (kind === 'readByte') data = Uint8Array.of(dev.readByte(cmd));
      else if (kind === 'readWord') {
        const v = dev.readWord(cmd);
        data = Uint8Array.of(v & 0xff, (v >> 8) & 0xff);
      } else {
        const b = dev.readBlock(cmd).subarray(0, 255);
        data = Uint8Array.of(b.length, ...b);
      }
    } catch (e) {
      return { shape: { writeBytes: 2, readBytes: 0 }, nack: 'command', why: message(e) };
    }
    // The slave always has its PEC ready; the master decides how many bytes it clocks in.
    const stream = slaveResponse(t.address, t.write, data);
    this.opts.corruptResponse?.(t.address, cmd, stream);
    let n: number;
    if (read.kind === 'bytes') n = read.length;
    else {
      const count = stream[0]!;
      if (count > read.maxCount) {
        return {
          shape: { writeBytes: 2, readBytes: 2 },
          bad: `block count ${count} > ${read.maxCount}`,
        };
      }
      n = 1 + count + read.trailer;
    }
    // Past the slave's last byte the master reads the bus pull-up: 0xFF.
    const rx = new Uint8Array(n).fill(0xff);
    rx.set(stream.subarray(0, n));
    return { shape: shapeOf(t, n), data: rx };
  }
}
