import type { Priority, ModbusClient, RequestOptions } from '../bus/modbus/client.js';
import type { Clock } from '../clock/index.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import { decodeRegister, encodableRange, encodeRegister, isWithinBounds } from '../regmap/index.js';
import type { ModbusRegisterMap, RegisterDef, RegisterValue } from '../regmap/index.js';

/** One FC 0x03 request of a read plan: a contiguous run inside one of the map's read spans. */
export interface ReadTransaction {
  readonly begin: number;
  readonly length: number;
  /** The registers decoded from the answer (words between them are read and dropped). */
  readonly registers: readonly RegisterDef[];
}

export interface ReadPlan {
  readonly transactions: readonly ReadTransaction[];
  /** Sum of the transactions' lengths: what the wire carries. */
  readonly words: number;
}

/** A decoded register value and when its answer arrived (clock.nowMs). */
export interface Sample {
  readonly value: RegisterValue;
  readonly atMs: number;
}

export function registerOf(map: ModbusRegisterMap, name: string): RegisterDef {
  const def = map.byName.get(name);
  if (def === undefined) {
    throw new Orv3Error(
      ErrorCode.RegisterMapInvalid,
      `${map.file}: register "${name}" is missing (the ${map.kind} driver needs it)`,
      { family: map.family, register: name },
    );
  }
  return def;
}

/**
 * The fewest reads that fetch `names`: the map's merged read spans (contiguous, so a read never
 * touches an unmapped word and draws exception 02), each trimmed to the first and last register
 * it is needed for, so a sweep pays only for the words between registers it uses.
 */
export function planReads(map: ModbusRegisterMap, names: readonly string[]): ReadPlan {
  const wanted = new Set(names.map((n) => registerOf(map, n)));
  const transactions: ReadTransaction[] = [];
  for (const span of map.readSpans) {
    const mine = span.registers.filter((r) => wanted.has(r));
    if (mine.length === 0) continue;
    const begin = mine[0]!.begin;
    transactions.push({ begin, length: mine.at(-1)!.end - begin, registers: mine });
    for (const r of mine) wanted.delete(r);
  }
  if (wanted.size > 0) {
    const missing = [...wanted].map((r) => r.name).join(', ');
    throw new Orv3Error(
      ErrorCode.RegisterMapInvalid,
      `${map.file}: not in any read span: ${missing}`,
    );
  }
  return Object.freeze({
    transactions: Object.freeze(transactions),
    words: transactions.reduce((s, t) => s + t.length, 0),
  });
}

/** Executes a plan in order; each register is stamped with the arrival time of its answer. */
export async function executeReads(
  client: ModbusClient,
  unit: number,
  plan: ReadPlan,
  clock: Clock,
  opts: RequestOptions,
): Promise<Map<string, Sample>> {
  const out = new Map<string, Sample>();
  for (const tx of plan.transactions) {
    const words = await client.readHoldingRegisters(unit, tx.begin, tx.length, opts);
    const atMs = clock.nowMs();
    if (words.length !== tx.length) {
      throw new Orv3Error(
        ErrorCode.ModbusFrame,
        `unit ${unit}: read ${tx.begin}+${tx.length} returned ${words.length} words`,
        { unit, begin: tx.begin, length: tx.length, got: words.length },
      );
    }
    for (const def of tx.registers) {
      const value = decodeRegister(def, words.subarray(def.begin - tx.begin, def.end - tx.begin));
      out.set(def.name, { value, atMs });
    }
  }
  return out;
}

function outOfBounds(
  def: RegisterDef,
  value: unknown,
  why: string,
  extra: Record<string, unknown> = {},
): Orv3Error {
  return new Orv3Error(
    ErrorCode.CommandOutOfBounds,
    `register "${def.name}" (begin ${def.begin}): value ${String(value)}${
      def.unit === undefined ? '' : ` ${def.unit}`
    } ${why}`,
    { register: def.name, begin: def.begin, value, min: def.min, max: def.max, ...extra },
  );
}

/**
 * Refuses, before anything goes on the wire, a numeric command the map does not allow: not
 * writable, not a number, not an integer for an integer register, outside `min`/`max` or the
 * encodable range, or above a caller's tighter `limit`.
 */
export function checkNumericWrite(def: RegisterDef, value: number, limit?: number): void {
  if (!def.writable) throw outOfBounds(def, value, 'cannot be written: the register is read-only');
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw outOfBounds(def, value, 'is not a finite number');
  }
  if (def.format !== 'FLOAT' && !Number.isInteger(value)) {
    throw outOfBounds(def, value, `is not an integer (${def.format} register)`);
  }
  const range = encodableRange(def);
  const lo = Math.max(def.min ?? -Infinity, range?.[0] ?? -Infinity);
  const hi = Math.min(def.max ?? Infinity, range?.[1] ?? Infinity);
  if (!isWithinBounds(def, value) || value < lo || value > hi) {
    throw outOfBounds(def, value, `is outside the allowed range [${lo}, ${hi}]`);
  }
  if (limit !== undefined && value > limit) {
    throw outOfBounds(def, value, `exceeds the caller's limit ${limit}`, { limit });
  }
}

/** Writes already-encoded words with the function the length calls for (0x06 or 0x10). */
export async function writeWords(
  client: ModbusClient,
  unit: number,
  def: RegisterDef,
  words: readonly number[],
  priority: Priority = 'control',
): Promise<void> {
  if (words.length === 1)
    await client.writeSingleRegister(unit, def.begin, words[0]!, { priority });
  else await client.writeMultipleRegisters(unit, def.begin, words, { priority });
}

/** Bounds-checks, encodes and writes one numeric register at control priority. */
export async function writeNumeric(
  client: ModbusClient,
  unit: number,
  def: RegisterDef,
  value: number,
  limit?: number,
): Promise<void> {
  checkNumericWrite(def, value, limit);
  await writeWords(client, unit, def, encodeRegister(def, value));
}
