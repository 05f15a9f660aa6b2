import { access, constants } from 'node:fs/promises';
import type { Clock } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import type { SmbusTransfer } from '../../protocol/smbus/index.js';
import { closedError, nackError } from './adapter.js';
import type { SmbusAdapter, SmbusResult } from './adapter.js';

/**
 * SMBus over Linux i2c-dev through the `i2c-bus` package (optional, native). i2c-bus has no PEC
 * and no I2C_RDWR (DESIGN §9): its i2cRead/i2cWrite are plain read()/write() on the device file,
 * each its own START…STOP, so a write followed by a read would put a STOP where SMBus wants a
 * repeated start. Hence:
 * - reads use readI2cBlock (I2C_SMBUS_I2C_BLOCK_DATA): the kernel writes the command, repeated
 *   start, reads n ≤ 32 bytes — data and PEC clocked in as plain bytes, PEC checked by the client;
 * - block reads fetch min(32, 2 + maxCount) bytes and take the length from the count byte; a
 *   block longer than fits (count + PEC > 31) is refused, it would need I2C_M_RECV_LEN;
 * - writes go out as one plain I2C write (command, data, software PEC), or through
 *   writeI2cBlock on SMBus-only controllers (≤ 32 bytes after the command);
 * - process calls are not supported (their write phase is longer than the command byte).
 */

/** The part of i2c-bus's PromisifiedBus used here; a fake implements it in tests. */
export interface I2cBusLike {
  i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number }>;
  writeI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesWritten: number }>;
  sendByte(address: number, byte: number): Promise<void>;
  readI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
  ): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/** I2C_SMBUS_I2C_BLOCK_MAX of the kernel ABI: the most one I2C block transfer moves. */
export const I2C_BLOCK_MAX = 32;

