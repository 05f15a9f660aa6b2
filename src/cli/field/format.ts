/**
 * How decoded register values look in a terminal and in JSON. Values keep the map's own unit
 * (what the vendor sheet shows); map units that are not SI also get the SI value beside them,
 * converted exactly as the drivers convert them (src/devices/units.ts).
 */
import { SNAPSHOT_UNIT, toSnapshotUnit } from '../../devices/index.js';
import type { FlagsValue, RegisterDef, RegisterValue } from '../../regmap/index.js';

export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

const isFlags = (v: RegisterValue): v is FlagsValue =>
  typeof v === 'object' && !(v instanceof Uint8Array);

const hexBytes = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export const hexWord = (w: number): string => `0x${w.toString(16).padStart(4, '0')}`;

/** Numbers print with up to 4 decimals, trailing zeros dropped (50.0195 V, 277 V). */
export function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
}

function siOf(def: RegisterDef, v: RegisterValue): { value: number; unit: string } | undefined {
  if (def.unit === undefined || (typeof v !== 'number' && typeof v !== 'bigint')) return undefined;
  const si = SNAPSHOT_UNIT[def.unit];
  if (si === undefined || si === def.unit) return undefined;
  return { value: toSnapshotUnit(def, Number(v)), unit: si };
}

/** `50.02 V`, `1234 10mA (12.34 A)`, `"SIM-HPR-PSU"`, `0x0801 [Bit_A, Bit_B]`. */
export function formatValue(def: RegisterDef, v: RegisterValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `0x${hexBytes(v)}`;
  if (isFlags(v)) {
    const set = Object.entries(v.bits)
      .filter(([, on]) => on)
      .map(([name]) => name);
    const width = def.length * 4;
    return `0x${v.raw.toString(16).padStart(width, '0')} [${set.join(', ')}]`;
  }
  const unit = def.unit === undefined ? '' : ` ${def.unit}`;
  const si = siOf(def, v);
  const main = `${typeof v === 'bigint' ? String(v) : num(v)}${unit}`;
  return si === undefined ? main : `${main} (${num(si.value)} ${si.unit})`;
}

/** The same value for --json: numbers stay numbers, flags list their set bits. */
export function jsonValue(def: RegisterDef, v: RegisterValue): Record<string, JsonValue> {
  if (typeof v === 'string') return { value: v };
  if (v instanceof Uint8Array) return { value: hexBytes(v) };
  if (isFlags(v)) {
    const set = Object.entries(v.bits)
      .filter(([, on]) => on)
      .map(([name]) => name);
    return { value: Number(v.raw), set };
  }
  const si = siOf(def, v);
  return {
    value: typeof v === 'bigint' ? Number(v) : v,
    ...(def.unit === undefined ? {} : { unit: def.unit }),
    ...(si === undefined ? {} : { si: si.value, siUnit: si.unit }),
  };
}

/** Left-aligned text columns, numbers right-aligned, two spaces between. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = head.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.]+$/.test(r[i] ?? '')),
  );
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** Error text for a table cell or a JSON field. */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
