import { deepFreeze, FrozenMap } from './frozen.js';
import { lintModbusMap } from './lint-modbus.js';
import { readJsonFile } from './read-json.js';
import { ProblemList } from './problems.js';
import { validateModbusJson } from './schema.js';
import type { RegisterJson } from './schema.js';
import type { ModbusRegisterMap, ReadSpan, RegisterDef } from './types.js';

/** Modbus FC 3 returns at most 125 registers per request. */
export const MODBUS_MAX_READ_WORDS = 125;

/** Reads, validates (schema + lint) and freezes one Modbus register map file. */
export function loadModbusMap(path: string): ModbusRegisterMap {
  const { data, file } = readJsonFile(path);
  return parseModbusMap(data, file);
}

/**
 * Validates already-parsed JSON; `file` only labels error messages. Throws one
 * Orv3Error(RegisterMapInvalid) listing every problem. Schema problems are reported first: the
 * semantic lint runs once the structure is sound, because its rules assume well-typed fields.
 */
export function parseModbusMap(data: unknown, file: string): ModbusRegisterMap {
  const problems = new ProblemList(file);
  if (!validateModbusJson(data, problems)) {
    problems.throwIfAny();
    throw new Error('unreachable: schema failed without problems');
  }
  lintModbusMap(data, problems);
  problems.throwIfAny();

  const registers = data.registers.map(toRegisterDef).sort((a, b) => a.begin - b.begin);
  const byWord: [number, RegisterDef][] = [];
  for (const r of registers) {
    for (let a = r.begin; a < r.end; a++) byWord.push([a, r]);
  }
  const map: ModbusRegisterMap = {
    name: data.name,
    family: data.family,
    kind: data.kind,
    source: data.source,
    ...(data.description === undefined ? {} : { description: data.description }),
    file,
    addressRanges: data.addressRanges
      .map(([lo, hi]) => [lo, hi] as const)
      .sort((a, b) => a[0] - b[0]),
    probeRegister: data.probeRegister,
    baudRate: data.baudRate,
    ...(data.timeSync === undefined ? {} : { timeSync: { ...data.timeSync } }),
    registers,
    byName: new FrozenMap(registers.map((r) => [r.name, r])),
    byAddress: new FrozenMap(registers.map((r) => [r.begin, r])),
    byWord: new FrozenMap(byWord),
    readSpans: buildReadSpans(registers),
  };
  return deepFreeze(map);
}

function toRegisterDef(r: RegisterJson): RegisterDef {
  const def: RegisterDef = {
    name: r.name,
    begin: r.begin,
    length: r.length,
    end: r.begin + r.length,
    format: r.format,
    endian: r.endian ?? 'B',
    precision: r.precision ?? 0,
    scale: r.scale ?? 1,
    shift: r.shift ?? 0,
    signed: r.signed ?? false,
    flags: [...(r.flags ?? [])].sort((a, b) => a.bit - b.bit).map((f) => ({ ...f })),
    writable: r.writable,
    keep: r.keep ?? 1,
    changesOnly: r.changesOnly ?? false,
  };
  // Optional fields stay absent rather than `undefined` so that `'min' in def` means something.
  const optional = {
    unit: r.unit,
    min: r.min,
    max: r.max,
    description: r.description,
    intervalS: r.intervalS,
  };
  for (const [k, v] of Object.entries(optional)) {
    if (v !== undefined) Object.assign(def, { [k]: v });
  }
  return def;
}

/**
 * Merges registers into read spans like rackmon: a register joins the current span only if it
 * starts exactly where the span ends (no gap: unmapped words may raise Modbus exceptions), has
 * the same polling interval, and the span stays within `maxWords`.
 */
export function buildReadSpans(
  registers: readonly RegisterDef[],
  maxWords: number = MODBUS_MAX_READ_WORDS,
): readonly ReadSpan[] {
  const sorted = [...registers].sort((a, b) => a.begin - b.begin);
  const spans: { begin: number; length: number; intervalS?: number; registers: RegisterDef[] }[] =
    [];
  for (const r of sorted) {
    const open = spans.find(
      (s) =>
        s.intervalS === r.intervalS &&
        s.begin + s.length === r.begin &&
        s.length + r.length <= maxWords,
    );
    if (open === undefined) {
      spans.push({
        begin: r.begin,
        length: r.length,
        ...(r.intervalS === undefined ? {} : { intervalS: r.intervalS }),
        registers: [r],
      });
    } else {
      open.length += r.length;
      open.registers.push(r);
    }
  }
  return deepFreeze(spans.sort((a, b) => a.begin - b.begin));
}

/** The map whose address ranges contain `address`, if any. */
export function mapForAddress<M extends ModbusRegisterMap>(
  maps: readonly M[],
  address: number,
): M | undefined {
  return maps.find((m) => m.addressRanges.some(([lo, hi]) => address >= lo && address <= hi));
}
