/**
 * Checks on one GET payload that need no schema: the identity rules of DSP0266 (`@odata.id` is
 * the URI it was fetched at, `Id` is its last segment) and the action target form
 * (`<resource URI>/Actions/<Schema>.<Action>`), plus the links it holds, for the walker.
 */

export type CheckKind =
  | 'status'
  | 'content-type'
  | 'json'
  | 'ETag'
  | 'OData-Version'
  | 'odata.id'
  | 'Id'
  | 'Actions'
  | 'schema';

export interface Issue {
  readonly uri: string;
  readonly check: CheckKind;
  readonly message: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const SERVICE_ROOT = '/redfish/v1';
/**
 * The one exception to "Id is the last URI segment": the service root's Id is `RootService`
 * (DMTF's own mockups and most services use it; `v1` would be the segment). Exactly that value,
 * at exactly that URI, nothing else.
 */
export const SERVICE_ROOT_ID = 'RootService';

export function checkIdentity(uri: string, payload: Obj): Issue[] {
  const out: Issue[] = [];
  const id = payload['@odata.id'];
  if (id !== uri) {
    out.push({
      uri,
      check: 'odata.id',
      message: `@odata.id is ${JSON.stringify(id)}, fetched at ${uri}`,
    });
  }
  if ('Id' in payload) {
    const root = uri === SERVICE_ROOT;
    const want = root ? SERVICE_ROOT_ID : decodeURIComponent(uri.split('/').pop() ?? '');
    if (payload.Id !== want) {
      out.push({
        uri,
        check: 'Id',
        message: root
          ? `Id is ${JSON.stringify(payload.Id)}, the service root's Id is "${SERVICE_ROOT_ID}"`
          : `Id is ${JSON.stringify(payload.Id)}, last URI segment is "${want}"`,
      });
    }
  }
  return out;
}

/**
 * Every action under `Actions` (and `Actions.Oem`) anywhere in the payload: its `target` must be
 * `<URI of the object holding Actions>/Actions/<name>` (`/Actions/Oem/<name>` for OEM actions).
 */
export function checkActions(uri: string, payload: Obj): Issue[] {
  const out: Issue[] = [];
  // The payload's own actions are judged against the URI fetched (a wrong @odata.id is
  // reported once, by checkIdentity); nested objects against their own @odata.id.
  const visit = (node: unknown, owner: string, top: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, owner, false));
    if (!isObj(node)) return;
    const id = node['@odata.id'];
    const self = !top && typeof id === 'string' ? id.split('#')[0]! : owner;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Actions' && isObj(v)) checkActionSet(v, `${self}/Actions/`, uri, out);
      else visit(v, self, false);
    }
  };
  visit(payload, uri, true);
  return out;
}

function checkActionSet(actions: Obj, base: string, uri: string, out: Issue[]): void {
  for (const [key, action] of Object.entries(actions)) {
    if (key === 'Oem' && isObj(action)) {
      checkActionSet(action, `${base}Oem/`, uri, out);
      continue;
    }
    if (!key.startsWith('#')) continue;
    const target = isObj(action) ? action.target : undefined;
    const want = `${base}${key.slice(1)}`;
    if (typeof target !== 'string') {
      out.push({ uri, check: 'Actions', message: `${key} has no target` });
    } else if (pathOf(target) !== want) {
      out.push({ uri, check: 'Actions', message: `${key} target is ${target}, want ${want}` });
    }
  }
}

function pathOf(target: string): string {
  try {
    return new URL(target, 'http://x').pathname;
  } catch {
    return target;
  }
}

/**
 * URIs this payload links to: every `@odata.id` (fragments dropped) and `@Redfish.ActionInfo`,
 * under /redfish/v1, except the payload itself. `Members` come back separately so the walker can
 * bound large collections.
 */
export function linksOf(uri: string, payload: Obj): { links: string[]; members: string[] } {
  const links = new Set<string>();
  const members: string[] = [];
  const add = (into: (u: string) => void, value: unknown): void => {
    if (typeof value !== 'string') return;
    const path = value.split('#')[0]!;
    if (path.startsWith(`${SERVICE_ROOT}/`) || path === SERVICE_ROOT) into(path);
  };
  const visit = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, false));
    if (!isObj(node)) return;
    for (const [k, v] of Object.entries(node)) {
      if (top && k === '@odata.id') continue; // its identity, not a link (checkIdentity)
      if (k === '@odata.id' || k.endsWith('@Redfish.ActionInfo')) add((u) => links.add(u), v);
      else if (top && k === 'Members' && Array.isArray(v)) {
        for (const m of v) add((u) => members.push(u), isObj(m) ? m['@odata.id'] : undefined);
      } else visit(v, false);
    }
  };
  visit(payload, true);
  links.delete(uri);
  return { links: [...links], members };
}
