/**
 * Walks a Redfish service from /redfish/v1, GET only, following every link (`@odata.id`
 * anywhere in a payload — Members, Links, nested objects — and `@Redfish.ActionInfo`), and
 * checks each response: status 200, JSON, ETag and OData-Version headers, identity
 * (payload-checks) and the DMTF schema of its `@odata.type`. Bounded in resources, members per
 * collection and time per request; `@odata.nextLink` pages and SSE streams are never fetched.
 */
import { RedfishClient, jsonOf, type ClientOptions, type Credentials } from './http.js';
import {
  SERVICE_ROOT,
  checkActions,
  checkIdentity,
  linksOf,
  type Issue,
} from './payload-checks.js';
import type { RedfishSchemaValidator } from './schema-validator.js';

export interface WalkOptions extends ClientOptions {
  readonly credentials: Credentials;
  /** null: no schema checks (the bundle is absent); the walk and other checks still run. */
  readonly validator: RedfishSchemaValidator | null;
  readonly maxResources?: number;
  readonly maxMembersPerCollection?: number;
  /** Parallel GETs; never more than the client's sockets. */
  readonly concurrency?: number;
  /** Delete the session the walk logged in with (default true). */
  readonly logout?: boolean;
}

export type Payload = Record<string, unknown>;

const SESSIONS = '/redfish/v1/SessionService/Sessions';

export interface WalkResult {
  /** URI → payload of every resource fetched with status 200 and a JSON object body. */
  readonly tree: Map<string, Payload>;
  readonly issues: Issue[];
  /** Payloads given to the schema validator. */
  readonly validated: number;
  /** `uri: note` lines: errata substitutions, truncated collections, unchecked OEM types. */
  readonly notes: string[];
  /** Links not followed because a bound was reached. */
  readonly skipped: number;
}

export async function walk(o: WalkOptions): Promise<WalkResult> {
  const maxResources = o.maxResources ?? 2000;
  const maxMembers = o.maxMembersPerCollection ?? 200;
  const client = new RedfishClient({ ...o, maxSockets: o.maxSockets ?? o.concurrency ?? 4 });
  const result = {
    tree: new Map<string, Payload>(),
    issues: [] as Issue[],
    validated: 0,
    notes: [] as string[],
    skipped: 0,
  };
  const seen = new Set<string>([SERVICE_ROOT]);
  const queue: string[] = [SERVICE_ROOT];
  const enqueue = (uri: string): void => {
    if (seen.has(uri)) return;
    if (seen.size >= maxResources) {
      result.skipped++;
      return;
    }
    seen.add(uri);
    queue.push(uri);
  };
  try {
    try {
      await client.authenticate(o.credentials);
    } catch (e) {
      if (o.credentials.kind !== 'session') throw e;
      // Still walk (with Basic) so one missing feature does not hide every other finding.
      result.issues.push({
        uri: SESSIONS,
        check: 'status',
        message: `${(e as Error).message}; walked with Basic auth instead`,
      });
      await client.authenticate({ ...o.credentials, kind: 'basic' });
    }
    const visit = async (uri: string): Promise<void> => {
      const payload = await fetchOne(client, uri, o.validator, result);
      if (!payload) return;
      const { links, members } = linksOf(uri, payload);
      links.forEach(enqueue);
      if (members.length > maxMembers) {
        result.notes.push(`${uri}: ${members.length} members, walked the first ${maxMembers}`);
        result.skipped += members.length - maxMembers;
      }
      members.slice(0, maxMembers).forEach(enqueue);
      if (typeof payload['Members@odata.nextLink'] === 'string') {
        result.notes.push(`${uri}: paged (Members@odata.nextLink), later pages not walked`);
      }
    };
    // A fixed pool of workers over a growing queue; a worker that finds the queue empty waits
    // for the others, which may still add links.
    let active = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        while (active < (o.concurrency ?? 4) && queue.length > 0) {
          const uri = queue.shift()!;
          active++;
          visit(uri)
            .then(() => {
              active--;
              if (queue.length === 0 && active === 0) resolve();
              else pump();
            })
            .catch(reject);
        }
      };
      pump();
    });
  } finally {
    if (o.logout !== false) await client.logout().catch(() => undefined);
    client.close();
  }
  return result;
}

async function fetchOne(
  client: RedfishClient,
  uri: string,
  validator: RedfishSchemaValidator | null,
  result: { tree: Map<string, Payload>; issues: Issue[]; validated: number; notes: string[] },
): Promise<Payload | null> {
  const issue = (check: Issue['check'], message: string): void =>
    void result.issues.push({ uri, check, message });
  let r;
  try {
    r = await client.get(uri);
  } catch (e) {
    issue('status', `GET failed: ${(e as Error).message}`);
    return null;
  }
  if (r.status !== 200) {
    issue('status', `GET returned HTTP ${r.status}`);
    return null;
  }
  if (!String(r.headers['content-type'] ?? '').startsWith('application/json')) {
    issue('content-type', `Content-Type is ${JSON.stringify(r.headers['content-type'] ?? null)}`);
  }
  if (!r.headers.etag) issue('ETag', 'no ETag header');
  if (r.headers['odata-version'] !== '4.0') {
    issue(
      'OData-Version',
      `OData-Version header is ${JSON.stringify(r.headers['odata-version'] ?? null)}`,
    );
  }
  const payload = jsonOf(r);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    issue('json', 'body is not a JSON object');
    return null;
  }
  const p = payload as Payload;
  result.tree.set(uri, p);
  result.issues.push(...checkIdentity(uri, p), ...checkActions(uri, p));
  if (validator) {
    result.validated++;
    try {
      const v = validator.validate(p);
      for (const e of v.errors) issue('schema', `${v.schema ?? '(no schema)'}: ${e}`);
      for (const n of v.notes) result.notes.push(`${uri}: ${n}`);
    } catch (e) {
      // A schema the validator cannot compile is a tool problem; it must not end the walk.
      issue('schema', `validator failed: ${(e as Error).message}`);
    }
  }
  return p;
}
