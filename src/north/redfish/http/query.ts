/**
 * The query parameters this service declares in ProtocolFeaturesSupported, and only those:
 * `only`, `$select`, `$expand` (`*`, `.`, `~`, with `$levels` up to MAX_EXPAND_LEVELS). Any
 * other `$…` parameter (and `excerpt`) is refused with 501; other unknown parameters are
 * ignored, as DSP0266 asks.
 */
import { createHash } from 'node:crypto';
import { httpError, RedfishError } from './errors.js';
import type { Json, JsonObject } from './route.js';

export const MAX_EXPAND_LEVELS = 3;

export interface ExpandSpec {
  /** `*` everything, `.` not under Links, `~` only under Links. */
  readonly kind: '*' | '.' | '~';
  readonly levels: number;
}

export interface QueryOptions {
  readonly only: boolean;
  readonly select: readonly string[][] | undefined;
  readonly expand: ExpandSpec | undefined;
}

const SUPPORTED = new Set(['only', '$select', '$expand']);
const RESERVED_UNSUPPORTED = new Set(['excerpt']);

export function parseQuery(q: URLSearchParams, method: string): QueryOptions {
  let only = false;
  let select: string[][] | undefined;
  let expand: ExpandSpec | undefined;
  for (const [k, v] of q) {
    if (!SUPPORTED.has(k)) {
      if (k.startsWith('$') || RESERVED_UNSUPPORTED.has(k))
        throw httpError(501, 'Base.QueryParameterUnsupported', k);
      continue;
    }
    if (method !== 'GET' && method !== 'HEAD')
      throw httpError(400, 'Base.QueryNotSupportedOnOperation');
    if (k === 'only') {
      if (v !== '') throw httpError(400, 'Base.QueryParameterValueFormatError', v, 'only');
      only = true;
    } else if (k === '$select') {
      const paths = v.split(',').map((p) => p.trim());
      if (paths.some((p) => !/^[A-Za-z@#][\w@#.]*(\/[A-Za-z@#][\w@#.]*)*$/.test(p)))
        throw httpError(400, 'Base.QueryParameterValueFormatError', v, '$select');
      select = paths.map((p) => p.split('/'));
    } else {
      expand = parseExpand(v);
    }
  }
  if (only && (select || expand)) throw httpError(400, 'Base.QueryCombinationInvalid');
  return { only, select, expand };
}

function parseExpand(v: string): ExpandSpec {
  const m = /^([*.~])(?:\(\$levels=(\d+)\))?$/.exec(v);
  if (!m) throw httpError(400, 'Base.QueryParameterValueFormatError', v, '$expand');
  const levels = m[2] === undefined ? 1 : Number(m[2]);
  if (levels < 1 || levels > MAX_EXPAND_LEVELS)
    throw httpError(
      400,
      'Base.QueryParameterOutOfRange',
      String(levels),
      '$levels',
      `1-${MAX_EXPAND_LEVELS}`,
    );
  return { kind: m[1] as ExpandSpec['kind'], levels };
}

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A navigation reference: an object whose only property is `@odata.id`. */
const refOf = (v: Json): string | undefined => {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === '@odata.id' && typeof v['@odata.id'] === 'string'
    ? v['@odata.id']
    : undefined;
};

/** Replaces navigation references by the resources they name, per the expand spec. */
export async function expandPayload(
  body: JsonObject,
  spec: ExpandSpec,
  fetch: (uri: string) => Promise<JsonObject | undefined>,
): Promise<JsonObject> {
  const self = body['@odata.id'];
  const seen = new Set<string>(typeof self === 'string' ? [self] : []);
  const walk = async (v: Json, inLinks: boolean, level: number): Promise<Json> => {
    if (Array.isArray(v)) {
      const out: Json[] = [];
      for (const x of v) out.push(await walk(x, inLinks, level));
      return out;
    }
    if (!isObject(v)) return v;
    const ref = refOf(v);
    if (ref !== undefined) {
      const wanted = spec.kind === '*' || (spec.kind === '.' ? !inLinks : inLinks);
      if (!wanted || seen.has(ref)) return v;
      const got = await fetch(ref);
      if (!got) return v;
      return level < spec.levels ? walk(got, false, level + 1) : got;
    }
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = await walk(x, inLinks || k === 'Links', level);
    return out;
  };
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(body)) out[k] = await walk(x, k === 'Links', 1);
  return out;
}

/** Keeps the selected properties (and the `@odata.*` annotations) of a payload. */
export function selectPayload(body: JsonObject, paths: readonly string[][]): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(body)) if (k.startsWith('@odata.')) out[k] = body[k]!;
  for (const p of paths) {
    let src: Json | undefined = body;
    let dst: JsonObject = out;
    for (let i = 0; i < p.length; i++) {
      if (!isObject(src)) break;
      const key = p[i]!;
      const next: Json | undefined = src[key];
      if (next === undefined) break;
      if (i === p.length - 1) dst[key] = next;
      else {
        if (!isObject(dst[key])) dst[key] = {};
        dst = dst[key] as JsonObject;
      }
      src = next;
    }
  }
  return out;
}

/** The single member of a collection, for `only`; undefined when it has not exactly one. */
export function onlyMember(body: JsonObject): string | undefined | RedfishError {
  const members = body['Members'];
  if (!Array.isArray(members)) return httpError(400, 'Base.QueryNotSupportedOnResource');
  return members.length === 1 ? refOf(members[0]!) : undefined;
}

/** Weak ETag of a serialised payload. */
export const etagOf = (json: string): string =>
  `W/"${createHash('sha1').update(json).digest('base64url').slice(0, 20)}"`;

/** If-Match / If-None-Match: does the header list name this ETag (or `*`)? */
export function etagMatches(header: string, etag: string): boolean {
  const strip = (t: string): string => t.trim().replace(/^W\//, '');
  const want = strip(etag);
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === want);
}
