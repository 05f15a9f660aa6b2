import type { PmbusClient } from '../bus/pmbus/client.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import { decodePmbus, encodePmbus, loadBuiltinMaps } from '../regmap/index.js';
import type { DeviceKind, FlagsValue, PmbusCommandDef, PmbusCommandSet } from '../regmap/index.js';

/** Where a driver reaches its device's PMBus side (the fast lane). */
export interface FastLaneLink {
  readonly client: PmbusClient;
  /** 7-bit address on that segment. */
  readonly address: number;
  /** Command sets; default the built-in standard set and our fast-lane extension. */
  readonly commandSets?: readonly PmbusCommandSet[];
}

const hex = (code: number): string => `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * One device on a PMBus segment, by command name: reads decoded to engineering units (LINEAR16
 * with the device's VOUT_MODE, read once), writes bounds-checked against the command data before
 * the transaction, and the lease length of extension setpoints written only when it changes.
 */
export class PmbusEndpoint {
  readonly client: PmbusClient;
  readonly address: number;
  readonly kind: DeviceKind;
  private readonly byName = new Map<string, PmbusCommandDef>();
  private voutMode: number | undefined;
  /** Last EXPIRY_MS written per command; undefined after an error (the device may have reset). */
  private readonly expiryWritten = new Map<string, number>();
  /** Names of the EXPIRY_MS commands (what some setpoint's `expiry` names). */
  private readonly leaseLengths = new Set<string>();

  constructor(link: FastLaneLink, kind: DeviceKind) {
    if (!Number.isInteger(link.address) || link.address < 0x03 || link.address > 0x77) {
      throw new Orv3Error(ErrorCode.ConfigInvalid, `PMBus address ${link.address} is not 7-bit`, {
        address: link.address,
      });
    }
    this.client = link.client;
    this.address = link.address;
    this.kind = kind;
    const builtin = loadBuiltinMaps().pmbus;
    const sets = link.commandSets ?? [builtin['pmbus-psu'], builtin['pmbus-fastlane-ext']];
    for (const set of sets) {
      for (const c of set.commands) if (c.appliesTo.includes(kind)) this.byName.set(c.name, c);
    }
    for (const c of this.byName.values())
      if (c.expiry !== undefined) this.leaseLengths.add(c.expiry);
  }

  command(name: string): PmbusCommandDef {
    const c = this.byName.get(name);
    if (c === undefined) {
      throw new Orv3Error(ErrorCode.UnsupportedCommand, `PMBus ${this.kind}: no command ${name}`, {
        command: name,
        kind: this.kind,
      });
    }
    return c;
  }

  /** Throws CommandOutOfBounds for a value the command data does not allow; sends nothing. */
  check(name: string, value: number): PmbusCommandDef {
    const c = this.command(name);
    const fail = (why: string): Orv3Error =>
      new Orv3Error(
        ErrorCode.CommandOutOfBounds,
        `command "${c.name}" (${hex(c.code)}): value ${value}${c.unit === undefined ? '' : ` ${c.unit}`} ${why}`,
        { command: c.name, code: c.code, value, min: c.min, max: c.max },
      );
    if (!c.writable) throw fail('cannot be written');
    if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('is not a finite number');
    const integral = c.format === 'RAW' || c.format === 'DIRECT' || c.format === 'FLAGS';
    if (integral && !Number.isInteger(value)) throw fail('is not an integer');
    if ((c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max)) {
      throw fail(`is outside the allowed range [${c.min ?? '-inf'}, ${c.max ?? 'inf'}]`);
    }
    return c;
  }

  async read(name: string): Promise<number> {
    const c = this.command(name);
    const v = await this.readDecoded(c);
    if (typeof v !== 'number') {
      throw new Orv3Error(ErrorCode.CodecFormat, `${c.name} is not numeric`, { command: c.name });
    }
    return v;
  }

  async readFlags(name: string): Promise<FlagsValue> {
    const c = this.command(name);
    const v = await this.readDecoded(c);
    if (typeof v !== 'object' || v instanceof Uint8Array || !('bits' in v)) {
      throw new Orv3Error(ErrorCode.CodecFormat, `${c.name} is not FLAGS`, { command: c.name });
    }
    return v;
  }

  async write(name: string, value: number): Promise<void> {
    const c = this.check(name, value);
    const ctx = c.format === 'LINEAR16' ? { voutMode: await this.vout() } : {};
    const data = encodePmbus(c, value, ctx);
    await this.guard(async () => {
      if (typeof data !== 'number') await this.client.writeBlock(this.address, c.code, data);
      else if (c.size === 1) await this.client.writeByte(this.address, c.code, data);
      else await this.client.writeWord(this.address, c.code, data);
    });
    if (this.leaseLengths.has(c.name)) this.expiryWritten.set(c.name, value);
  }

  async send(name: string): Promise<void> {
    const c = this.command(name);
    await this.guard(() => this.client.sendByte(this.address, c.code));
  }

  /**
   * Sets a leased setpoint: its EXPIRY_MS command first (only when it changed: a lease-length
   * write does not renew a running lease, so skipping it is safe), then the setpoint, which
   * starts or renews the lease. Both are bounds-checked before either is sent.
   */
  async writeLeased(name: string, value: number, expiryMs: number): Promise<void> {
    const c = this.command(name);
    if (c.expiry === undefined) {
      throw new Orv3Error(ErrorCode.UnsupportedCommand, `${c.name} holds no lease`, {
        command: c.name,
      });
    }
    this.check(c.expiry, expiryMs);
    this.check(name, value);
    if (this.expiryWritten.get(c.expiry) !== expiryMs) await this.write(c.expiry, expiryMs);
    await this.write(name, value);
  }

  private async readDecoded(c: PmbusCommandDef): Promise<ReturnType<typeof decodePmbus>> {
    const ctx = c.format === 'LINEAR16' ? { voutMode: await this.vout() } : {};
    const data = await this.guard(async () => {
      if (c.size === 'block') return this.client.readBlock(this.address, c.code);
      if (c.size === 1) return this.client.readByte(this.address, c.code);
      return this.client.readWord(this.address, c.code);
    });
    return decodePmbus(c, data, ctx);
  }

  /** VOUT_MODE read once: LINEAR16 data means nothing without its exponent. */
  private async vout(): Promise<number> {
    if (this.voutMode === undefined) {
      const c = this.command('VOUT_MODE');
      this.voutMode = await this.guard(() => this.client.readByte(this.address, c.code));
    }
    return this.voutMode;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      // A device that failed may have reset: re-send lease lengths, re-read VOUT_MODE.
      this.expiryWritten.clear();
      this.voutMode = undefined;
      throw e;
    }
  }
}
