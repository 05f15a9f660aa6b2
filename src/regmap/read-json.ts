import { readFileSync } from 'node:fs';
import { ErrorCode, Orv3Error } from '../errors.js';
import { displayPath } from './paths.js';
import { mapInvalid } from './problems.js';

/** Reads a map file: unreadable → FileUnreadable; not JSON → RegisterMapInvalid. */
export function readJsonFile(path: string): { data: unknown; file: string } {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Orv3Error(ErrorCode.FileUnreadable, `${file}: cannot read: ${errorText(e)}`, {
      file,
    });
  }
  try {
    return { data: JSON.parse(text) as unknown, file };
  } catch (e) {
    throw mapInvalid(file, [{ file, message: `not valid JSON: ${errorText(e)}` }]);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
