/**
 * `orv3gw read DEV REG|NAME|all`: a named register decoded with its unit, raw words at a
 * register number (0x03, or 0x04 with --input), or the device's whole map in its merged spans.
 * Named reads use the map's read spans, so they never touch an unmapped word.
 */
import type { Command } from 'commander';
import { planReads } from '../../devices/index.js';
import type { ReadTransaction } from '../../devices/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { decodeRegister, mapForAddress, MODBUS_MAX_READ_WORDS } from '../../regmap/index.js';
import type { ModbusRegisterMap, RegisterDef, RegisterValue } from '../../regmap/index.js';
import {
  FieldUsageError,
  mapFor,
  parseAddress,
  parsePositive,
  parseRegisterNumber,
  registerByName,
  usageExits,
} from './args.js';
import { addConnectionOptions, mapsOfFamily, openConnection } from './connection.js';
import type { Connection, ConnectionCliOptions, FieldHooks } from './connection.js';
import { errorText, formatValue, hexWord, jsonValue, table } from './format.js';
import type { JsonValue } from './format.js';
import { timeoutOpt } from './scan.js';

interface ReadCliOptions extends ConnectionCliOptions {
  count?: string;
  raw?: boolean;
  input?: boolean;
}

/** One register's outcome: its words and decoded value, or why its span failed. */
export interface RegisterReading {
  readonly def: RegisterDef;
  readonly words?: readonly number[];
  readonly value?: RegisterValue;
  readonly error?: string;
  readonly cause?: unknown;
}

/** Reads the registers of a plan one transaction at a time; a failed span does not stop the rest. */
export async function readRegisters(
  conn: Connection,
  unit: number,
  map: ModbusRegisterMap,
  defs: readonly RegisterDef[],
): Promise<RegisterReading[]> {
  const plan = planReads(
    map,
    defs.map((d) => d.name),
  );
  const out: RegisterReading[] = [];
  for (const tx of plan.transactions) out.push(...(await readTransaction(conn, unit, tx)));
  return out;
}

async function readTransaction(
  conn: Connection,
  unit: number,
  tx: ReadTransaction,
): Promise<RegisterReading[]> {
  let words: Uint16Array;
  try {
    words = await conn.run(
      conn.client.readHoldingRegisters(unit, tx.begin, tx.length, timeoutOpt(conn)),
    );
  } catch (e) {
    return tx.registers.map((def) => ({ def, error: errorText(e), cause: e }));
  }
  return tx.registers.map((def) => {
    const w = words.subarray(def.begin - tx.begin, def.end - tx.begin);
    try {
      return { def, words: Array.from(w), value: decodeRegister(def, w) };
    } catch (e) {
      return { def, words: Array.from(w), error: errorText(e), cause: e };
    }
  });
}

function namedRows(readings: readonly RegisterReading[], raw: boolean): string {
  const rows = readings.map((r) => [
    String(r.def.begin),
    String(r.def.length),
    r.def.name,
    r.error !== undefined
      ? `— ${r.error}`
      : formatValue(r.def, r.value!) + (raw ? `  {${r.words!.map(hexWord).join(' ')}}` : ''),
  ]);
  return table(['reg', 'len', 'name', 'value'], rows);
}

function namedJson(readings: readonly RegisterReading[]): JsonValue[] {
  return readings.map((r) => ({
    name: r.def.name,
    begin: r.def.begin,
    length: r.def.length,
    ...(r.words === undefined ? {} : { words: r.words }),
    ...(r.error !== undefined ? { error: r.error } : jsonValue(r.def, r.value!)),
  }));
}

