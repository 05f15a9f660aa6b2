import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, Orv3Error } from '../errors.js';

const MARKER = join('registers', 'schema', 'modbus-map.schema.json');

let cachedRoot: string | undefined;

/**
 * The project root (the folder holding `registers/`), found from this module's own location so
 * that the process cwd never matters. Walking up covers both `src/regmap` (tsx, vitest) and
 * `dist/src/regmap` (compiled).
 */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, MARKER))) {
      cachedRoot = dir;
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Orv3Error(
    ErrorCode.FileUnreadable,
    `regmap: cannot find ${MARKER} above ${fileURLToPath(import.meta.url)}`,
  );
}

export function registersDir(): string {
  return join(projectRoot(), 'registers');
}

/** Repository-relative for files inside the project (stable messages), absolute otherwise. */
export function displayPath(path: string): string {
  const abs = resolve(path);
  const rel = relative(projectRoot(), abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return abs;
  return rel.split('\\').join('/');
}
