import { ErrorCode, Orv3Error } from '../errors.js';
import type { FlagsValue } from './codec-modbus.js';
import {
  decodeDirect,
  decodeLinear11,
  decodeLinear16,
  encodeDirect,
  encodeLinear11,
  encodeLinear16,
  linear16Exponent,
  parseVoutMode,
} from './codec-pmbus.js';
import type { VoutMode } from './codec-pmbus.js';
import type { PmbusCommandDef } from './types.js';

/** Data-driven PMBus value codec: one pair of functions for every command in a command set. */

export type PmbusValue = number | string | FlagsValue | Uint8Array | VoutMode;
export type PmbusInput = number | string | Uint8Array | Readonly<Partial<Record<string, boolean>>>;

export interface PmbusContext {
  /** The device's VOUT_MODE byte; LINEAR16 commands need it. */
  readonly voutMode?: number;
}

function fail(
  code: ErrorCode,
  cmd: PmbusCommandDef,
  message: string,
  context: Record<string, unknown> = {},
): Orv3Error {
  const hex = cmd.code.toString(16).toUpperCase().padStart(2, '0');
  return new Orv3Error(code, `command "${cmd.name}" (0x${hex}): ${message}`, {
    command: cmd.name,
    code: cmd.code,
    ...context,
  });
}

function exponentFor(cmd: PmbusCommandDef, ctx: PmbusContext): number {
  if (ctx.voutMode === undefined) {
    throw fail(ErrorCode.CodecFormat, cmd, 'LINEAR16 needs the device VOUT_MODE in the context');
  }
  return linear16Exponent(ctx.voutMode);
}

function wordData(cmd: PmbusCommandDef, data: number | Uint8Array): number {
  const bits = cmd.size === 1 ? 8 : 16;
  if (typeof data !== 'number' || !Number.isInteger(data) || data < 0 || data >= 2 ** bits) {
    throw fail(ErrorCode.CodecFormat, cmd, `expects a ${bits}-bit value, got ${String(data)}`);
  }
  return data;
}

function blockData(cmd: PmbusCommandDef, data: number | Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw fail(ErrorCode.CodecFormat, cmd, 'expects block bytes');
  }
  if (cmd.maxLength !== undefined && data.length > cmd.maxLength) {
    throw fail(ErrorCode.CodecLength, cmd, `block of ${data.length} bytes > ${cmd.maxLength}`);
  }
  return data;
}

export function decodePmbus(
  cmd: PmbusCommandDef,
  data: number | Uint8Array,
  ctx: PmbusContext = {},
): PmbusValue {
  if (cmd.size === 0) throw fail(ErrorCode.CodecFormat, cmd, 'a send-byte command has no data');
  if (cmd.size === 'block') {
    const bytes = blockData(cmd, data);
    if (cmd.format !== 'STRING') return bytes;
    const nul = bytes.indexOf(0);
    return String.fromCharCode(...(nul < 0 ? bytes : bytes.subarray(0, nul))).replace(/ +$/, '');
  }
  const raw = wordData(cmd, data);
  switch (cmd.format) {
    case 'LINEAR11':
      return decodeLinear11(raw);
    case 'LINEAR16':
      return decodeLinear16(raw, exponentFor(cmd, ctx));
    case 'DIRECT':
      return decodeDirect(raw, cmd.direct!);
    case 'VOUT_MODE':
      return parseVoutMode(raw);
    case 'FLAGS': {
      const bits: Record<string, boolean> = {};
      for (const f of cmd.flags) bits[f.name] = ((raw >> f.bit) & 1) === 1;
      return Object.freeze({ raw, bits: Object.freeze(bits) });
    }
    default:
      return raw;
  }
}

export function encodePmbus(
  cmd: PmbusCommandDef,
  value: PmbusInput,
  ctx: PmbusContext = {},
): number | Uint8Array {
  if (cmd.size === 0) throw fail(ErrorCode.CodecFormat, cmd, 'a send-byte command has no data');
  if (cmd.size === 'block') return encodeBlock(cmd, value);
  if (cmd.format === 'FLAGS' && typeof value === 'object' && !(value instanceof Uint8Array)) {
    let raw = 0;
    for (const [name, set] of Object.entries(value)) {
      const flag = cmd.flags.find((f) => f.name === name);
      if (flag === undefined) throw fail(ErrorCode.CodecFormat, cmd, `has no flag "${name}"`);
      if (set === true) raw |= 1 << flag.bit;
    }
    return raw;
  }
  if (typeof value !== 'number') {
    throw fail(ErrorCode.CodecFormat, cmd, `expects a number, got ${typeof value}`);
  }
  if ((cmd.min !== undefined && value < cmd.min) || (cmd.max !== undefined && value > cmd.max)) {
    const unit = cmd.unit === undefined ? '' : ` ${cmd.unit}`;
    throw fail(
      ErrorCode.CodecRange,
      cmd,
      `value ${value}${unit} is outside the allowed range [${cmd.min ?? '-inf'}, ${cmd.max ?? 'inf'}]`,
      { value, min: cmd.min, max: cmd.max },
    );
  }
  try {
    switch (cmd.format) {
      case 'LINEAR11':
        return encodeLinear11(value);
      case 'LINEAR16':
        return encodeLinear16(value, exponentFor(cmd, ctx));
      case 'DIRECT':
        return encodeDirect(value, cmd.direct!);
      default: {
        const bits = cmd.size === 1 ? 8 : 16;
        if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
          throw fail(ErrorCode.CodecRange, cmd, `${value} is not an unsigned ${bits}-bit value`, {
            value,
          });
        }
        return value;
      }
    }
  } catch (e) {
    // Re-label bare codec errors with the command so that the log line says what was written.
    if (e instanceof Orv3Error && !('command' in e.context)) {
      throw fail(e.code, cmd, e.message, { ...e.context });
    }
    throw e;
  }
}

function encodeBlock(cmd: PmbusCommandDef, value: PmbusInput): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    bytes = value;
  } else if (typeof value === 'string' && cmd.format === 'STRING') {
    if (!/^[\x20-\x7e]*$/.test(value)) {
      throw fail(ErrorCode.CodecFormat, cmd, `${JSON.stringify(value)} is not printable ASCII`);
    }
    bytes = Uint8Array.from(value, (ch) => ch.charCodeAt(0));
  } else {
    throw fail(ErrorCode.CodecFormat, cmd, 'expects a string or block bytes');
  }
  if (cmd.maxLength !== undefined && bytes.length > cmd.maxLength) {
    throw fail(ErrorCode.CodecRange, cmd, `block of ${bytes.length} bytes > ${cmd.maxLength}`);
  }
  return bytes;
}