export interface I2cDevOptions {
  /** Measures bus time (the real clock on hardware). */
  readonly clock: Clock;
  /** The bus's SCL rate as configured by the kernel (device tree); reported, not set. */
  readonly clockHz?: number;
  /** 'i2c' (plain writes, needs I2C_FUNC_I2C) or 'smbus' (I2C block writes, ≤ 32 bytes). */
  readonly writeVia?: 'i2c' | 'smbus';
}

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export class I2cDevAdapter implements SmbusAdapter {
  readonly kind = 'i2c-dev' as const;
  readonly clockHz: number;
  private readonly bus: I2cBusLike;
  private readonly clock: Clock;
  private readonly writeVia: 'i2c' | 'smbus';
  private closed = false;

  constructor(bus: I2cBusLike, opts: I2cDevOptions) {
    this.bus = bus;
    this.clock = opts.clock;
    this.clockHz = opts.clockHz ?? 400_000;
    this.writeVia = opts.writeVia ?? 'i2c';
  }

  async transfer(t: SmbusTransfer): Promise<SmbusResult> {
    if (this.closed) throw closedError(this.kind);
    const start = this.clock.nowMs();
    const elapsedUs = (): number => (this.clock.nowMs() - start) * 1000;
    try {
      const data = t.read === undefined ? await this.write(t) : await this.read(t);
      return { data, busTimeUs: elapsedUs() };
    } catch (e) {
      throw this.translate(t, e, elapsedUs());
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.bus.close();
  }

  private async write(t: SmbusTransfer): Promise<Uint8Array> {
    const w = t.write;
    if (this.writeVia === 'i2c' || w.length === 0) {
      const r = await this.bus.i2cWrite(t.address, w.length, Buffer.from(w));
      if (r.bytesWritten !== w.length) throw this.io(t, `wrote ${r.bytesWritten} of ${w.length}`);
    } else if (w.length === 1) {
      await this.bus.sendByte(t.address, w[0]!);
    } else {
      if (w.length - 1 > I2C_BLOCK_MAX)
        throw this.io(t, `${w.length - 1} bytes > ${I2C_BLOCK_MAX}`);
      await this.bus.writeI2cBlock(t.address, w[0]!, w.length - 1, Buffer.from(w.subarray(1)));
    }
    return new Uint8Array(0);
  }

  private async read(t: SmbusTransfer): Promise<Uint8Array> {
    const read = t.read!;
    if (t.write.length !== 1) throw this.io(t, 'combined writes beyond the command need I2C_RDWR');
    const n =
      read.kind === 'bytes'
        ? read.length
        : Math.min(I2C_BLOCK_MAX, 1 + read.maxCount + read.trailer);
    if (n > I2C_BLOCK_MAX) throw this.io(t, `a read of ${n} bytes > ${I2C_BLOCK_MAX}`);
    const buf = Buffer.alloc(n);
    const r = await this.bus.readI2cBlock(t.address, t.write[0]!, n, buf);
    if (r.bytesRead !== n) throw this.bad(t, `read ${r.bytesRead} of ${n} bytes`);
    if (read.kind === 'bytes') return new Uint8Array(buf);
    const count = buf[0]!;
    if (count > read.maxCount) throw this.bad(t, `block count ${count} > ${read.maxCount}`);
    const want = 1 + count + read.trailer;
    if (want > n) {
      throw this.bad(
        t,
        `block of ${count} bytes does not fit one ${I2C_BLOCK_MAX}-byte I2C block read`,
      );
    }
    return new Uint8Array(buf.subarray(0, want));
  }

  private io(t: SmbusTransfer, why: string): Orv3Error {
    return new Orv3Error(ErrorCode.TransportIo, `i2c-dev 0x${t.address.toString(16)}: ${why}`, {
      address: t.address,
      command: t.write[0],
    });
  }

  private bad(t: SmbusTransfer, why: string): Orv3Error {
    return new Orv3Error(
      ErrorCode.PmbusBadResponse,
      `i2c-dev 0x${t.address.toString(16)}: ${why}`,
      {
        address: t.address,
        command: t.write[0],
      },
    );
  }

  /** Kernel fault codes (Documentation/i2c/fault-codes.rst) → our codes, with the time spent. */
  private translate(t: SmbusTransfer, e: unknown, busTimeUs: number): Orv3Error {
    if (e instanceof Orv3Error) {
      return new Orv3Error(e.code, e.message, { ...e.context, busTimeUs });
    }
    const errno = errnoOf(e);
    const msg = e instanceof Error ? e.message : String(e);
    // ENXIO: the address phase got no ACK; EREMOTEIO: many bus drivers' NACK on data.
    if (errno === 'ENXIO') return nackError(t, 'address', busTimeUs, msg);
    if (errno === 'EREMOTEIO') return nackError(t, 'data', busTimeUs, msg);
    // EPROTO: the slave broke the protocol (e.g. a block count out of range).
    const code = errno === 'EPROTO' ? ErrorCode.PmbusBadResponse : ErrorCode.TransportIo;
    return new Orv3Error(code, `i2c-dev 0x${t.address.toString(16)}: ${msg}`, {
      address: t.address,
      command: t.write[0],
      errno,
      busTimeUs,
    });
  }
}

export interface OpenI2cDevOptions extends I2cDevOptions {
  /** Bus number N of /dev/i2c-N. */
  readonly bus: number;
  /** I2C_SLAVE_FORCE: talk to addresses a kernel driver has claimed (e.g. the pmbus hwmon). */
  readonly forceAccess?: boolean;
  /** Where the device files are (default /dev). */
  readonly devDir?: string;
}

/**
 * Opens /dev/i2c-N through i2c-bus, loaded only now so that the package stays optional. Checks
 * the device file first (i2c-bus opens a missing bus happily and fails at the first transfer)
 * and picks plain or SMBus block writes from the controller's functionality bits.
 */
export async function openI2cDev(opts: OpenI2cDevOptions): Promise<I2cDevAdapter> {
  const path = `${opts.devDir ?? '/dev'}/i2c-${opts.bus}`;
  try {
    await access(path, constants.R_OK | constants.W_OK);
  } catch (e) {
    throw new Orv3Error(ErrorCode.TransportIo, `${path}: ${errnoOf(e) ?? 'not accessible'}`, {
      path,
      hint: 'load i2c-dev (modprobe i2c-dev) and check permissions (group i2c)',
    });
  }
  let mod: typeof import('i2c-bus');
  try {
    mod = await import('i2c-bus');
  } catch (e) {
    throw new Orv3Error(
      ErrorCode.TransportIo,
      'the optional native package i2c-bus is not installed or did not build; install it on the ' +
        'rack controller (npm install i2c-bus) or use the simulated bus (--sim)',
      { cause: e instanceof Error ? e.message : String(e) },
    );
  }
  const bus = await mod.openPromisified(opts.bus, { forceAccess: opts.forceAccess ?? false });
  const funcs = await bus.i2cFuncs();
  if (!funcs.smbusReadI2cBlock) {
    await bus.close();
    throw new Orv3Error(ErrorCode.TransportIo, `${path}: controller cannot do I2C block reads`, {
      path,
    });
  }
  const writeVia = opts.writeVia ?? (funcs.i2c ? 'i2c' : 'smbus');
  return new I2cDevAdapter(bus, { ...opts, writeVia });
}
