/**
 * The request pipeline over node:http(s): rate limit → route → method → OData-Version →
 * body size → authentication → privilege → body JSON → query → If-Match → handler →
 * only/$expand/$select → ETag/If-None-Match → response. Every error body comes from the
 * message registries through RedfishError.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize, type Method } from '../privileges.js';
import type { ServiceContext } from '../context.js';
import type { Principal } from '../auth/principal.js';
import { errorPayload, httpError, isRedfishError, RedfishError } from './errors.js';
import {
  etagMatches,
  etagOf,
  expandPayload,
  onlyMember,
  parseQuery,
  selectPayload,
  type QueryOptions,
} from './query.js';
import type { RateLimiter } from './rate-limit.js';
import { allowedMethods, type JsonObject, type Req, type RouteDef } from './route.js';
import type { Router } from './router.js';

export interface PipelineOptions {
  readonly maxBodyBytes: number;
  readonly tls: boolean;
  /**
   * How long a GET body may be served again to the same user, ms of the service clock. Any
   * successful write empties the cache; telemetry moves at the slow lane's pace (≥ 500 ms),
   * so 100 ms costs no freshness and spares summary()/readings work under load.
   */
  readonly cacheTtlMs: number;
}

interface Cached {
  /** The body as sent: encoded once, so a cache hit writes it without encoding or measuring. */
  readonly body: Buffer;
  readonly etag: string;
  readonly untilMs: number;
}

/** Allow header of each route, computed once (routes are fixed at start). */
const allowHeaders = new WeakMap<RouteDef, string>();
function allowHeader(route: RouteDef, allow: readonly Method[]): string {
  let h = allowHeaders.get(route);
  if (h === undefined) allowHeaders.set(route, (h = allow.join(', ')));
  return h;
}

const CACHE_MAX = 4096;

const METHODS = new Set<string>(['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE', 'POST']);

