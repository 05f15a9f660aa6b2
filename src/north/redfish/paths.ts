import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `../shared/redfish` beside the repository (env ORV3GW_SHARED_DIR overrides the shared
 * folder): the DMTF registries and schemas are read from there, never copied into the repo.
 */
export function defaultRedfishDir(): string {
  const fromEnv = process.env['ORV3GW_SHARED_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv, 'redfish');
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(dir, '..', 'shared', 'redfish');
}

export const defaultRegistryDir = (): string => join(defaultRedfishDir(), 'registries');
