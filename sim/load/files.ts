/**
 * Data files named by load specs. `$SHARED/...` points into the shared data folder that lives
 * outside the repository (real traces we may not commit); anything else is relative to the
 * scenario file, so a scenario and its own data move together.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Orv3Error, ErrorCode } from '../../src/errors.js';

export const SHARED_PREFIX = '$SHARED/';

export function resolveDataPath(file: string, baseDir: string, sharedDir: string): string {
  if (file.startsWith(SHARED_PREFIX)) return resolve(sharedDir, file.slice(SHARED_PREFIX.length));
  return isAbsolute(file) ? file : resolve(baseDir, file);
}

export function readDataFile(resolvedPath: string, fieldPath: string): string {
  try {
    return readFileSync(resolvedPath, 'utf8');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new Orv3Error(
      ErrorCode.FileUnreadable,
      `${fieldPath}: cannot read ${resolvedPath} (${reason})`,
      { field: fieldPath, path: resolvedPath },
    );
  }
}

export interface CsvTable {
  /** Lower-cased header names, or null when the first row is data. */
  header: string[] | null;
  rows: string[][];
  /** 1-based line number of each row, for error messages. */
  lines: number[];
}

/**
 * Plain comma-separated values without quoting (all our data is numbers and timestamps).
 * Blank lines and lines starting with '#' are skipped; the first row is a header when
 * `isHeader` says so.
 */
export function parseCsv(text: string, isHeader: (cells: string[]) => boolean): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  let header: string[] | null = null;
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (header === null && rows.length === 0 && isHeader(cells)) {
      header = cells.map((c) => c.toLowerCase());
      continue;
    }
    rows.push(cells);
    lines.push(i + 1);
  }
  return { header, rows, lines };
}

export function isNumeric(cell: string): boolean {
  return cell !== '' && Number.isFinite(Number(cell));
}

/** Column index for a header name or a 0-based index; -1 when absent. */
export function columnIndex(table: CsvTable, ref: string | number): number {
  if (typeof ref === 'number') return ref;
  return table.header === null ? -1 : table.header.indexOf(ref.toLowerCase());
}

export function csvError(
  fieldPath: string,
  path: string,
  line: number,
  message: string,
): Orv3Error {
  return new Orv3Error(ErrorCode.ScenarioInvalid, `${fieldPath}: ${path}:${line}: ${message}`, {
    field: fieldPath,
    path,
    line,
  });
}
