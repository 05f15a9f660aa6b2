import { join } from 'node:path';
import { loadModbusMap } from './modbus-map.js';
import { loadPmbusCommands } from './pmbus-commands.js';
import { registersDir } from './paths.js';
import { mapInvalid } from './problems.js';
import type { MapProblem } from './problems.js';
import type {
  BuiltinMaps,
  BuiltinModbusFamily,
  BuiltinPmbusFamily,
  ModbusRegisterMap,
  PmbusCommandSet,
} from './types.js';

export const BUILTIN_MODBUS_FAMILIES: readonly BuiltinModbusFamily[] = Object.freeze([
  'orv3-psu',
  'orv3-bbu',
  'hpr-psu',
  'hpr-bbu',
]);
export const BUILTIN_PMBUS_FAMILIES: readonly BuiltinPmbusFamily[] = Object.freeze([
  'pmbus-psu',
  'pmbus-fastlane-ext',
]);

let cached: BuiltinMaps | undefined;

/**
 * All maps shipped in `registers/` (found next to this module, not via the cwd), keyed by
 * family. Each file is named after its family. Loaded once per process: the objects are frozen.
 */
export function loadBuiltinMaps(): BuiltinMaps {
  if (cached !== undefined) return cached;
  const dir = registersDir();
  const modbus = Object.fromEntries(
    BUILTIN_MODBUS_FAMILIES.map((f) => [f, loadModbusMap(join(dir, `${f}.json`))]),
  ) as Record<BuiltinModbusFamily, ModbusRegisterMap>;
  const pmbus = Object.fromEntries(
    BUILTIN_PMBUS_FAMILIES.map((f) => [f, loadPmbusCommands(join(dir, `${f}.json`))]),
  ) as Record<BuiltinPmbusFamily, PmbusCommandSet>;
  checkMapCollection(Object.values(modbus), Object.values(pmbus));
  cached = Object.freeze({ modbus: Object.freeze(modbus), pmbus: Object.freeze(pmbus) });
  return cached;
}

/**
 * Rules that span files: a device address must identify one family (discovery relies on it),
 * a file's family must match its name, and command sets must not reuse codes and must find the
 * standard commands they require. Throws one RegisterMapInvalid listing every problem.
 */
export function checkMapCollection(
  maps: readonly ModbusRegisterMap[],
  sets: readonly PmbusCommandSet[],
): void {
  const problems: MapProblem[] = [];
  for (const m of [...maps, ...sets]) {
    if (!m.file.endsWith(`${m.family}.json`)) {
      problems.push({ file: m.file, field: 'family', message: `"${m.family}" ≠ file name` });
    }
  }
  maps.forEach((a, i) => {
    for (const b of maps.slice(i + 1)) {
      for (const [alo, ahi] of a.addressRanges) {
        for (const [blo, bhi] of b.addressRanges) {
          if (alo <= bhi && blo <= ahi) {
            problems.push({
              file: b.file,
              field: 'addressRanges',
              message: `range [${blo}, ${bhi}] overlaps [${alo}, ${ahi}] of ${a.file}`,
            });
          }
        }
      }
    }
  });
  const allCommands = new Map<number, PmbusCommandSet>();
  const allNames = new Set<string>();
  for (const s of sets) {
    for (const c of s.commands) {
      const other = allCommands.get(c.code);
      if (other !== undefined) {
        problems.push({
          file: s.file,
          item: `command "${c.name}"`,
          field: 'code',
          message: `code also used in ${other.file}`,
        });
      }
      allCommands.set(c.code, s);
      allNames.add(c.name);
    }
  }
  for (const s of sets) {
    for (const name of s.requires) {
      if (!allNames.has(name)) {
        problems.push({
          file: s.file,
          field: 'requires',
          message: `no built-in command "${name}"`,
        });
      }
    }
  }
  if (problems.length > 0) throw mapInvalid(problems[0]!.file, problems);
}
