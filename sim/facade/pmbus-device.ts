import { ErrorCode, Orv3Error } from '../../src/errors.js';
import {
  decodePmbus,
  directRange,
  encodeDirect,
  encodeLinear11,
  encodeLinear16,
  LINEAR11_MAX,
  LINEAR11_MIN,
  linear16Exponent,
  parseVoutMode,
} from '../../src/regmap/index.js';
import type {
  BuiltinMaps,
  DeviceKind,
  PmbusCommandDef,
  PmbusTransaction,
} from '../../src/regmap/index.js';
import { clamp } from './values.js';

/** STATUS_CML bits (PMBus Part II §17.7). */
export const CML_INVALID_COMMAND = 0x80;
export const CML_INVALID_DATA = 0x40;
const STATUS_CML_BIT = 0x02;

/** What a simulated PMBus device refuses; a bus adapter answers it with a NACK. */
export class PmbusError extends Orv3Error {
  readonly command: number;
  /** The STATUS_CML bit the device latched. */
  readonly cmlBit: number;

  constructor(code: ErrorCode, command: number, cmlBit: number, message: string) {
    super(code, message, { command, cmlBit });
    this.name = 'PmbusError';
    this.command = command;
    this.cmlBit = cmlBit;
  }
}

export type PmbusEngValue = number | string;

/** The live side of a device's command table. Values are engineering units for LINEAR/DIRECT
 * commands, raw integers for RAW/FLAGS, strings for STRING. */
export interface PmbusBinding {
  /** The value now, or undefined to serve the last written value or the table default. */
  get(cmd: PmbusCommandDef): PmbusEngValue | undefined;
  /** Acts on a write already range-checked; false = not the binding's, hold it for read-back. */
  set(cmd: PmbusCommandDef, value: PmbusEngValue): boolean;
  send(cmd: PmbusCommandDef): void;
  /** Why the device refuses the value now (answered as invalid data), or undefined. */
  refusal(cmd: PmbusCommandDef, value: PmbusEngValue): string | undefined;
  /** Invalid data was received for cmd (device-specific latches, e.g. COMMAND_REJECTED). */
  rejected(cmd: PmbusCommandDef): void;
  /** STATUS_WORD bits other than CML and NONE_OF_THE_ABOVE, which the façade adds. */
  statusWord(): number;
  clearFaults(): void;
  /** Bookkeeping before every transaction (lease expiry, latches, due actions). */
  observe(): void;
  responding(): boolean;
}

/** WRITE_PROTECT levels (Part II §12.1): what each level still lets through. */
const WRITE_PROTECT_ALLOWS: Readonly<Record<number, readonly string[] | null>> = {
  0x00: null,
  0x20: ['WRITE_PROTECT', 'OPERATION', 'PAGE', 'ON_OFF_CONFIG', 'VOUT_COMMAND'],
  0x40: ['WRITE_PROTECT', 'OPERATION', 'PAGE'],
  0x80: ['WRITE_PROTECT'],
};

/** Identity commands a BBU answers besides the extension and what the extension requires. */
const BBU_IDENTITY = ['MFR_ID', 'MFR_MODEL', 'MFR_REVISION', 'MFR_SERIAL'];

/** The commands one kind of device answers: a PSU the standard set + its extension commands,
 * a BBU only the extension, the standard commands it requires, and MFR identity. */
export function pmbusCommandsFor(kind: DeviceKind, maps: BuiltinMaps): PmbusCommandDef[] {
  const std = maps.pmbus['pmbus-psu'];
  const ext = maps.pmbus['pmbus-fastlane-ext'];
  const mine = ext.commands.filter((c) => c.appliesTo.includes(kind));
  if (kind === 'psu') return [...std.commands, ...mine];
  const names = new Set([...ext.requires, ...BBU_IDENTITY]);
  return [...std.commands.filter((c) => names.has(c.name)), ...mine];
}

export interface PmbusCounters {
  transactions: number;
  errors: number;
}

