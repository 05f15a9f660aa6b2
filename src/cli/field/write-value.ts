/**
 * VALUE of `orv3gw write`, checked against the register's map entry and encoded: a number in
 * the map's unit for a named numeric register, a raw word for a register number, named bits or
 * a number for FLAGS. Refusals are E502 naming the bounds, as the drivers' own commands are.
 */
import { checkNumericWrite } from '../../devices/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { decodeRegister, encodeRegister } from '../../regmap/index.js';
import type { ModbusRegisterMap, RegisterDef, RegisterValue } from '../../regmap/index.js';
import { FieldUsageError, suggestions } from './args.js';
import { formatValue } from './format.js';

export interface PlannedWrite {
  readonly map: ModbusRegisterMap;
  readonly def: RegisterDef;
  /** Engineering value (numeric registers) or raw bits (FLAGS), as the user meant it. */
  readonly input: number;
  /** What goes on the wire. */
  readonly words: readonly number[];
  /** The words decoded again: what the device should read back. */
  readonly decoded: RegisterValue;
  /** `decoded` for humans. */
  readonly text: string;
}

const NUMERIC = new Set(['INTEGER', 'LONG', 'FLOAT']);

export function parseWriteValue(
  map: ModbusRegisterMap,
  def: RegisterDef,
  value: string,
  rawWord: boolean,
): PlannedWrite {
  if (!NUMERIC.has(def.format) && def.format !== 'FLAGS') {
    throw new Orv3Error(
      ErrorCode.UnsupportedCommand,
      `register "${def.name}" is ${def.format}: the CLI writes numbers and flags only`,
      { register: def.name },
    );
  }
  let input: number;
  if (rawWord) {
    const word = parseNumber(value, true);
    if (word < 0 || word > 0xffff) {
      throw new FieldUsageError(`a raw register value is a word 0..65535 (0xffff), got "${value}"`);
    }
    // The raw word is checked as what it means: its engineering value against the map's bounds.
    input = Number(flagsRaw(decodeRegister(def, [word])));
  } else if (def.format === 'FLAGS') {
    input = /^[A-Za-z_]/.test(value.trim()) ? bitsByName(def, value) : parseNumber(value, true);
  } else {
    input = parseNumber(value, def.format !== 'FLOAT');
  }
  if (def.format === 'FLAGS') checkFlags(def, input);
  else checkNumericWrite(def, input);
  const words = encodeRegister(def, input);
  const decoded = decodeRegister(def, words);
  return Object.freeze({ map, def, input, words, decoded, text: formatValue(def, decoded) });
}

function flagsRaw(v: RegisterValue): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return v.raw;
  return NaN;
}

function parseNumber(s: string, integer: boolean): number {
  const t = s.trim();
  const n = /^0x[0-9a-f]+$/i.test(t)
    ? Number(t)
    : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)
      ? Number(t)
      : NaN;
  if (!Number.isFinite(n)) throw new FieldUsageError(`malformed value "${s}": expected a number`);
  if (integer && !Number.isInteger(n)) {
    throw new FieldUsageError(`malformed value "${s}": this register takes an integer`);
  }
  return n;
}

/** `Bit_A,Bit_B` → the raw value with exactly those bits set. */
function bitsByName(def: RegisterDef, s: string): number {
  let raw = 0;
  for (const name of s.split(',').map((x) => x.trim())) {
    const f = def.flags.find((x) => x.name === name);
    if (f === undefined) {
      const close = suggestions(
        name,
        def.flags.map((x) => x.name),
      );
      throw new FieldUsageError(
        `"${def.name}" has no bit "${name}"` +
          (close.length > 0 ? ` — did you mean ${close.join(', ')}?` : '') +
          ` (bits: ${def.flags.map((x) => `${x.bit} ${x.name}`).join(', ')})`,
      );
    }
    raw |= 1 << f.bit;
  }
  return raw >>> 0;
}

/** A FLAGS write may set only bits the map defines: an undefined bit is undocumented behaviour. */
function checkFlags(def: RegisterDef, raw: number): void {
  const defined = def.flags.reduce((m, f) => m | (1 << f.bit), 0) >>> 0;
  const max = 2 ** (16 * def.length) - 1;
  if (!Number.isInteger(raw) || raw < 0 || raw > max || (raw & ~defined) >>> 0 !== 0) {
    const stray = Number.isInteger(raw) && raw >= 0 ? (raw & ~defined) >>> 0 : raw;
    throw new Orv3Error(
      ErrorCode.CommandOutOfBounds,
      `register "${def.name}" (begin ${def.begin}): value 0x${raw.toString(16)} sets bits the map ` +
        `does not define (0x${stray.toString(16)}); allowed bits: ` +
        def.flags.map((f) => `${f.bit} ${f.name}`).join(', '),
      { register: def.name, begin: def.begin, value: raw, definedMask: defined },
    );
  }
}
