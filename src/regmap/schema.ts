import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DeviceKind, Endian, PmbusFormat, PmbusTransaction, RegisterFormat } from './types.js';
import { registersDir } from './paths.js';
import type { ProblemList } from './problems.js';

/** On-disk shapes, as the JSON Schemas in registers/schema/ allow them (defaults omitted). */
export interface FlagJson {
  bit: number;
  name: string;
  description?: string;
  latched?: boolean;
}

export interface RegisterJson {
  name: string;
  begin: number;
  length: number;
  format: RegisterFormat;
  endian?: Endian;
  precision?: number;
  scale?: number;
  shift?: number;
  signed?: boolean;
  flags?: FlagJson[];
  writable: boolean;
  unit?: string;
  min?: number;
  max?: number;
  description?: string;
  keep?: number;
  changesOnly?: boolean;
  intervalS?: number;
}

export interface ModbusMapJson {
  name: string;
  family: string;
  kind: DeviceKind;
  source: string;
  description?: string;
  addressRanges: [number, number][];
  probeRegister: number;
  baudRate: number;
  timeSync?: { register: number; length: number; periodS: number };
  registers: RegisterJson[];
}

export interface CommandJson {
  code: number | string;
  name: string;
  transaction: PmbusTransaction[];
  format: PmbusFormat;
  unit?: string;
  flags?: FlagJson[];
  direct?: { m: number; b: number; R: number };
  maxLength?: number;
  extension: boolean;
  appliesTo?: DeviceKind[];
  min?: number;
  max?: number;
  default?: number;
  expiry?: string;
  description?: string;
}

export interface PmbusSetJson {
  name: string;
  family: string;
  source: string;
  description?: string;
  extension: boolean;
  requires?: string[];
  commands: CommandJson[];
}

type SchemaName = 'modbus-map' | 'pmbus-commands';

let ajv: Ajv | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let v = validators.get(name);
  if (v === undefined) {
    // One strict instance: a schema typo must fail loudly at first use, not validate nothing.
    ajv ??= new Ajv({ strict: true, allErrors: true });
    const file = join(registersDir(), 'schema', `${name}.schema.json`);
    v = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    validators.set(name, v);
  }
  return v;
}

export function validateModbusJson(data: unknown, problems: ProblemList): data is ModbusMapJson {
  return check('modbus-map', 'registers', data, problems);
}

export function validatePmbusJson(data: unknown, problems: ProblemList): data is PmbusSetJson {
  return check('pmbus-commands', 'commands', data, problems);
}

function check(
  name: SchemaName,
  listKey: 'registers' | 'commands',
  data: unknown,
  problems: ProblemList,
): boolean {
  const v = validator(name);
  if (v(data)) return true;
  const list = listOf(data, listKey);
  for (const e of v.errors ?? []) reportAjvError(e, listKey, list, problems);
  return false;
}

function listOf(data: unknown, key: string): readonly unknown[] {
  if (typeof data !== 'object' || data === null) return [];
  const list = (data as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : [];
}

function reportAjvError(
  e: ErrorObject,
  listKey: 'registers' | 'commands',
  list: readonly unknown[],
  problems: ProblemList,
): void {
  // Branch failures of oneOf / if-then repeat what the parent error or "required" already says.
  if (e.keyword === 'if' || e.schemaPath.includes('/oneOf/')) return;
  const segments = e.instancePath.split('/').slice(1).map(unescapePointer);
  let fieldPath = segments;
  let index: number | undefined;
  if (segments[0] === listKey && segments.length >= 2) {
    index = Number(segments[1]);
    fieldPath = segments.slice(2);
  }
  let message = e.message ?? 'is invalid';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    fieldPath = [...fieldPath, String(params['missingProperty'])];
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    fieldPath = [...fieldPath, String(params['additionalProperty'])];
    message = 'is not a known field';
  } else if (e.keyword === 'enum') {
    message = `must be one of ${(params['allowedValues'] as unknown[]).map(String).join(' | ')}`;
  } else if (e.keyword === 'oneOf' && fieldPath.at(-1) === 'code') {
    message = 'must be an integer 0..255 or a "0xNN" string';
  }
  const field = fieldPath.length === 0 ? undefined : fieldText(fieldPath);
  if (index === undefined) {
    problems.top(field, message);
  } else if (listKey === 'registers') {
    problems.register(list[index], index, field, message);
  } else {
    problems.command(list[index], index, field, message);
  }
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** ["flags", "3", "bit"] → `flags[3].bit` */
function fieldText(path: readonly string[]): string {
  return path.reduce((acc, seg) => {
    if (/^\d+$/.test(seg)) return `${acc}[${seg}]`;
    return acc === '' ? seg : `${acc}.${seg}`;
  }, '');
}