/** Is a request the caller's own resource? Parsed body may be needed (self password change). */
function tryParse(raw: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

export class RedfishPipeline {
  /** Requests being handled (SSE streams excluded): the sim fixture pumps time while > 0. */
  inFlight = 0;
  onInflightChange: ((n: number) => void) | undefined;
  private readonly baseHeaders: Record<string, string>;
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly router: Router,
    private readonly limiter: RateLimiter,
    private readonly opts: PipelineOptions,
  ) {
    this.baseHeaders = {
      'OData-Version': '4.0',
      'Cache-Control': 'no-store, max-age=0',
      Pragma: 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'",
      ...(opts.tls ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
    };
  }

  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.track(+1);
    let done = false;
    const end = (): void => {
      if (!done) {
        done = true;
        this.track(-1);
      }
    };
    res.once('finish', end);
    res.once('close', end);
    this.handle(req, res, end).catch((e: unknown) => {
      this.ctx.log.error('request failed', { error: (e as Error).message });
      if (!res.headersSent) this.sendError(res, httpError(500, 'Base.InternalError'));
      else res.destroy();
    });
  };

  private track(d: number): void {
    this.inFlight += d;
    this.onInflightChange?.(this.inFlight);
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    untrack: () => void,
  ): Promise<void> {
    const clientIp = req.socket.remoteAddress ?? '';
    const wait = this.limiter.take(clientIp);
    if (wait > 0) {
      const e = httpError(429, 'Base.ServiceTemporarilyUnavailable', wait);
      return this.sendError(
        res,
        new RedfishError(429, e.messages, { 'Retry-After': String(wait) }),
      );
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let path = q < 0 ? url : url.slice(0, q);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const method = (req.method ?? 'GET').toUpperCase();

    if (path === '/redfish') {
      if (method !== 'GET' && method !== 'HEAD')
        return this.sendError(res, methodNotAllowed(['GET', 'HEAD']));
      return this.sendJson(res, 200, { v1: '/redfish/v1/' }, method === 'HEAD', {});
    }
    const match = this.router.match(path);
    if (!match) return this.sendError(res, httpError(404, 'Base.InvalidURI', path));
    const route = match.route;
    const allow = allowedMethods(route);
    if (!METHODS.has(method) || !allow.includes(method as Method))
      return this.sendError(res, methodNotAllowed(allow));
    const m = method as Method;
    const odataVersion = req.headers['odata-version'];
    if (odataVersion !== undefined && odataVersion !== '4.0')
      return this.sendError(res, httpError(412, 'Base.HeaderInvalid', 'OData-Version'));

    let raw = '';
    if (m === 'PATCH' || m === 'POST' || m === 'PUT') {
      const got = await this.readBody(req);
      if (got === null) {
        res.setHeader('Connection', 'close');
        return this.sendError(res, httpError(413, 'Base.PayloadTooLarge'));
      }
      raw = got;
    }

    let principal: Principal | null = null;
    const noAuth = route.noAuth?.includes(m) ?? false;
    if (!noAuth || req.headers['x-auth-token'] !== undefined || req.headers.authorization) {
      const a = await this.ctx.auth.authenticate(req.headers);
      if (a.ok) principal = a.principal;
      else if (!noAuth) {
        const e =
          a.why === 'missing' || a.why === 'bad-token'
            ? httpError(401, 'Base.NoValidSession')
            : httpError(401, 'Base.AccessUnauthorized');
        return this.sendError(
          res,
          new RedfishError(401, e.messages, { 'WWW-Authenticate': 'Basic realm="Redfish"' }),
        );
      }
    }

    const request: Req = {
      method: m,
      path,
      params: match.params,
      query,
      headers: req.headers,
      body: raw === '' ? undefined : tryParse(raw),
      principal,
      clientIp,
      ctx: this.ctx,
    };
    if (!noAuth) {
      const d = authorize(route.entity, m, principal!.privileges);
      if (d === 'deny' || (d === 'allow-if-self' && !(route.isSelf?.(request) ?? false)))
        return this.sendError(res, httpError(403, 'Base.InsufficientPrivilege'));
    }
    if (raw !== '') {
      const ct = req.headers['content-type'];
      if (ct !== undefined && !/^application\/json\b/i.test(ct))
        return this.sendError(res, httpError(415, 'Base.UnrecognizedRequestBody'));
      if (request.body === undefined) {
        const parsed = (() => {
          try {
            return JSON.parse(raw) as unknown;
          } catch {
            return undefined;
          }
        })();
        return this.sendError(
          res,
          parsed === undefined
            ? httpError(400, 'Base.MalformedJSON')
            : httpError(400, 'Base.UnrecognizedRequestBody'),
        );
      }
    }

    try {
      const opts = parseQuery(query, m);
      if (route.stream && m === 'GET') {
        untrack();
        route.stream(request, res);
        return;
      }
      if (route.raw && (m === 'GET' || m === 'HEAD')) {
        const r = route.raw(request);
        return this.sendText(res, 200, r.contentType, r.body, m === 'HEAD');
      }
      if (m !== 'GET' && m !== 'HEAD') {
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined && route.get) {
          const current = etagOf(JSON.stringify(await route.get(request)));
          if (!etagMatches(ifMatch, current)) throw httpError(412, 'Base.PreconditionFailed');
        }
        const handler = route[m.toLowerCase() as 'patch' | 'post' | 'put' | 'delete']!;
        const reply = await handler(request);
        if (reply.status < 400) this.cache.clear();
        if (reply.body === undefined) {
          res.writeHead(reply.status, { ...this.baseHeaders, ...reply.headers });
          res.end();
          return;
        }
        return this.sendJson(res, reply.status, reply.body, false, { ...reply.headers });
      }
      const { body, etag } = await this.cachedGet(route, request, opts, url);
      const inm = req.headers['if-none-match'];
      if (inm !== undefined && etagMatches(inm, etag)) {
        res.writeHead(304, { ...this.baseHeaders, ETag: etag, Allow: allowHeader(route, allow) });
        res.end();
        return;
      }
      res.writeHead(200, {
        ...this.baseHeaders,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
        ETag: etag,
        Allow: allowHeader(route, allow),
      });
      res.end(m === 'HEAD' ? undefined : body);
    } catch (e) {
      if (isRedfishError(e)) return this.sendError(res, e);
      throw e;
    }
  }

  private async cachedGet(
    route: RouteDef,
    req: Req,
    opts: QueryOptions,
    url: string,
  ): Promise<Cached> {
    const key = `${req.principal?.user ?? ''}\0${url}`;
    const now = this.ctx.clock.nowMs();
    const hit = this.cache.get(key);
    if (hit && hit.untilMs > now) return hit;
    const json = JSON.stringify(await this.getWithQuery(route, req, opts));
    const entry = {
      body: Buffer.from(json, 'utf8'),
      etag: etagOf(json),
      untilMs: now + this.opts.cacheTtlMs,
    };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    if (this.opts.cacheTtlMs > 0) this.cache.set(key, entry);
    return entry;
  }

  /** Forget cached GET bodies (a write elsewhere changed what they show). */
  invalidate(): void {
    this.cache.clear();
  }

  private async getWithQuery(route: RouteDef, req: Req, o: QueryOptions): Promise<JsonObject> {
    let body = await route.get!(req);
    if (o.only) {
      const member = onlyMember(body);
      if (member instanceof RedfishError) throw member;
      if (member !== undefined) body = (await this.internalGet(member, req.principal)) ?? body;
    }
    if (o.expand)
      body = await expandPayload(body, o.expand, (u) => this.internalGet(u, req.principal));
    if (o.select) body = selectPayload(body, o.select);
    return body;
  }

  /** GET of another resource on behalf of the same principal ($expand, only). */
  async internalGet(uri: string, principal: Principal | null): Promise<JsonObject | undefined> {
    const path = uri.split(/[?#]/)[0]!.replace(/\/$/, '');
    const match = this.router.match(path);
    if (!match?.route.get || match.route.stream) return undefined;
    const r = match.route;
    if (!(r.noAuth?.includes('GET') ?? false)) {
      if (!principal) return undefined;
      const d = authorize(r.entity, 'GET', principal.privileges);
      const req = this.syntheticReq(path, match.params, principal);
      if (d === 'deny' || (d === 'allow-if-self' && !(r.isSelf?.(req) ?? false))) return undefined;
      return this.safeGet(r, req);
    }
    return this.safeGet(r, this.syntheticReq(path, match.params, principal));
  }

  private syntheticReq(
    path: string,
    params: Record<string, string>,
    principal: Principal | null,
  ): Req {
    return {
      method: 'GET',
      path,
      params,
      query: new URLSearchParams(),
      headers: {},
      body: undefined,
      principal,
      clientIp: '',
      ctx: this.ctx,
    };
  }

  private async safeGet(r: RouteDef, req: Req): Promise<JsonObject | undefined> {
    try {
      return await r.get!(req);
    } catch {
      return undefined;
    }
  }

  /** The body as text, or null when it exceeds the limit. */
  private readBody(req: IncomingMessage): Promise<string | null> {
    const limit = this.opts.maxBodyBytes;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return Promise.resolve(null);
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let n = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        if (over) return;
        n += c.length;
        if (n > limit) {
          over = true;
          resolve(null);
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
      });
      req.on('error', reject);
    });
  }

  private sendJson(
    res: ServerResponse,
    status: number,
    body: JsonObject | { v1: string },
    head: boolean,
    headers: Record<string, string>,
  ): void {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      ...this.baseHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
      ...headers,
    });
    res.end(head ? undefined : json);
  }

  private sendText(
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    head: boolean,
  ): void {
    res.writeHead(status, {
      ...this.baseHeaders,
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      ETag: etagOf(body),
    });
    res.end(head ? undefined : body);
  }

  sendError(res: ServerResponse, e: RedfishError): void {
    const body = errorPayload(this.ctx.registries, e.messages);
    this.sendJson(res, e.status, body as unknown as JsonObject, false, { ...e.headers });
  }
}

function methodNotAllowed(allow: readonly string[]): RedfishError {
  const e = httpError(405, 'Base.OperationNotAllowed');
  return new RedfishError(405, e.messages, { Allow: allow.join(', ') });
}
