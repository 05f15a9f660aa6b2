/**
 * One conformance run against a live service: the walk, the profile check on the walked tree,
 * and the service-level checks. The vitest suite and the CLI both call this and differ only in
 * how they report.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RedfishClient, type ClientOptions, type Credentials } from './http.js';
import type { Issue } from './payload-checks.js';
import { checkProfiles, formatFinding, type ProfileReport } from './profile-checker.js';
import { loadProfiles } from './profile-loader.js';
import { RedfishSchemaValidator } from './schema-validator.js';
import {
  baseMessageIds,
  checkMetadata,
  checkServiceDocument,
  checkUnauthenticated,
  type ServiceCheck,
} from './service-checks.js';
import { walk, type WalkResult } from './walker.js';

export interface ConformanceOptions extends ClientOptions {
  readonly credentials: Credentials;
  /** DMTF schema bundle; null skips schema checks. */
  readonly schemaDir: string | null;
  /** A validator already loaded (tests share one: compiling schemas takes seconds). */
  readonly validator?: RedfishSchemaValidator | null;
  /** Profile file (its RequiredProfiles are followed); null skips the profile check. */
  readonly profile: string | null;
  readonly maxResources?: number;
  readonly maxMembersPerCollection?: number;
  /** The resource the 401 check asks for without credentials (default: /redfish/v1/Chassis or the first walked). */
  readonly protectedUri?: string;
}

export interface ConformanceReport {
  readonly walk: WalkResult;
  readonly profile: ProfileReport | null;
  readonly service: readonly ServiceCheck[];
  /** Missing schema files the bundle refers to (their parts are not checked). */
  readonly missingSchemaFiles: readonly string[];
}

export async function runConformance(o: ConformanceOptions): Promise<ConformanceReport> {
  const validator = o.validator ?? (o.schemaDir ? new RedfishSchemaValidator(o.schemaDir) : null);
  const w = await walk({ ...o, validator });
  const profile = o.profile ? checkProfiles(loadProfiles(o.profile), w.tree) : null;
  const client = new RedfishClient(o);
  const schemaDir = validator?.dir ?? o.schemaDir;
  const registries = schemaDir ? resolve(dirname(schemaDir), 'registries') : null;
  try {
    const protectedUri =
      o.protectedUri ??
      (w.tree.has('/redfish/v1/Chassis')
        ? '/redfish/v1/Chassis'
        : [...w.tree.keys()].find((u) => u !== '/redfish/v1'));
    const service = [
      await checkServiceDocument(client, w.tree),
      await checkMetadata(client, w.tree),
      await checkUnauthenticated(
        client,
        protectedUri ?? '/redfish/v1/Managers',
        validator,
        registries && existsSync(registries) ? baseMessageIds(registries) : null,
      ),
    ];
    return {
      walk: w,
      profile,
      service,
      missingSchemaFiles: validator ? [...validator.missingFiles] : [],
    };
  } finally {
    client.close();
  }
}

/** Every failure, one line each: walk issues by check, profile gaps, service checks. */
export function failures(r: ConformanceReport): string[] {
  const line = (i: Issue): string => `${i.check} ${i.uri}: ${i.message}`;
  return [
    ...r.walk.issues.map(line),
    ...(r.profile?.gaps.map(formatFinding) ?? []),
    ...r.service.flatMap((s) => s.issues.map(line)),
  ];
}

export function summary(r: ConformanceReport): string {
  const byCheck = new Map<string, number>();
  for (const i of r.walk.issues) byCheck.set(i.check, (byCheck.get(i.check) ?? 0) + 1);
  const lines = [
    `resources walked: ${r.walk.tree.size}, payloads validated: ${r.walk.validated}, links skipped by bounds: ${r.walk.skipped}`,
    `walk issues: ${r.walk.issues.length}${byCheck.size ? ` (${[...byCheck].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
  ];
  if (r.profile) {
    const unchecked = Object.entries(r.profile.unchecked)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(
      `profile: ${r.profile.instancesChecked} instances checked, ${r.profile.gaps.length} gaps, ` +
        `${r.profile.advisories.length} advisories${unchecked ? `; not checkable by GET: ${unchecked}` : ''}`,
    );
  } else lines.push('profile: not checked');
  for (const s of r.service) {
    lines.push(
      `${s.name}: ${s.issues.length ? `${s.issues.length} issues` : 'ok'}${s.notes.length ? ` (${s.notes.join('; ')})` : ''}`,
    );
  }
  if (r.missingSchemaFiles.length)
    lines.push(`schema files referenced but absent (not checked): ${r.missingSchemaFiles.length}`);
  return lines.join('\n');
}