/** Raw words at a register number: what the device holds, annotated with the map's names. */
async function readRaw(
  conn: Connection,
  unit: number,
  start: number,
  count: number,
  input: boolean,
): Promise<{ address: number; word: number; name: string | null }[]> {
  const opts = timeoutOpt(conn);
  const words = await conn.run(
    input
      ? conn.client.readInputRegisters(unit, start, count, opts)
      : conn.client.readHoldingRegisters(unit, start, count, opts),
  );
  const map = mapForAddress(conn.maps, unit);
  return Array.from(words, (word, i) => {
    const def = input ? undefined : map?.byWord.get(start + i);
    const name =
      def === undefined
        ? null
        : def.begin === start + i
          ? def.name
          : `${def.name}+${start + i - def.begin}`;
    return { address: start + i, word, name };
  });
}

export function registerReadCommand(program: Command, hooks: FieldHooks): void {
  addConnectionOptions(
    program
      .command('read')
      .description('read a register by name (decoded), by number (raw words), or `all`')
      .argument('<dev>', 'Modbus address of the device')
      .argument('<reg>', 'register name from the device’s map, register number, or `all`'),
  )
    .option('--count <n>', 'words (numeric REG) or registers (NAME) to read', '1')
    .option('--raw', 'also print the raw words of decoded registers')
    .option('--input', 'numeric REG: read input registers (0x04) instead of holding (0x03)')
    .action(
      usageExits(async (dev: string, reg: string, o: ReadCliOptions) => {
        const unit = parseAddress(dev);
        const count = parsePositive(o.count, '--count', MODBUS_MAX_READ_WORDS) ?? 1;
        const number = reg === 'all' ? undefined : parseRegisterNumber(reg);
        // Everything the user typed is checked before a connection exists.
        if (number !== undefined && number + count > 0x10000) {
          throw new FieldUsageError(`${number}+${count} runs past register 65535`);
        }
        if (number === undefined && o.input) {
          throw new FieldUsageError('--input goes with a register number');
        }
        const map = number === undefined ? mapFor(mapsOfFamily(o.family), unit) : undefined;
        let defs: readonly RegisterDef[] | undefined;
        if (map !== undefined) {
          defs = reg === 'all' ? map.registers : slice(map, registerByName(map, reg), count);
        }
        const conn = await openConnection(o, hooks);
        try {
          let text: string;
          let json: JsonValue;
          if (map === undefined || defs === undefined) {
            const rows = await readRaw(conn, unit, number!, count, o.input === true);
            json = { unit, function: o.input ? '0x04' : '0x03', registers: rows };
            text = table(
              ['reg', 'hex', 'dec', 'name'],
              rows.map((r) => [String(r.address), hexWord(r.word), String(r.word), r.name ?? '']),
            );
          } else {
            const readings = await readRegisters(conn, unit, map, defs);
            json = { unit, family: map.family, registers: namedJson(readings) };
            text =
              `unit ${unit} (${map.family}, ${map.file})\n` + namedRows(readings, o.raw === true);
            const failed = readings.filter((r) => r.error !== undefined);
            // Nothing read: the bus error alone says it best. Some read: show them, still exit 1.
            if (failed.length === readings.length) throw failed[0]!.cause;
            if (failed.length > 0) {
              process.stdout.write(o.json ? JSON.stringify(json, null, 2) + '\n' : text);
              throw partialFailure(unit, failed);
            }
          }
          process.stdout.write(o.json ? JSON.stringify(json, null, 2) + '\n' : text);
        } finally {
          await conn.close();
        }
      }),
    );
}

/** `count` registers of the map from `first` on, in address order. */
function slice(map: ModbusRegisterMap, first: RegisterDef, count: number): RegisterDef[] {
  const i = map.registers.indexOf(first);
  return map.registers.slice(i, i + count);
}

function partialFailure(unit: number, failed: readonly RegisterReading[]): Orv3Error {
  const first = failed[0]!;
  const code = first.cause instanceof Orv3Error ? first.cause.code : ErrorCode.ModbusFrame;
  return new Orv3Error(
    code,
    `unit ${unit}: ${failed.length} register(s) unreadable, first ${first.def.name}: ${first.error}`,
    { unit, registers: failed.map((r) => r.def.name) },
  );
}
