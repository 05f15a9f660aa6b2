/**
 * Service-level checks beside the tree walk: what must answer without credentials (service
 * root, `/redfish/v1/odata`, `$metadata` with a CSDL reference for every schema namespace
 * served) and what must not (a protected resource → 401 with a Redfish error body whose code is
 * a message of the Base registry).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonOf, type RedfishClient } from './http.js';
import { parseODataType } from './odata-type.js';
import type { Issue } from './payload-checks.js';
import type { RedfishSchemaValidator } from './schema-validator.js';

export interface ServiceCheck {
  readonly name: string;
  readonly issues: Issue[];
  /** Facts for the report (not failures): counts, advisory observations. */
  readonly notes: string[];
}

const fail = (uri: string, message: string): Issue => ({ uri, check: 'status', message });

/** Namespaces (`PowerSupply`, `PowerSupply.v1_6_0`) the payloads' @odata.type values use. */
export function servedNamespaces(tree: ReadonlyMap<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const p of tree.values()) {
    const t = parseODataType((p as Record<string, unknown> | null)?.['@odata.type']);
    if (!t) continue;
    out.add(t.namespace);
    out.add(t.qualifiedNamespace);
  }
  return out;
}

/** `edmx:Include Namespace` values of a CSDL $metadata document. */
export function includedNamespaces(xml: string): Set<string> {
  const out = new Set<string>();
  for (const ref of xml.matchAll(/<edmx:Reference\b[^>]*>([\s\S]*?)<\/edmx:Reference>/g)) {
    for (const inc of ref[1]!.matchAll(/<edmx:Include\b[^>]*\bNamespace="([^"]+)"/g))
      out.add(inc[1]!);
  }
  return out;
}

export async function checkMetadata(
  client: RedfishClient,
  tree: ReadonlyMap<string, unknown>,
): Promise<ServiceCheck> {
  const uri = '/redfish/v1/$metadata';
  const issues: Issue[] = [];
  const r = await client.get(uri, { anonymous: true, headers: { accept: 'application/xml' } });
  if (r.status !== 200)
    return {
      name: '$metadata',
      issues: [fail(uri, `anonymous GET returned HTTP ${r.status}`)],
      notes: [],
    };
  if (!String(r.headers['content-type'] ?? '').startsWith('application/xml')) {
    issues.push({
      uri,
      check: 'content-type',
      message: `Content-Type is ${JSON.stringify(r.headers['content-type'] ?? null)}`,
    });
  }
  if (!/<edmx:Edmx\b[^>]*Version="4\.0"/.test(r.text))
    issues.push(fail(uri, 'not an edmx:Edmx Version="4.0" document'));
  const included = includedNamespaces(r.text);
  const missing = [...servedNamespaces(tree)].filter((ns) => !included.has(ns)).sort();
  for (const ns of missing) issues.push(fail(uri, `no edmx:Reference includes namespace ${ns}`));
  return { name: '$metadata', issues, notes: [`${included.size} namespaces referenced`] };
}

export async function checkServiceDocument(
  client: RedfishClient,
  tree: ReadonlyMap<string, unknown>,
): Promise<ServiceCheck> {
  const uri = '/redfish/v1/odata';
  const r = await client.get(uri, { anonymous: true });
  if (r.status !== 200)
    return {
      name: 'odata',
      issues: [fail(uri, `anonymous GET returned HTTP ${r.status}`)],
      notes: [],
    };
  const issues: Issue[] = [];
  const doc = jsonOf(r) as { '@odata.context'?: unknown; value?: unknown } | null;
  if (doc?.['@odata.context'] !== '/redfish/v1/$metadata') {
    issues.push(
      fail(
        uri,
        `@odata.context is ${JSON.stringify(doc?.['@odata.context'])}, want "/redfish/v1/$metadata"`,
      ),
    );
  }
  const value = Array.isArray(doc?.value) ? (doc.value as Record<string, unknown>[]) : null;
  if (!value) issues.push(fail(uri, 'no "value" array'));
  for (const v of value ?? []) {
    // DMTF's own service documents list the root as "/redfish/v1/".
    const url = typeof v.url === 'string' && v.url.length > 1 ? v.url.replace(/\/$/, '') : v.url;
    if (typeof url !== 'string' || !tree.has(url)) {
      issues.push(
        fail(
          uri,
          `entry ${JSON.stringify(v.name)} url ${JSON.stringify(v.url)} is not a walked resource`,
        ),
      );
    }
  }
  const root = await client.get('/redfish/v1', { anonymous: true });
  if (root.status !== 200)
    issues.push(fail('/redfish/v1', `anonymous GET returned HTTP ${root.status}`));
  return { name: 'odata', issues, notes: [`${value?.length ?? 0} service document entries`] };
}

/** Base registry MessageIds (`Base.1.22.NoValidSession`) from the registries directory. */
export function baseMessageIds(registriesDir: string): Set<string> | null {
  if (!existsSync(registriesDir)) return null;
  const file = readdirSync(registriesDir).find((f) => /^Base\.\d+\.\d+\.\d+\.json$/.test(f));
  if (!file) return null;
  const reg = JSON.parse(readFileSync(join(registriesDir, file), 'utf8')) as {
    RegistryPrefix: string;
    RegistryVersion: string;
    Messages: Record<string, unknown>;
  };
  const [major, minor] = reg.RegistryVersion.split('.');
  return new Set(
    Object.keys(reg.Messages).map((m) => `${reg.RegistryPrefix}.${major}.${minor}.${m}`),
  );
}

/** MessageId `Base.1.22.NoValidSession` (or with errata) → `Base.1.22.NoValidSession`. */
function majorMinorId(id: string): string {
  const m = /^([A-Za-z]+)\.(\d+)\.(\d+)(?:\.\d+)?\.([A-Za-z0-9]+)$/.exec(id);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${m[4]}` : id;
}

export async function checkUnauthenticated(
  client: RedfishClient,
  uri: string,
  validator: RedfishSchemaValidator | null,
  baseIds: ReadonlySet<string> | null,
): Promise<ServiceCheck> {
  const issues: Issue[] = [];
  const notes: string[] = [];
  const r = await client.get(uri, { anonymous: true });
  if (r.status !== 401) issues.push(fail(uri, `anonymous GET returned HTTP ${r.status}, want 401`));
  const body = jsonOf(r) as { error?: Record<string, unknown> } | null;
  const e = body?.error;
  if (typeof e?.code !== 'string') issues.push(fail(uri, 'error body has no error.code'));
  if (typeof e?.message !== 'string') issues.push(fail(uri, 'error body has no error.message'));
  const info = e?.['@Message.ExtendedInfo'];
  if (!Array.isArray(info) || info.length === 0)
    issues.push(fail(uri, 'error body has no @Message.ExtendedInfo entries'));
  if (validator && body) {
    for (const msg of validator.validateErrorBody(body).errors)
      issues.push({ uri, check: 'schema', message: `error body: ${msg}` });
  }
  if (
    baseIds &&
    typeof e?.code === 'string' &&
    e.code.startsWith('Base.') &&
    !baseIds.has(majorMinorId(e.code))
  ) {
    issues.push(fail(uri, `error.code ${e.code} is not a Base registry message`));
  }
  if (!r.headers['www-authenticate'])
    notes.push('401 carries no WWW-Authenticate header (DSP0266 asks for it with Basic auth)');
  return { name: 'unauthenticated', issues, notes };
}
