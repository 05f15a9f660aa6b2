import { ErrorCode, Orv3Error } from '../../src/errors.js';
import { encodableRange, encodeRegister } from '../../src/regmap/index.js';
import type { RegisterDef, RegisterInput, RegisterValue } from '../../src/regmap/index.js';

/**
 * Conversions between the bindings' base units and a register's declared unit, so that one
 * binding serves both families even where ORv3 and HPR maps scale the same quantity differently
 * (Battery_Current is 10 mA counts in one, mA with scale 10 in the other).
 *
 * Base units: V, A, W, Wh, Ah (charge), °C, s, %, Hz, rpm.
 */
const FROM_BASE: Readonly<Record<string, (x: number) => number>> = {
  V: (x) => x,
  mV: (x) => x * 1000,
  A: (x) => x,
  mA: (x) => x * 1000,
  '10mA': (x) => x * 100,
  W: (x) => x,
  Wh: (x) => x,
  mAh: (x) => x * 1000,
  degC: (x) => x,
  '0.1K': (x) => (x + 273.15) * 10,
  s: (x) => x,
  min: (x) => x / 60,
  ms: (x) => x * 1000,
  '%': (x) => x,
  Hz: (x) => x,
  rpm: (x) => x,
  cycles: (x) => x,
};

const TO_BASE: Readonly<Record<string, (x: number) => number>> = {
  mV: (x) => x / 1000,
  mA: (x) => x / 1000,
  '10mA': (x) => x / 100,
  mAh: (x) => x / 1000,
  '0.1K': (x) => x / 10 - 273.15,
  min: (x) => x * 60,
  ms: (x) => x / 1000,
};

/** A base-unit quantity in the register's unit (registers without a unit take the value as is). */
export function toRegisterUnit(def: RegisterDef, base: number): number {
  if (def.unit === undefined) return base;
  const f = FROM_BASE[def.unit];
  if (f === undefined) {
    // A map with a unit we cannot convert would silently serve wrong numbers: refuse loudly.
    throw new Orv3Error(ErrorCode.SimInvariant, `no conversion to unit "${def.unit}"`, {
      register: def.name,
      unit: def.unit,
    });
  }
  return f(base);
}

export function fromRegisterUnit(def: RegisterDef, value: number): number {
  const f = def.unit === undefined ? undefined : TO_BASE[def.unit];
  return f === undefined ? value : f(value);
}

/**
 * Register words for a live value. A physical reading can leave what the register can hold
 * (8.8 kW pulse power in a 13-bit field): real firmware saturates, so do we, and the value is
 * also kept inside the map's min/max so that the codec's write-side bounds never fire on a read.
 */
export function encodeSaturated(def: RegisterDef, value: RegisterInput): number[] {
  if (typeof value === 'number' && def.format !== 'FLAGS' && def.format !== 'STRING') {
    let v = Number.isFinite(value) ? value : 0;
    const range = encodableRange(def);
    if (range !== undefined) v = Math.min(range[1], Math.max(range[0], v));
    if (def.min !== undefined) v = Math.max(def.min, v);
    if (def.max !== undefined) v = Math.min(def.max, v);
    if (def.format !== 'FLOAT') v = Math.round(v);
    return encodeRegister(def, v);
  }
  if (typeof value === 'string' && def.format === 'STRING') {
    return encodeRegister(def, value.slice(0, def.length * 2));
  }
  return encodeRegister(def, value);
}

/** Raw value of a FLAGS register from named bits; names the register does not define are dropped. */
export function flagBits(def: RegisterDef, bits: Readonly<Record<string, boolean>>): number {
  let raw = 0;
  for (const f of def.flags) if (bits[f.name] === true) raw += 2 ** f.bit;
  return raw;
}

/** Bit mask of every flag a FLAGS register defines. */
export function definedMask(def: RegisterDef): number {
  let m = 0;
  for (const f of def.flags) m += 2 ** f.bit;
  return m;
}

/** Bit position of a named flag, or undefined when this family's register lacks it. */
export function bitOf(def: RegisterDef, name: string): number | undefined {
  return def.flags.find((f) => f.name === name)?.bit;
}

/** A decoded register value as a plain number (FLAGS → raw bits). */
export function numeric(value: RegisterValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && !(value instanceof Uint8Array)) return Number(value.raw);
  throw new Orv3Error(ErrorCode.SimInvariant, 'expected a numeric register value');
}

/** Whether a decoded FLAGS value sets bits the register does not define (an invalid pattern). */
export function hasUndefinedBits(def: RegisterDef, value: RegisterValue): boolean {
  if (def.format !== 'FLAGS') return false;
  return (numeric(value) & ~definedMask(def)) !== 0;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
