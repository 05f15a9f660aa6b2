import { ErrorCode, Orv3Error } from '../../src/errors.js';
import { decodeRegister, isWithinBounds } from '../../src/regmap/index.js';
import type {
  ModbusRegisterMap,
  RegisterDef,
  RegisterInput,
  RegisterValue,
} from '../../src/regmap/index.js';
import { encodeSaturated, hasUndefinedBits, numeric } from './values.js';

/** Modbus exception codes a slave answers with (Modbus Application Protocol v1.1b3 §7). */
export const ModbusExceptionCode = {
  IllegalFunction: 1,
  IllegalDataAddress: 2,
  IllegalDataValue: 3,
  SlaveDeviceFailure: 4,
} as const;
export type ModbusExceptionCode = (typeof ModbusExceptionCode)[keyof typeof ModbusExceptionCode];

const ERROR_CODE_OF: Readonly<Record<ModbusExceptionCode, ErrorCode>> = {
  1: ErrorCode.UnsupportedCommand,
  2: ErrorCode.IllegalAddress,
  3: ErrorCode.IllegalValue,
  4: ErrorCode.SimInvariant,
};

/** What a simulated slave answers instead of data; a server sends `functionCode | 0x80` + code. */
export class ModbusException extends Orv3Error {
  readonly exceptionCode: ModbusExceptionCode;
  readonly functionCode: number;

  constructor(
    exceptionCode: ModbusExceptionCode,
    functionCode: number,
    message: string,
    context: Record<string, unknown> = {},
    code: ErrorCode = ERROR_CODE_OF[exceptionCode],
  ) {
    super(code, message, { exceptionCode, functionCode, ...context });
    this.name = 'ModbusException';
    this.exceptionCode = exceptionCode;
    this.functionCode = functionCode;
  }
}

export const FC_READ_HOLDING = 0x03;
export const FC_READ_INPUT = 0x04;
export const FC_WRITE_SINGLE = 0x06;
export const FC_WRITE_MULTIPLE = 0x10;
const MAX_READ = 125;
const MAX_WRITE = 123;

/** 'ignored': the device acknowledged the write but did not act (e.g. write-enable not set). */
export type WriteOutcome = 'applied' | 'ignored';

/** The live side of a register map: values from the physics and what writes do to it. */
export interface ModbusBinding {
  /** The register's value now, in the map's unit (the façade saturates it to the register). */
  read(def: RegisterDef): RegisterInput;
  /**
   * Acts on a decoded write that is already known to be in bounds and a valid bit pattern.
   * Throws ModbusException for a value the device refuses in its present state.
   */
  write(def: RegisterDef, value: RegisterValue): WriteOutcome;
  /**
   * Why the device refuses a numeric value in its present state (answered with exception 03),
   * or undefined. Asked for every register of a request before any write is applied.
   */
  refusal?(def: RegisterDef, value: number): string | undefined;
  /** False while the device's controller is unpowered: a server should then stay silent. */
  responding(): boolean;
}

export interface ModbusCounters {
  reads: number;
  writes: number;
  ignoredWrites: number;
  exceptions: number;
}

/** One simulated Modbus slave: a register map served from a binding, with real-slave checks. */
export class ModbusFacade {
  readonly address: number;
  readonly map: ModbusRegisterMap;
  readonly counters: ModbusCounters = { reads: 0, writes: 0, ignoredWrites: 0, exceptions: 0 };
  private readonly binding: ModbusBinding;

  constructor(address: number, map: ModbusRegisterMap, binding: ModbusBinding) {
    this.address = address;
    this.map = map;
    this.binding = binding;
  }

  get responding(): boolean {
    return this.binding.responding();
  }

  /** FC 0x03. Reading part of a multi-word register returns those words of its value. */
  readHoldingRegisters(start: number, count: number): Uint16Array {
    return this.guard(() => this.read(FC_READ_HOLDING, start, count));
  }

  /** FC 0x04: these devices serve input registers from the same table. */
  readInputRegisters(start: number, count: number): Uint16Array {
    return this.guard(() => this.read(FC_READ_INPUT, start, count));
  }

  /** FC 0x06. */
  writeSingleRegister(address: number, value: number): void {
    this.guard(() => this.write(FC_WRITE_SINGLE, address, [value]));
  }

