import { deepFreeze, FrozenMap } from './frozen.js';
import { lintPmbusSet, parseCode, TRANSACTION_SIZE } from './lint-pmbus.js';
import { ProblemList } from './problems.js';
import { readJsonFile } from './read-json.js';
import { validatePmbusJson } from './schema.js';
import type { CommandJson } from './schema.js';
import type { DeviceKind, PmbusCommandDef, PmbusCommandSet } from './types.js';

const ALL_KINDS: readonly DeviceKind[] = ['psu', 'bbu'];

/** Reads, validates (schema + lint) and freezes one PMBus command set file. */
export function loadPmbusCommands(path: string): PmbusCommandSet {
  const { data, file } = readJsonFile(path);
  return parsePmbusCommands(data, file);
}

/** Validates already-parsed JSON; `file` only labels error messages. */
export function parsePmbusCommands(data: unknown, file: string): PmbusCommandSet {
  const problems = new ProblemList(file);
  if (!validatePmbusJson(data, problems)) {
    problems.throwIfAny();
    throw new Error('unreachable: schema failed without problems');
  }
  lintPmbusSet(data, problems);
  problems.throwIfAny();

  const commands = data.commands.map(toCommandDef).sort((a, b) => a.code - b.code);
  const set: PmbusCommandSet = {
    name: data.name,
    family: data.family,
    source: data.source,
    ...(data.description === undefined ? {} : { description: data.description }),
    file,
    extension: data.extension,
    requires: [...(data.requires ?? [])],
    commands,
    byCode: new FrozenMap(commands.map((c) => [c.code, c])),
    byName: new FrozenMap(commands.map((c) => [c.name, c])),
  };
  return deepFreeze(set);
}

function toCommandDef(c: CommandJson): PmbusCommandDef {
  const def: PmbusCommandDef = {
    code: parseCode(c.code),
    name: c.name,
    transactions: [...c.transaction],
    format: c.format,
    size: TRANSACTION_SIZE[c.transaction[0]!],
    readable: c.transaction.some((t) => t.startsWith('read')),
    writable: c.transaction.some((t) => t.startsWith('write')),
    flags: [...(c.flags ?? [])].sort((a, b) => a.bit - b.bit).map((f) => ({ ...f })),
    extension: c.extension,
    appliesTo: [...(c.appliesTo ?? ALL_KINDS)],
  };
  const optional = {
    unit: c.unit,
    direct: c.direct === undefined ? undefined : { ...c.direct },
    maxLength: c.maxLength,
    min: c.min,
    max: c.max,
    default: c.default,
    expiry: c.expiry,
    description: c.description,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) Object.assign(def, { [k]: v });
  }
  return def;
}
