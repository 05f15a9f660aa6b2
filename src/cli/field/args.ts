/**
 * Argument parsing shared by the field commands: Modbus addresses and address lists, register
 * numbers and names (with a "did you mean"), and the usage-error path that exits 2.
 */
import { CommanderError } from 'commander';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { mapForAddress } from '../../regmap/index.js';
import type { ModbusRegisterMap, RegisterDef } from '../../regmap/index.js';

/** A mistake in the command line (exit 2), as opposed to a device or bus failure (exit 1). */
export class FieldUsageError extends Error {}

/**
 * Runs an action and turns a FieldUsageError into a CommanderError with exit code 2 after
 * printing it: `main` returns a CommanderError's exit code as is, so exit 2 needs nothing of
 * cli.ts beyond the mapping it already has.
 */
export function usageExits<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof FieldUsageError)) throw e;
      process.stderr.write(`orv3gw: ${e.message}\n`);
      throw new CommanderError(2, 'orv3gw.usage', e.message);
    }
  };
}

/** A non-negative integer in decimal or 0x hex, or undefined when `s` is not one. */
function parseUint(s: string): number | undefined {
  const t = s.trim();
  if (!/^(?:\d+|0x[0-9a-f]+)$/i.test(t)) return undefined;
  return Number(t);
}

/** A Modbus device address (unit id): 1..255, decimal or 0x hex. */
export function parseAddress(s: string): number {
  const n = parseUint(s);
  if (n === undefined || n < 1 || n > 255) {
    throw new FieldUsageError(`malformed device address "${s}": expected a Modbus address 1..255`);
  }
  return n;
}

/** `200-205,64` → [200 … 205, 64]. */
export function parseAddressList(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(',')) {
    const m = /^\s*(\w+)\s*(?:-\s*(\w+)\s*)?$/.exec(part);
    const lo = m ? parseAddress(m[1]!) : undefined;
    const hi = m?.[2] === undefined ? lo : parseAddress(m[2]);
    if (lo === undefined || hi === undefined || hi < lo) {
      throw new FieldUsageError(`malformed address list "${s}": expected e.g. 200-205,64`);
    }
    for (let a = lo; a <= hi; a++) out.push(a);
  }
  return out;
}

/** A register (word) address 0..65535, or undefined when `s` is not a number (a name, then). */
export function parseRegisterNumber(s: string): number | undefined {
  const n = parseUint(s);
  if (n === undefined) return /^[\d-]/.test(s.trim()) ? badNumber(s) : undefined;
  return n <= 0xffff ? n : badNumber(s);
}

function badNumber(s: string): never {
  throw new FieldUsageError(`malformed register address "${s}": expected 0..65535 or a name`);
}

/** A positive integer option such as --count. */
export function parsePositive(
  s: string | undefined,
  name: string,
  max: number,
): number | undefined {
  if (s === undefined) return undefined;
  const n = parseUint(s);
  if (n === undefined || n < 1 || n > max) {
    throw new FieldUsageError(`${name} must be an integer 1..${max}, got "${s}"`);
  }
  return n;
}

/** The map serving `address` among the selected families, or E504 naming what was searched. */
export function mapFor(maps: readonly ModbusRegisterMap[], address: number): ModbusRegisterMap {
  const map = mapForAddress(maps, address);
  if (map === undefined) {
    const ranges = maps
      .map((m) => `${m.family} ${m.addressRanges.map(([lo, hi]) => `${lo}-${hi}`).join(',')}`)
      .join('; ');
    throw new Orv3Error(
      ErrorCode.UnknownDevice,
      `unknown device: address ${address} is in no address range of the selected maps (${ranges})`,
      { address, families: maps.map((m) => m.family) },
    );
  }
  return map;
}

/** A register by name: exact, else case-insensitive; unknown names get the closest ones. */
export function registerByName(map: ModbusRegisterMap, name: string): RegisterDef {
  const exact = map.byName.get(name);
  if (exact !== undefined) return exact;
  const folded = map.registers.filter((r) => r.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1) return folded[0]!;
  const close = suggestions(
    name,
    map.registers.map((r) => r.name),
  );
  throw new FieldUsageError(
    `unknown register "${name}" in the ${map.family} map` +
      (close.length > 0 ? ` — did you mean ${close.join(', ')}?` : '') +
      ` (\`orv3gw read DEV all\` lists them)`,
  );
}

/** Up to three names closest to `s`: substring matches first, then by edit distance. */
export function suggestions(s: string, names: readonly string[]): string[] {
  const q = s.toLowerCase();
  const scored = names.map((n) => {
    const l = n.toLowerCase();
    const d = l.includes(q) || q.includes(l) ? 0 : editDistance(q, l);
    return { n, d };
  });
  const limit = Math.max(2, Math.floor(q.length / 3));
  return scored
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.length - b.n.length)
    .slice(0, 3)
    .map((x) => x.n);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