/** One simulated PMBus device at a 7-bit address: transaction checks, formats, CML status. */
export class PmbusFacade {
  readonly address: number;
  readonly kind: DeviceKind;
  readonly counters: PmbusCounters = { transactions: 0, errors: 0 };
  private readonly byCode: ReadonlyMap<number, PmbusCommandDef>;
  private readonly binding: PmbusBinding;
  private readonly held = new Map<number, PmbusEngValue>();
  private cml = 0;
  private voutMode: number;
  private writeProtect = 0;

  constructor(
    address: number,
    kind: DeviceKind,
    commands: readonly PmbusCommandDef[],
    binding: PmbusBinding,
  ) {
    this.address = address;
    this.kind = kind;
    this.byCode = new Map(commands.map((c) => [c.code, c]));
    this.binding = binding;
    this.voutMode = commands.find((c) => c.name === 'VOUT_MODE')?.default ?? 0x17;
  }

  get responding(): boolean {
    return this.binding.responding();
  }

  /** The commands this device answers, sorted by code. */
  commands(): PmbusCommandDef[] {
    return [...this.byCode.values()].sort((a, b) => a.code - b.code);
  }

  readByte(code: number): number {
    return this.run(code, 'readByte', (c) => this.readRaw(c));
  }

  readWord(code: number): number {
    return this.run(code, 'readWord', (c) => this.readRaw(c));
  }

  /** The block's data bytes (the bus layer adds the byte count). */
  readBlock(code: number): Uint8Array {
    return this.run(code, 'readBlock', (c) => {
      const v = String(this.value(c)).replace(/[^\x20-\x7e]/g, '?');
      return Uint8Array.from(v.slice(0, c.maxLength ?? 255), (ch) => ch.charCodeAt(0));
    });
  }

  writeByte(code: number, value: number): void {
    this.run(code, 'writeByte', (c) => this.write(c, value));
  }

  writeWord(code: number, value: number): void {
    this.run(code, 'writeWord', (c) => this.write(c, value));
  }

  writeBlock(code: number, bytes: Uint8Array): void {
    this.run(code, 'writeBlock', (c) => this.write(c, bytes));
  }

  sendByte(code: number): void {
    this.run(code, 'sendByte', (c) => {
      if (c.name === 'CLEAR_FAULTS') {
        this.cml = 0;
        this.binding.clearFaults();
      } else this.binding.send(c);
    });
  }

  private run<T>(code: number, t: PmbusTransaction, op: (c: PmbusCommandDef) => T): T {
    this.counters.transactions++;
    this.binding.observe();
    const c = this.byCode.get(code);
    if (c === undefined || !c.transactions.includes(t)) {
      this.counters.errors++;
      this.cml |= CML_INVALID_COMMAND;
      const hex = `0x${code.toString(16).padStart(2, '0')}`;
      const why = c === undefined ? 'unsupported command' : `${c.name} does not support ${t}`;
      throw new PmbusError(
        ErrorCode.UnsupportedCommand,
        code,
        CML_INVALID_COMMAND,
        `pmbus 0x${this.address.toString(16)}: ${why} (${hex})`,
      );
    }
    try {
      return op(c);
    } catch (e) {
      if (e instanceof PmbusError) this.counters.errors++;
      throw e;
    }
  }

  private value(c: PmbusCommandDef): PmbusEngValue {
    switch (c.name) {
      case 'STATUS_CML':
        return this.cml;
      case 'STATUS_WORD':
      case 'STATUS_BYTE':
        return this.statusWord();
      case 'VOUT_MODE':
        return this.voutMode;
      case 'WRITE_PROTECT':
        return this.writeProtect;
    }
    // Held values exist only for commands the binding declined to act on, so they win.
    const fallback = c.default ?? (c.format === 'STRING' ? '' : 0);
    return this.held.get(c.code) ?? this.binding.get(c) ?? fallback;
  }

