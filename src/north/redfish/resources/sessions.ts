/**
 * SessionService and Sessions: POST (no authentication) logs in and returns X-Auth-Token and
 * Location; DELETE logs out (ConfigureManager, or ConfigureSelf for one's own sessions).
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { httpError, notFound, outOfRange } from '../http/errors.js';
import { SESSION_TIMEOUT_RANGE_S, type Session } from '../auth/sessions.js';
import { odataType } from '../schemas.js';
import {
  checkPatch,
  collection,
  expectNumber,
  isoTime,
  link,
  noContent,
  ROOT,
  status,
} from './util.js';

const SERVICE = `${ROOT}/SessionService`;
const SESSIONS = `${SERVICE}/Sessions`;

function sessionService(req: Req): JsonObject {
  return {
    '@odata.id': SERVICE,
    '@odata.type': odataType('SessionService'),
    Id: 'SessionService',
    Name: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: req.ctx.sessions.policy.timeoutS,
    Sessions: link(SESSIONS),
    Status: status('Enabled', 'OK'),
  };
}

function patchSessionService(req: Req) {
  checkPatch(req.body!, ['SessionTimeout'], ['Id', 'Name', 'ServiceEnabled', 'Sessions', 'Status']);
  const t = expectNumber(req.body!['SessionTimeout'], 'SessionTimeout');
  if (!Number.isInteger(t) || t < SESSION_TIMEOUT_RANGE_S.min || t > SESSION_TIMEOUT_RANGE_S.max)
    throw outOfRange(t, 'SessionTimeout');
  req.ctx.sessions.policy.timeoutS = t;
  return noContent;
}

const sees = (req: Req, s: Session): boolean =>
  req.principal!.privileges.has('ConfigureManager') || s.userName === req.principal!.user;

function sessionPayload(s: Session): JsonObject {
  return {
    '@odata.id': `${SESSIONS}/${s.id}`,
    '@odata.type': odataType('Session'),
    Id: s.id,
    Name: 'User Session',
    UserName: s.userName,
    SessionType: 'Redfish',
    ClientOriginIPAddress: s.clientIp,
    CreatedTime: isoTime(s.createdEpochMs),
    Password: null,
    ...(s.context !== undefined ? { Context: s.context } : {}),
  };
}

function sessionOf(req: Req): Session {
  const id = req.params['SessionId']!;
  const s = req.ctx.sessions.get(id);
  if (!s) throw notFound('Session', id);
  return s;
}

async function login(req: Req) {
  const b = req.body ?? {};
  for (const k of Object.keys(b))
    if (!['UserName', 'Password', 'Context'].includes(k))
      throw httpError(400, 'Base.PropertyUnknown', k);
  for (const k of ['UserName', 'Password'])
    if (typeof b[k] !== 'string') throw httpError(400, 'Base.CreateFailedMissingReqProperties', k);
  const ctxValue = b['Context'];
  if (ctxValue !== undefined && (typeof ctxValue !== 'string' || ctxValue.length > 256))
    throw httpError(400, 'Base.PropertyValueTypeError', JSON.stringify(ctxValue), 'Context');
  const user = b['UserName'] as string;
  const r = await req.ctx.auth.login(user, b['Password'] as string);
  if (r !== 'ok') {
    req.ctx.log.info('login refused', { user: user.slice(0, 32), client: req.clientIp });
    throw httpError(401, 'Base.AccessUnauthorized');
  }
  const a = req.ctx.accounts.get(user)!;
  const made = req.ctx.sessions.create(
    user,
    a.generation,
    req.clientIp,
    ctxValue as string | undefined,
  );
  if (!made) throw httpError(503, 'Base.SessionLimitExceeded');
  req.ctx.log.info('session created', { user, session: made.session.id });
  return {
    status: 201,
    headers: { 'X-Auth-Token': made.token, Location: `${SESSIONS}/${made.session.id}` },
    body: sessionPayload(made.session),
  };
}

function logout(req: Req) {
  const s = sessionOf(req);
  req.ctx.sessions.delete(s.id);
  req.ctx.log.info('session deleted', { session: s.id, by: req.principal?.user ?? '' });
  return noContent;
}

export const sessionRoutes: RouteDef[] = [
  { path: SERVICE, entity: 'SessionService', get: sessionService, patch: patchSessionService },
  {
    path: SESSIONS,
    entity: 'SessionCollection',
    get: (req) =>
      collection(
        SESSIONS,
        'SessionCollection',
        'Session Collection',
        req.ctx.sessions
          .list()
          .filter((s) => sees(req, s))
          .map((s) => `${SESSIONS}/${s.id}`),
      ),
    post: login,
    noAuth: ['POST'],
  },
  {
    path: `${SESSIONS}/{SessionId}`,
    entity: 'Session',
    get: (req) => {
      const s = sessionOf(req);
      if (!sees(req, s)) throw notFound('Session', s.id);
      return sessionPayload(s);
    },
    delete: logout,
    isSelf: (req) =>
      req.ctx.sessions.get(req.params['SessionId']!)?.userName === req.principal?.user,
  },
];
