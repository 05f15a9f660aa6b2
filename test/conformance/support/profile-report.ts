/**
 * What the profile checker reports, and how it finds the instances a requirement applies to.
 */
import { parseODataType } from './odata-type.js';

export interface Finding {
  /** `OCP Power Shelf Management 1.0.0` */
  readonly profile: string;
  /** The profile's resource name (a schema name), or `Protocol`. */
  readonly resource: string;
  readonly uri: string | null;
  /** `Location/Placement/Rack`, `Actions/#Manager.Reset`, or '' for the resource itself. */
  readonly path: string;
  readonly message: string;
}

export interface ProfileReport {
  /** Mandatory requirements not met: each one is a conformance failure. */
  readonly gaps: Finding[];
  /** Recommended items missing, Mandatory items present but null, values not verifiable. */
  readonly advisories: Finding[];
  /** Requirement kinds a GET cannot evaluate, e.g. `WriteRequirement: 37`. */
  readonly unchecked: Record<string, number>;
  readonly instancesChecked: number;
}

export type Tree = ReadonlyMap<string, unknown>;
export function formatFinding(f: Finding): string {
  const where = [f.resource, f.uri ?? '', f.path].filter((s) => s !== '').join(' ');
  return `[${f.profile}] ${where}: ${f.message}`;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Instances of a schema (by @odata.type namespace) whose URI matches one of `uris`, if given. */
export function instancesOf(tree: Tree, schema: string, uris?: readonly string[]): [string, Obj][] {
  const patterns = uris?.map(
    (u) => new RegExp(`^${u.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  );
  const out: [string, Obj][] = [];
  for (const [uri, payload] of tree) {
    if (!isObj(payload) || parseODataType(payload['@odata.type'])?.namespace !== schema) continue;
    if (patterns && !patterns.some((re) => re.test(uri))) continue;
    out.push([uri, payload]);
  }
  return out;
}
