import { directRange, LINEAR11_MAX, LINEAR11_MIN } from './codec-pmbus.js';
import { lintFlags } from './lint-modbus.js';
import type { ProblemList } from './problems.js';
import type { CommandJson, PmbusSetJson } from './schema.js';
import type { PmbusFormat, PmbusTransaction } from './types.js';

export type DataSize = 0 | 1 | 2 | 'block';

export const TRANSACTION_SIZE: Readonly<Record<PmbusTransaction, DataSize>> = {
  sendByte: 0,
  readByte: 1,
  writeByte: 1,
  readWord: 2,
  writeWord: 2,
  readBlock: 'block',
  writeBlock: 'block',
};

const FORMAT_SIZES: Readonly<Record<PmbusFormat, readonly DataSize[]>> = {
  NONE: [0],
  LINEAR11: [2],
  LINEAR16: [2],
  DIRECT: [2],
  VOUT_MODE: [1],
  FLAGS: [1, 2],
  STRING: ['block'],
  RAW: [1, 2, 'block'],
};

const SIZE_TEXT = (s: DataSize): string =>
  s === 0 ? 'send-byte' : s === 1 ? 'byte' : s === 2 ? 'word' : 'block';

/** Extension commands live in the PMBus MFR_SPECIFIC range. */
export const MFR_SPECIFIC_FIRST = 0xd0;
export const MFR_SPECIFIC_LAST = 0xfe;

export function parseCode(code: number | string): number {
  return typeof code === 'number' ? code : Number.parseInt(code.slice(2), 16);
}

/** Semantic rules for a schema-valid PMBus command set; reports every problem found. */
export function lintPmbusSet(doc: PmbusSetJson, problems: ProblemList): void {
  const byCode = new Map<number, string>();
  const byName = new Map<string, CommandJson>();
  doc.commands.forEach((c, i) => {
    const say = (field: string, message: string): void => problems.command(c, i, field, message);
    const code = parseCode(c.code);
    const codeOwner = byCode.get(code);
    if (codeOwner !== undefined) say('code', `duplicate code (also "${codeOwner}")`);
    byCode.set(code, c.name);
    if (byName.has(c.name)) say('name', 'duplicate name');
    else byName.set(c.name, c);

    if (c.extension !== doc.extension) say('extension', `must be ${doc.extension} like its set`);
    if (c.extension && (code < MFR_SPECIFIC_FIRST || code > MFR_SPECIFIC_LAST)) {
      say('code', 'extension commands must use MFR_SPECIFIC codes 0xD0..0xFE');
    }
    lintCommand(c, say);
  });
  doc.commands.forEach((c, i) => {
    if (c.expiry === undefined) return;
    const target = byName.get(c.expiry);
    const say = (message: string): void => problems.command(c, i, 'expiry', message);
    if (target === undefined) say(`no command "${c.expiry}" in this set`);
    else if (!target.transaction.some(isWrite) || target.unit !== 'ms') {
      say(`"${c.expiry}" must be a writable command in ms`);
    }
  });
}

const isWrite = (t: PmbusTransaction): boolean =>
  t === 'writeByte' || t === 'writeWord' || t === 'writeBlock';

function lintCommand(c: CommandJson, say: (field: string, message: string) => void): void {
  const sizes = [...new Set(c.transaction.map((t) => TRANSACTION_SIZE[t]))];
  if (sizes.length > 1) {
    say('transaction', `mixes data sizes (${c.transaction.join(', ')})`);
    return;
  }
  const size = sizes[0]!;
  if (!FORMAT_SIZES[c.format].includes(size)) {
    const want = FORMAT_SIZES[c.format].map(SIZE_TEXT).join(' or ');
    say('format', `${c.format} needs a ${want} transaction, not ${SIZE_TEXT(size)}`);
  }
  if (size === 'block' && c.maxLength === undefined) say('maxLength', 'block commands need one');
  if (size !== 'block' && c.maxLength !== undefined) say('maxLength', 'only block commands');
  if (c.format !== 'DIRECT' && c.direct !== undefined) say('direct', 'only DIRECT commands');
  if (c.direct !== undefined && c.direct.m === 0) say('direct', 'm must not be 0');
  if (c.format !== 'FLAGS' && c.flags !== undefined) say('flags', 'only FLAGS commands have flags');
  if (c.flags !== undefined && typeof size === 'number') lintFlags(c.flags, size * 8, say);
  const writable = c.transaction.some(isWrite);
  if (c.expiry !== undefined && !writable) say('expiry', 'only writable commands have a lease');
  lintBounds(c, size, writable, say);
}

function lintBounds(
  c: CommandJson,
  size: DataSize,
  writable: boolean,
  say: (field: string, message: string) => void,
): void {
  const numeric = ['LINEAR11', 'LINEAR16', 'DIRECT', 'RAW'].includes(c.format) && size !== 'block';
  for (const key of ['min', 'max'] as const) {
    if (c[key] !== undefined && (!numeric || !writable)) {
      say(key, 'only writable numeric commands have bounds');
    }
  }
  if (c.min !== undefined && c.max !== undefined && c.min > c.max) {
    say('min', `min ${c.min} is greater than max ${c.max}`);
  }
  const range = encodable(c, size);
  for (const key of ['min', 'max', 'default'] as const) {
    const v = c[key];
    if (v === undefined || range === undefined) continue;
    if (v < range[0] || v > range[1]) {
      say(key, `${key} ${v} is outside the encodable range [${range[0]}, ${range[1]}]`);
    }
  }
  const d = c.default;
  if (
    d !== undefined &&
    ((c.min !== undefined && d < c.min) || (c.max !== undefined && d > c.max))
  ) {
    say('default', `default ${d} is outside [${c.min ?? '-inf'}, ${c.max ?? 'inf'}]`);
  }
}

function encodable(c: CommandJson, size: DataSize): readonly [number, number] | undefined {
  switch (c.format) {
    case 'LINEAR11':
      return [LINEAR11_MIN, LINEAR11_MAX];
    case 'DIRECT':
      return c.direct === undefined || c.direct.m === 0 ? undefined : directRange(c.direct);
    case 'RAW':
    case 'FLAGS':
    case 'VOUT_MODE':
      return typeof size === 'number' && size > 0 ? [0, 2 ** (8 * size) - 1] : undefined;
    default:
      return undefined;
  }
}
