/**
 * Where the DMTF and OCP files live. They are not part of the repo (DESIGN §7): by default
 * `../shared/redfish/...` beside the repo, or under ORV3GW_SHARED_DIR when set (the CI layout),
 * and every entry point takes an explicit path option as well.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_DIR = process.env.ORV3GW_SHARED_DIR ?? resolve(REPO, '../shared');
export const SCHEMA_DIR = resolve(SHARED_DIR, 'redfish/json-schema');
export const PROFILE_DIR = resolve(SHARED_DIR, 'redfish/profiles');
export const POWER_SHELF_PROFILE = resolve(PROFILE_DIR, 'OCPPowerShelfManagement.v1_0_0.json');

export const SCHEMAS_PRESENT = existsSync(SCHEMA_DIR);
export const PROFILES_PRESENT = existsSync(POWER_SHELF_PROFILE);
