import type { ModbusMapJson, RegisterJson } from './schema.js';
import type { ProblemList } from './problems.js';
import { rawRange } from './words.js';

/**
 * Semantic rules the JSON Schema cannot express. Runs only on schema-valid input, reports every
 * problem it finds (never stops at the first), and names the register and field each time.
 */
export function lintModbusMap(doc: ModbusMapJson, problems: ProblemList): void {
  doc.registers.forEach((r, i) => lintRegister(r, i, problems));
  lintLayout(doc, problems);
  lintAddressRanges(doc, problems);
  lintProbeAndTimeSync(doc, problems);
}

const NUMERIC = new Set(['INTEGER', 'LONG', 'FLOAT']);

function lintRegister(r: RegisterJson, i: number, problems: ProblemList): void {
  const say = (field: string, message: string): void => problems.register(r, i, field, message);
  const width = r.length * 16;
  const numeric = NUMERIC.has(r.format);

  if (r.begin + r.length > 0x10000) say('length', 'register runs past word address 65535');
  if (r.endian === 'L' && !numeric) say('endian', 'only INTEGER, LONG and FLOAT have an endian');
  if (r.signed !== undefined && !numeric) {
    say('signed', 'only INTEGER, LONG and FLOAT can be signed');
  }
  if (r.format !== 'FLOAT') {
    if (r.precision !== undefined) say('precision', 'only FLOAT registers have a precision');
    if (r.scale !== undefined) say('scale', 'only FLOAT registers have a scale');
    if (r.shift !== undefined) say('shift', 'only FLOAT registers have a shift');
  }
  if (r.format !== 'FLAGS' && r.flags !== undefined)
    say('flags', 'only FLAGS registers have flags');

  switch (r.format) {
    case 'FLOAT':
      if (r.precision === undefined) say('precision', 'FLOAT registers need a precision');
      else if (r.precision > width) {
        say('precision', `${r.precision} fractional bits exceed the ${width}-bit register`);
      }
      if (r.length > 4) say('length', 'FLOAT registers are 1..4 words');
      if (r.scale === 0) say('scale', 'must not be 0');
      break;
    case 'INTEGER':
      if (r.length > 4) say('length', 'INTEGER registers are 1..4 words (at most 64 bits)');
      break;
    case 'LONG':
      if (r.length < 2 || r.length > 4) say('length', 'LONG registers are 2..4 words');
      break;
    case 'FLAGS':
      if (r.length > 4) say('length', 'FLAGS registers are 1..4 words');
      lintFlags(r.flags ?? [], width, say);
      break;
    default:
      break;
  }
  lintBounds(r, numeric, say);
}

export function lintFlags(
  flags: readonly { bit: number; name: string }[],
  width: number,
  say: (field: string, message: string) => void,
): void {
  const byBit = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const f of flags) {
    if (f.bit >= width) say('flags', `bit ${f.bit} ("${f.name}") is beyond the ${width}-bit width`);
    const other = byBit.get(f.bit);
    if (other !== undefined) say('flags', `bit ${f.bit} defined twice ("${other}", "${f.name}")`);
    const otherBit = byName.get(f.name);
    if (otherBit !== undefined) {
      say('flags', `flag name "${f.name}" used twice (bits ${otherBit} and ${f.bit})`);
    }
    byBit.set(f.bit, f.name);
    byName.set(f.name, f.bit);
  }
}

function lintBounds(
  r: RegisterJson,
  numeric: boolean,
  say: (field: string, message: string) => void,
): void {
  if (r.min === undefined && r.max === undefined) return;
  if (!numeric) {
    say(r.min === undefined ? 'max' : 'min', 'only INTEGER, LONG and FLOAT registers have bounds');
    return;
  }
  if (r.min !== undefined && r.max !== undefined && r.min > r.max) {
    say('min', `min ${r.min} is greater than max ${r.max}`);
  }
  const range = representable(r);
  if (range === undefined) return;
  for (const key of ['min', 'max'] as const) {
    const v = r[key];
    if (v === undefined) continue;
    if (r.format !== 'FLOAT' && !Number.isInteger(v)) say(key, `${key} ${v} must be an integer`);
    if (v < range[0] || v > range[1]) {
      say(key, `${key} ${v} is outside the encodable range [${range[0]}, ${range[1]}]`);
    }
  }
}

function representable(r: RegisterJson): readonly [number, number] | undefined {
  if (r.length > 4) return undefined;
  const [lo, hi] = rawRange(r.length * 16, r.signed ?? false).map(Number) as [number, number];
  if (r.format !== 'FLOAT') return [lo, hi];
  if (r.precision === undefined || r.scale === 0) return undefined;
  const f = (raw: number): number => (raw / 2 ** r.precision!) * (r.scale ?? 1) + (r.shift ?? 0);
  return f(lo) <= f(hi) ? [f(lo), f(hi)] : [f(hi), f(lo)];
}

function lintLayout(doc: ModbusMapJson, problems: ProblemList): void {
  const firstByName = new Map<string, RegisterJson>();
  doc.registers.forEach((r, i) => {
    const first = firstByName.get(r.name);
    if (first === undefined) firstByName.set(r.name, r);
    else problems.register(r, i, 'name', `duplicate name (also at begin ${first.begin})`);
  });
  const order = doc.registers.map((r, i) => ({ r, i })).sort((a, b) => a.r.begin - b.r.begin);
  let reach: RegisterJson | undefined;
  for (const { r, i } of order) {
    if (reach !== undefined && r.begin < reach.begin + reach.length) {
      problems.register(
        r,
        i,
        'begin',
        `overlaps register "${reach.name}" (begin ${reach.begin}, length ${reach.length})`,
      );
    }
    if (reach === undefined || r.begin + r.length > reach.begin + reach.length) reach = r;
  }
}

function lintAddressRanges(doc: ModbusMapJson, problems: ProblemList): void {
  const ranges = doc.addressRanges;
  ranges.forEach(([lo, hi]) => {
    if (lo > hi) problems.top('addressRanges', `range [${lo}, ${hi}] is reversed`);
  });
  for (let a = 0; a < ranges.length; a++) {
    for (let b = a + 1; b < ranges.length; b++) {
      const [alo, ahi] = ranges[a]!;
      const [blo, bhi] = ranges[b]!;
      if (alo <= bhi && blo <= ahi) {
        problems.top('addressRanges', `range [${alo}, ${ahi}] overlaps [${blo}, ${bhi}]`);
      }
    }
  }
}

function lintProbeAndTimeSync(doc: ModbusMapJson, problems: ProblemList): void {
  // rackmon probes with a 1-word read at probe_register; the real maps point it at the first
  // word of a multi-word STRING, so the rule is "a register begins there", not "length 1".
  if (!doc.registers.some((r) => r.begin === doc.probeRegister)) {
    problems.top(
      'probeRegister',
      `no register begins at ${doc.probeRegister} (the probe is a 1-word read there)`,
    );
  }
  const ts = doc.timeSync;
  if (ts === undefined) return;
  const r = doc.registers.find((x) => x.begin === ts.register);
  if (r === undefined) {
    problems.top('timeSync', `no register begins at ${ts.register}`);
    return;
  }
  if (r.length !== ts.length) {
    problems.top('timeSync', `length ${ts.length} differs from "${r.name}" (${r.length} words)`);
  }
  if (r.format !== 'INTEGER' && r.format !== 'LONG') {
    problems.top('timeSync', `"${r.name}" is ${r.format}, not INTEGER/LONG`);
  }
  if (!r.writable) problems.top('timeSync', `"${r.name}" must be writable`);
}