  private statusWord(): number {
    let s = this.binding.statusWord() & ~0x03 & 0xffff;
    if (this.cml !== 0) s |= STATUS_CML_BIT;
    // NONE_OF_THE_ABOVE: something in the high byte that no low-byte bit stands for.
    if (s >> 8 !== 0 && (s & 0xfe) === 0) s |= 0x01;
    return s;
  }

  private readRaw(c: PmbusCommandDef): number {
    const v = Number(this.value(c));
    switch (c.format) {
      case 'LINEAR11':
        return encodeLinear11(clamp(v, LINEAR11_MIN, LINEAR11_MAX));
      case 'LINEAR16': {
        const e = linear16Exponent(this.voutMode);
        return encodeLinear16(clamp(v, 0, 0xffff * 2 ** e), e);
      }
      case 'DIRECT': {
        const [lo, hi] = directRange(c.direct!);
        return encodeDirect(clamp(v, lo, hi), c.direct!);
      }
      default:
        return v & (c.size === 1 ? 0xff : 0xffff);
    }
  }

  private invalidData(c: PmbusCommandDef, why: string): PmbusError {
    this.cml |= CML_INVALID_DATA;
    this.binding.rejected(c);
    return new PmbusError(
      ErrorCode.IllegalValue,
      c.code,
      CML_INVALID_DATA,
      `pmbus 0x${this.address.toString(16)}: ${c.name}: ${why}`,
    );
  }

  private write(c: PmbusCommandDef, data: number | Uint8Array): void {
    const allowed = WRITE_PROTECT_ALLOWS[this.writeProtect];
    if (allowed !== null && allowed !== undefined && !allowed.includes(c.name)) {
      throw this.invalidData(
        c,
        `write-protected (WRITE_PROTECT 0x${this.writeProtect.toString(16)})`,
      );
    }
    let value: PmbusEngValue;
    try {
      const decoded = decodePmbus(c, data, { voutMode: this.voutMode });
      value = typeof decoded === 'number' || typeof decoded === 'string' ? decoded : Number(data);
    } catch (e) {
      throw this.invalidData(c, e instanceof Error ? e.message : String(e));
    }
    if (typeof value === 'number') {
      if ((c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max)) {
        throw this.invalidData(c, `${value} is outside [${c.min}, ${c.max}]`);
      }
      if (c.format === 'FLAGS' && c.flags.length > 0) {
        const mask = c.flags.reduce((m, f) => m | (1 << f.bit), 0);
        if ((value & ~mask) !== 0)
          throw this.invalidData(c, `undefined bits in 0x${value.toString(16)}`);
      }
    }
    const why = this.ownRefusal(c, value) ?? this.binding.refusal(c, value);
    if (why !== undefined) throw this.invalidData(c, why);
    this.apply(c, value);
  }

  private ownRefusal(c: PmbusCommandDef, value: PmbusEngValue): string | undefined {
    const v = Number(value);
    if (c.name === 'PAGE' && v !== 0 && v !== 0xff) return 'single-page device: only page 0';
    if (c.name === 'WRITE_PROTECT' && !(v in WRITE_PROTECT_ALLOWS))
      return 'not a WRITE_PROTECT level';
    if (c.name === 'VOUT_MODE') {
      const m = parseVoutMode(v);
      if (m.mode !== 'linear' || m.relative) return 'only absolute linear VOUT_MODE is supported';
    }
    return undefined;
  }

  private apply(c: PmbusCommandDef, value: PmbusEngValue): void {
    const v = Number(value);
    switch (c.name) {
      case 'WRITE_PROTECT':
        this.writeProtect = v;
        return;
      case 'VOUT_MODE':
        this.voutMode = v;
        return;
      case 'STATUS_CML':
        this.cml &= ~v;
        return;
      case 'STATUS_BYTE':
      case 'STATUS_WORD':
        if ((v & STATUS_CML_BIT) !== 0) this.cml = 0;
        return;
    }
    if (!this.binding.set(c, value)) this.held.set(c.code, value);
  }
}
