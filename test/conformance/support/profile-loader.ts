/**
 * Loads a profile file and, transitively, the profiles its `RequiredProfiles` names, from the
 * same directory: `OCPServiceBaseline` with MinVersion 1.0.0 → the newest
 * `OCPServiceBaseline.vX_Y_Z.json` at or above 1.0.0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareVersions, parseVersion } from './odata-type.js';
import type { Profile, ProfileJson } from './profile-types.js';

const PROFILE_FILE_RE = /^(.+)\.v(\d+)_(\d+)_(\d+)\.json$/;

export function loadProfiles(file: string): Profile[] {
  const out: Profile[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    const json = JSON.parse(readFileSync(path, 'utf8')) as ProfileJson;
    const name = PROFILE_FILE_RE.exec(basename(path))?.[1] ?? json.ProfileName.replace(/\s+/g, '');
    if (seen.has(name)) return;
    seen.add(name);
    out.push({ name, file: path, json });
    for (const [required, want] of Object.entries(json.RequiredProfiles ?? {})) {
      visit(findProfile(dirname(path), required, want.MinVersion));
    }
  };
  visit(file);
  return out;
}

function findProfile(dir: string, name: string, minVersion: string | undefined): string {
  const min = minVersion ? (parseVersion(minVersion) ?? [0]) : [0];
  const candidates = readdirSync(dir)
    .map((f) => ({ f, m: PROFILE_FILE_RE.exec(f) }))
    .filter((x) => x.m?.[1] === name)
    .map((x) => ({ f: x.f, v: [Number(x.m![2]), Number(x.m![3]), Number(x.m![4])] }))
    .filter((x) => compareVersions(x.v, min) >= 0)
    .sort((a, b) => compareVersions(a.v, b.v));
  const best = candidates[candidates.length - 1];
  if (!best) {
    throw new Error(`required profile ${name} ≥ ${minVersion ?? 'any'} not found in ${dir}`);
  }
  return join(dir, best.f);
}
