import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared data folder (real traces, reference files) that sits beside the repository:
 * env ORV3GW_SHARED_DIR, else `<repo root>/../shared`. The root is found by walking up to
 * package.json, so this works from sources and from dist/ alike.
 */
export function defaultSharedDir(): string {
  const fromEnv = process.env['ORV3GW_SHARED_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(dir, '..', 'shared');
}
