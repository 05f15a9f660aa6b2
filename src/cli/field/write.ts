/**
 * `orv3gw write DEV NAME|REG VALUE --yes-i-mean-it`: one register of a live power shelf. Every
 * check — map, writability, bounds, defined flag bits — runs before the connection is even
 * opened; without the flag nothing is opened at all. Prints the value before and after.
 */
import type { Command } from 'commander';
import { Psu } from '../../devices/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import type { ModbusRegisterMap, RegisterDef, RegisterValue } from '../../regmap/index.js';
import {
  FieldUsageError,
  mapFor,
  parseAddress,
  parseRegisterNumber,
  registerByName,
  usageExits,
} from './args.js';
import { addConnectionOptions, mapsOfFamily, openConnection } from './connection.js';
import type { ConnectionCliOptions, FieldHooks } from './connection.js';
import { formatValue, jsonValue } from './format.js';
import { readRegisters } from './read.js';
import { timeoutOpt } from './scan.js';
import { parseWriteValue } from './write-value.js';
import type { PlannedWrite } from './write-value.js';
import { explainWriteEnable, isGated, setpointRange, settingNote } from './write-enable.js';

interface WriteCliOptions extends ConnectionCliOptions {
  yesIMeanIt?: boolean;
  withWriteEnable?: boolean;
}

/** Resolves and checks a write entirely offline: what would go on the wire, or why not. */
export function planWrite(
  maps: readonly ModbusRegisterMap[],
  unit: number,
  target: string,
  value: string,
): PlannedWrite {
  const map = mapFor(maps, unit);
  const number = parseRegisterNumber(target);
  const def = number === undefined ? registerByName(map, target) : registerAt(map, number);
  if (!def.writable) {
    throw new Orv3Error(
      ErrorCode.CommandOutOfBounds,
      `register "${def.name}" (begin ${def.begin}) of ${map.family} is read-only`,
      { register: def.name, begin: def.begin },
    );
  }
  return parseWriteValue(map, def, value, number !== undefined);
}

function registerAt(map: ModbusRegisterMap, n: number): RegisterDef {
  const def = map.byWord.get(n);
  if (def === undefined) {
    throw new Orv3Error(
      ErrorCode.CommandOutOfBounds,
      `register ${n} is not in the ${map.family} map: refusing to write an unmapped word`,
      { begin: n, family: map.family },
    );
  }
  if (def.begin !== n || def.length !== 1) {
    throw new FieldUsageError(
      `register ${n} is ${def.begin === n ? '' : `inside `}"${def.name}" (begin ${def.begin}, ` +
        `${def.length} words): write it by name`,
    );
  }
  return def;
}

export function registerWriteCommand(program: Command, hooks: FieldHooks): void {
  addConnectionOptions(
    program
      .command('write')
      .description('write one register (guarded: needs --yes-i-mean-it)')
      .argument('<dev>', 'Modbus address of the device')
      .argument('<reg>', 'register name (VALUE in the map’s unit) or number (VALUE a raw word)')
      .argument('<value>', 'number (decimal or 0x hex); FLAGS also Bit_Name,Other_Bit'),
  )
    .option('--yes-i-mean-it', 'really write to the device')
    .option('--with-write-enable', 'PSU Vout setpoints: run the write-enable sequence (driver)')
    .action(
      usageExits(async (dev: string, reg: string, value: string, o: WriteCliOptions) => {
        const unit = parseAddress(dev);
        const plan = planWrite(mapsOfFamily(o.family), unit, reg, value);
        const gated = isGated(plan.map, plan.def);
        if (o.withWriteEnable && (!gated || setpointRange(plan.def) === undefined)) {
          throw new FieldUsageError(
            gated
              ? `--with-write-enable runs through the PSU driver, which sets Vout setpoints only; ` +
                  explainWriteEnable(plan.def)
              : `"${plan.def.name}" needs no write enable; drop --with-write-enable`,
          );
        }
        const what = `${plan.def.name} (register ${plan.def.begin}) of unit ${unit} ← ${plan.text}`;
        if (!o.yesIMeanIt) {
          throw new FieldUsageError(
            `refusing to write ${what}: a write changes a live power shelf, so it needs ` +
              `--yes-i-mean-it (nothing was sent)`,
          );
        }
        const conn = await openConnection(o, hooks);
        try {
          const readBack = async (): Promise<RegisterValue> => {
            const [r] = await readRegisters(conn, unit, plan.map, [plan.def]);
            if (r?.error !== undefined) throw r.cause;
            return r!.value!;
          };
          const before = await readBack();
          if (o.withWriteEnable) {
            const psu = new Psu(conn.client, unit, plan.map, conn.clock, timeoutOpt(conn));
            await conn.run(psu.setOutputVoltage(plan.input, setpointRange(plan.def)));
          } else {
            const words = plan.words;
            const opts = { priority: 'control' as const, ...timeoutOpt(conn) };
            await conn.run(
              words.length === 1
                ? conn.client.writeSingleRegister(unit, plan.def.begin, words[0]!, opts)
                : conn.client.writeMultipleRegisters(unit, plan.def.begin, words, opts),
            );
          }
          const after = await readBack();
          const unchanged = sameValue(before, after) && !sameValue(before, plan.decoded);
          const note =
            gated && !o.withWriteEnable
              ? explainWriteEnable(plan.def)
              : plan.map.kind === 'psu'
                ? settingNote(plan.def, plan.input)
                : undefined;
          if (o.json) {
            const j = (v: RegisterValue) => jsonValue(plan.def, v);
            const out = { unit, register: plan.def.name, begin: plan.def.begin, words: plan.words };
            const all = { ...out, before: j(before), written: j(plan.decoded), after: j(after) };
            process.stdout.write(JSON.stringify({ ...all, unchanged, note }, null, 2) + '\n');
          } else {
            process.stdout.write(
              `${what}\n  before  ${formatValue(plan.def, before)}\n` +
                `  wrote   ${formatValue(plan.def, plan.decoded)}` +
                `${o.withWriteEnable ? ' (write-enable sequence)' : ''}\n` +
                `  after   ${formatValue(plan.def, after)}\n` +
                (unchanged
                  ? `  the device acknowledged the write but the value did not change\n`
                  : '') +
                (note === undefined ? '' : `  note: ${note}\n`),
            );
          }
        } finally {
          await conn.close();
        }
      }),
    );
}

function sameValue(a: RegisterValue, b: RegisterValue): boolean {
  const norm = (v: RegisterValue): string =>
    typeof v === 'object' && !(v instanceof Uint8Array) ? String(v.raw) : String(v);
  return norm(a) === norm(b);
}
