/**
 * Request traces in the Azure LLM inference format (TIMESTAMP,ContextTokens,GeneratedTokens;
 * Azure public dataset 2023, CC-BY 4.0). TIMESTAMP is either a date-time
 * (`2023-11-16 18:15:46.6805900`, taken as UTC) or plain seconds.
 */
import { csvError, isNumeric, parseCsv } from './files.js';

export interface RequestTrace {
  /** Seconds after the earliest request, ascending. */
  arrivalS: Float64Array;
  contextTokens: Float64Array;
  generatedTokens: Float64Array;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)Z?$/;

/**
 * [day, secondOfDay]. Kept apart because epoch seconds (≈1.7e9) would lose the sub-µs digits
 * of the trace when differences are taken.
 */
export function parseTimestamp(cell: string): [number, number] | null {
  if (isNumeric(cell)) return [0, Number(cell)];
  const m = DATE_TIME.exec(cell);
  if (m === null) return null;
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
  return [day, Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6])];
}

export function parseRequestTrace(text: string, path: string, fieldPath: string): RequestTrace {
  const table = parseCsv(text, (cells) => parseTimestamp(cells[0] ?? '') === null);
  const h = table.header;
  const col = (name: string, fallback: number): number => {
    const i = h === null ? -1 : h.indexOf(name.toLowerCase());
    return i >= 0 ? i : fallback;
  };
  const tCol = col('TIMESTAMP', 0);
  const cCol = col('ContextTokens', 1);
  const gCol = col('GeneratedTokens', 2);
  const n = table.rows.length;
  if (n === 0) throw csvError(fieldPath, path, 1, 'no requests');
  const days = new Float64Array(n);
  const secs = new Float64Array(n);
  const ctx = new Float64Array(n);
  const gen = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = table.rows[i]!;
    const line = table.lines[i]!;
    const ts = parseTimestamp(row[tCol] ?? '');
    if (ts === null)
      throw csvError(fieldPath, path, line, `bad TIMESTAMP ${JSON.stringify(row[tCol])}`);
    [days[i], secs[i]] = ts;
    ctx[i] = tokens(row[cCol], 'ContextTokens', fieldPath, path, line);
    gen[i] = tokens(row[gCol], 'GeneratedTokens', fieldPath, path, line);
  }
  let d0 = Infinity;
  let s0 = Infinity;
  for (let i = 0; i < n; i++) {
    if (days[i]! < d0 || (days[i] === d0 && secs[i]! < s0)) {
      d0 = days[i]!;
      s0 = secs[i]!;
    }
  }
  const rel = new Float64Array(n);
  for (let i = 0; i < n; i++) rel[i] = (days[i]! - d0) * 86_400 + (secs[i]! - s0);
  // The published traces are sorted; a hand-made one need not be. Stable by time.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rel[a]! - rel[b]! || a - b);
  return {
    arrivalS: Float64Array.from(order, (i) => rel[i]!),
    contextTokens: Float64Array.from(order, (i) => ctx[i]!),
    generatedTokens: Float64Array.from(order, (i) => gen[i]!),
  };
}

function tokens(
  cell: string | undefined,
  name: string,
  field: string,
  path: string,
  line: number,
): number {
  const v = Number(cell ?? '');
  if (!isNumeric(cell ?? '') || !Number.isInteger(v) || v < 0) {
    throw csvError(field, path, line, `${name} ${JSON.stringify(cell)} is not an integer >= 0`);
  }
  return v;
}
