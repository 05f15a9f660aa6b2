/**
 * What a resource file registers: its URI template, its privilege entity, and a handler per
 * method. Handlers are small functions of a Req; the server does HTTP, auth, ETags and queries.
 */
import type { ServerResponse } from 'node:http';
import type { EntityType, Method } from '../privileges.js';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface Req {
  readonly method: Method;
  /** The request path without query and without a trailing slash. */
  readonly path: string;
  /** Template captures, e.g. `{ ChassisId: 'PowerShelf1' }` (decoded). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body of PATCH/POST/PUT (an object), else undefined. */
  readonly body: JsonObject | undefined;
  /** Who is asking; null only on routes that need no authentication. */
  readonly principal: Principal | null;
  readonly clientIp: string;
  readonly ctx: ServiceContext;
}

/** A reply other than a plain GET body. */
export interface Reply {
  readonly status: number;
  readonly body?: JsonObject;
  readonly headers?: Readonly<Record<string, string>>;
}

export type GetHandler = (req: Req) => JsonObject | Promise<JsonObject>;
export type WriteHandler = (req: Req) => Reply | Promise<Reply>;

export interface RouteDef {
  /** URI template, e.g. `/redfish/v1/Chassis/{ChassisId}/Sensors/{SensorId}`. */
  readonly path: string;
  /** Key into the privilege registry's OperationMap. */
  readonly entity: EntityType;
  readonly get?: GetHandler;
  readonly patch?: WriteHandler;
  readonly post?: WriteHandler;
  readonly put?: WriteHandler;
  readonly delete?: WriteHandler;
  /** Methods served without authentication (service root, odata, $metadata, session login). */
  readonly noAuth?: readonly Method[];
  /**
   * Whether the target is the caller's own (account, session, subscription): decides the
   * privilege sets that need ConfigureSelf. Sees the parsed body (a password-only PATCH).
   */
  readonly isSelf?: (req: Req) => boolean;
  /** A GET body that is not a Redfish resource (no ETag/query handling), e.g. $metadata. */
  readonly raw?: (req: Req) => { contentType: string; body: string };
  /** Long-lived GET response (SSE): the handler owns the response from here on. */
  readonly stream?: (req: Req, res: ServerResponse) => void;
}

/** The methods a route answers, for Allow and 405. */
export function allowedMethods(r: RouteDef): Method[] {
  const m: Method[] = [];
  if (r.get || r.raw) m.push('GET', 'HEAD');
  else if (r.stream) m.push('GET');
  if (r.patch) m.push('PATCH');
  if (r.put) m.push('PUT');
  if (r.post) m.push('POST');
  if (r.delete) m.push('DELETE');
  return m;
}