  /** FC 0x10. */
  writeMultipleRegisters(start: number, values: ArrayLike<number>): void {
    this.guard(() => this.write(FC_WRITE_MULTIPLE, start, Array.from(values)));
  }

  private guard<T>(op: () => T): T {
    try {
      return op();
    } catch (e) {
      if (e instanceof ModbusException) this.counters.exceptions++;
      throw e;
    }
  }

  private read(fc: number, start: number, count: number): Uint16Array {
    // Order of checks as the Modbus spec's state diagrams: quantity (03), then address (02).
    if (!Number.isInteger(count) || count < 1 || count > MAX_READ) {
      throw this.exception(3, fc, `read count ${count} is not 1..${MAX_READ}`, { start, count });
    }
    this.checkSpan(fc, start, count);
    const end = start + count;
    const defs: RegisterDef[] = [];
    for (let a = start; a < end;) {
      const def = this.map.byWord.get(a);
      if (def === undefined) {
        throw this.exception(2, fc, `no register at ${a}`, { start, count, address: a });
      }
      defs.push(def);
      a = def.end;
    }
    const out = new Uint16Array(count);
    for (const def of defs) {
      const words = encodeSaturated(def, this.binding.read(def));
      const lo = Math.max(start, def.begin);
      const hi = Math.min(end, def.end);
      for (let a = lo; a < hi; a++) out[a - start] = words[a - def.begin]!;
    }
    this.counters.reads++;
    return out;
  }

  private write(fc: number, start: number, values: readonly number[]): void {
    const count = values.length;
    if (count < 1 || count > MAX_WRITE) {
      throw this.exception(3, fc, `write count ${count} is not 1..${MAX_WRITE}`, { start, count });
    }
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
        throw this.exception(3, fc, `value ${v} is not a 16-bit word`, { start });
      }
    }
    this.checkSpan(fc, start, count);
    const end = start + count;
    const writes: { def: RegisterDef; value: RegisterValue }[] = [];
    for (let a = start; a < end;) {
      const def = this.map.byWord.get(a);
      if (def === undefined || def.begin !== a || def.end > end) {
        const why = def === undefined ? 'no register' : `write does not cover "${def.name}" whole`;
        throw this.exception(2, fc, `${why} at ${a}`, { start, count, address: a });
      }
      if (!def.writable) {
        throw this.exception(
          2,
          fc,
          `"${def.name}" is read-only`,
          { register: def.name },
          ErrorCode.ReadOnly,
        );
      }
      writes.push({ def, value: decodeRegister(def, values.slice(a - start, def.end - start)) });
      a = def.end;
    }
    // Every value is checked before any is applied, so a refused request changes nothing.
    for (const { def, value } of writes) this.checkValue(fc, def, value);
    let ignored = false;
    for (const { def, value } of writes) {
      if (this.binding.write(def, value) === 'ignored') ignored = true;
    }
    this.counters.writes++;
    if (ignored) this.counters.ignoredWrites++;
  }

  private checkValue(fc: number, def: RegisterDef, value: RegisterValue): void {
    if (typeof value === 'number' || typeof value === 'bigint') {
      if (!isWithinBounds(def, value)) {
        throw this.exception(
          3,
          fc,
          `${String(value)} is outside [${def.min}, ${def.max}] for "${def.name}"`,
          {
            register: def.name,
            value,
          },
        );
      }
    } else if (hasUndefinedBits(def, value)) {
      throw this.exception(3, fc, `undefined bits set in "${def.name}"`, { register: def.name });
    }
    if (typeof value === 'string' || value instanceof Uint8Array) return;
    const why = this.binding.refusal?.(def, numeric(value));
    if (why !== undefined) {
      throw this.exception(3, fc, `"${def.name}": ${why}`, { register: def.name });
    }
  }

  private checkSpan(fc: number, start: number, count: number): void {
    if (!Number.isInteger(start) || start < 0 || start + count > 0x10000) {
      throw this.exception(2, fc, `addresses ${start}+${count} leave 0..65535`, { start, count });
    }
  }

  private exception(
    code: ModbusExceptionCode,
    fc: number,
    message: string,
    context: Record<string, unknown>,
    errorCode?: ErrorCode,
  ): ModbusException {
    return new ModbusException(
      code,
      fc,
      `modbus ${this.address} (${this.map.family}) fc 0x${fc.toString(16).padStart(2, '0')}: exception ${code}: ${message}`,
      { address: this.address, ...context },
      errorCode,
    );
  }
}
