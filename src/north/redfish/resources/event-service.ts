/**
 * EventService, its Subscriptions (EventDestination: push over HTTP(S)) and the SSE stream
 * (`ServerSentEventUri`). Events: Power registry (PSU failed/restored, loss of input power,
 * threshold crossings), ResourceEvent (the Manager's control-loop mode changes, test),
 * Telemetry (metric reports).
 */
import type { ServerResponse } from 'node:http';
import type { Json, JsonObject, Req, RouteDef } from '../http/route.js';
import { httpError, notFound, notInList, outOfRange, typeError } from '../http/errors.js';
import { USED_MESSAGES, type AnyMessageKey, type RegistryPrefix } from '../messages.js';
import {
  RETRY_POLICIES,
  type RetryPolicy,
  type Subscription,
  type SubscriptionFilter,
} from '../events/subscriptions.js';
import { odataType } from '../schemas.js';
import {
  checkActionParams,
  checkPatch,
  collection,
  expectBoolean,
  expectNumber,
  expectString,
  link,
  noContent,
  ROOT,
  status,
} from './util.js';

const SERVICE = `${ROOT}/EventService`;
const SUBS = `${SERVICE}/Subscriptions`;
const SSE = `${SERVICE}/SSE`;
const PREFIXES = Object.keys(USED_MESSAGES) as RegistryPrefix[];
const RESOURCE_TYPES = ['PowerSupply', 'Sensor', 'Battery', 'Chassis', 'Manager', 'MetricReport'];

function eventService(req: Req): JsonObject {
  const p = req.ctx.events.subscriptions.policy;
  return {
    '@odata.id': SERVICE,
    '@odata.type': odataType('EventService'),
    Id: 'EventService',
    Name: 'Event Service',
    ServiceEnabled: true,
    DeliveryRetryAttempts: p.retryAttempts,
    DeliveryRetryIntervalSeconds: p.retryIntervalS,
    EventFormatTypes: ['Event', 'MetricReport'],
    RegistryPrefixes: PREFIXES.map((x) => x),
    ResourceTypes: RESOURCE_TYPES,
    ExcludeMessageId: true,
    ExcludeRegistryPrefix: true,
    IncludeOriginOfConditionSupported: true,
    SubordinateResourcesSupported: true,
    ServerSentEventUri: SSE,
    Subscriptions: link(SUBS),
    Status: status('Enabled', 'OK'),
    Actions: {
      '#EventService.SubmitTestEvent': {
        target: `${SERVICE}/Actions/EventService.SubmitTestEvent`,
      },
    },
  };
}

function patchEventService(req: Req) {
  const b = req.body!;
  checkPatch(
    b,
    ['DeliveryRetryAttempts', 'DeliveryRetryIntervalSeconds'],
    [
      'Id',
      'Name',
      'ServiceEnabled',
      'ServerSentEventUri',
      'Subscriptions',
      'RegistryPrefixes',
      'ResourceTypes',
    ],
  );
  const p = req.ctx.events.subscriptions.policy;
  const check = (k: string, max: number): number | undefined => {
    if (b[k] === undefined) return undefined;
    const v = expectNumber(b[k], k);
    if (!Number.isInteger(v) || v < (k === 'DeliveryRetryAttempts' ? 0 : 1) || v > max)
      throw outOfRange(v, k);
    return v;
  };
  const attempts = check('DeliveryRetryAttempts', 10);
  const interval = check('DeliveryRetryIntervalSeconds', 3600);
  if (attempts !== undefined) p.retryAttempts = attempts;
  if (interval !== undefined) p.retryIntervalS = interval;
  return noContent;
}

function destination(req: Req, s: Subscription): JsonObject {
  return {
    '@odata.id': `${SUBS}/${s.id}`,
    '@odata.type': odataType('EventDestination'),
    Id: s.id,
    Name: s.type === 'SSE' ? 'Server-sent event stream' : 'Event subscription',
    Destination: s.destination,
    Context: s.context,
    Protocol: 'Redfish',
    SubscriptionType: s.type,
    EventFormatType: s.format,
    DeliveryRetryPolicy: s.retryPolicy,
    RegistryPrefixes: s.registryPrefixes,
    ExcludeRegistryPrefixes: s.excludeRegistryPrefixes,
    MessageIds: s.messageIds,
    ExcludeMessageIds: s.excludeMessageIds,
    ResourceTypes: s.resourceTypes,
    OriginResources: s.originResources.map(link),
    SubordinateResources: s.subordinateResources,
    IncludeOriginOfCondition: s.includeOrigin,
    VerifyCertificate: s.verifyCertificate,
    HttpHeaders: [],
    Status: status(s.suspended ? 'Disabled' : 'Enabled', s.failures > 0 ? 'Warning' : 'OK'),
  };
}

const stringList = (v: Json | undefined, name: string, allowed?: readonly string[]): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw typeError(v, name);
  if (allowed) for (const x of v) if (!allowed.includes(x as string)) throw notInList(x, name);
  return v as string[];
};

/** Filter properties of a POST or SSE query, validated. */
function filterOf(b: JsonObject): SubscriptionFilter {
  const origins = b['OriginResources'];
  let originResources: string[] = [];
  if (origins !== undefined) {
    if (!Array.isArray(origins)) throw typeError(origins, 'OriginResources');
    originResources = origins.map((o) => {
      const id =
        typeof o === 'object' && o !== null && !Array.isArray(o) ? o['@odata.id'] : undefined;
      if (typeof id !== 'string' || !id.startsWith(ROOT)) throw typeError(o, 'OriginResources');
      return id.replace(/\/$/, '');
    });
  }
  return {
    registryPrefixes: stringList(b['RegistryPrefixes'], 'RegistryPrefixes', PREFIXES),
    excludeRegistryPrefixes: stringList(
      b['ExcludeRegistryPrefixes'],
      'ExcludeRegistryPrefixes',
      PREFIXES,
    ),
    messageIds: stringList(b['MessageIds'], 'MessageIds'),
    excludeMessageIds: stringList(b['ExcludeMessageIds'], 'ExcludeMessageIds'),
    resourceTypes: stringList(b['ResourceTypes'], 'ResourceTypes', RESOURCE_TYPES),
    originResources,
    subordinateResources:
      b['SubordinateResources'] === undefined
        ? false
        : expectBoolean(b['SubordinateResources'], 'SubordinateResources'),
  };
}

function httpHeaders(v: Json | undefined): Record<string, string> {
  if (v === undefined || v === null) return {};
  const list = Array.isArray(v) ? v : [v];
  const out: Record<string, string> = {};
  for (const h of list) {
    if (typeof h !== 'object' || h === null || Array.isArray(h)) throw typeError(h, 'HttpHeaders');
    for (const [k, x] of Object.entries(h)) {
      if (typeof x !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(k) || /[\r\n]/.test(x))
        throw typeError('(redacted)', 'HttpHeaders');
      out[k] = x;
    }
  }
  return out;
}

const POST_KEYS = [
  'Destination',
  'Context',
  'Protocol',
  'SubscriptionType',
  'EventFormatType',
  'DeliveryRetryPolicy',
  'RegistryPrefixes',
  'ExcludeRegistryPrefixes',
  'MessageIds',
  'ExcludeMessageIds',
  'ResourceTypes',
  'OriginResources',
  'SubordinateResources',
  'IncludeOriginOfCondition',
  'HttpHeaders',
  'VerifyCertificate',
];

function subscribe(req: Req) {
  const b = req.body ?? {};
  for (const k of Object.keys(b))
    if (!POST_KEYS.includes(k)) throw httpError(400, 'Base.PropertyUnknown', k);
  for (const k of ['Destination', 'Protocol'])
    if (b[k] === undefined) throw httpError(400, 'Base.CreateFailedMissingReqProperties', k);
  const dest = expectString(b['Destination'], 'Destination', 1024);
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    throw httpError(400, 'Base.PropertyValueFormatError', dest, 'Destination');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password)
    throw httpError(400, 'Base.PropertyValueFormatError', dest, 'Destination');
  if (b['Protocol'] !== 'Redfish') throw notInList(b['Protocol'], 'Protocol');
  if (b['SubscriptionType'] !== undefined && b['SubscriptionType'] !== 'RedfishEvent')
    throw notInList(b['SubscriptionType'], 'SubscriptionType');
  const format = b['EventFormatType'] ?? 'Event';
  if (format !== 'Event' && format !== 'MetricReport') throw notInList(format, 'EventFormatType');
  const policy = b['DeliveryRetryPolicy'] ?? 'TerminateAfterRetries';
  if (!RETRY_POLICIES.includes(policy as RetryPolicy))
    throw notInList(policy, 'DeliveryRetryPolicy');
  const store = req.ctx.events.subscriptions;
  if (store.pushCount >= store.policy.maxSubscriptions)
    throw httpError(400, 'Base.EventSubscriptionLimitExceeded');
  const s = store.add({
    ...filterOf(b),
    owner: req.principal!.user,
    type: 'RedfishEvent',
    destination: dest,
    context: b['Context'] === undefined ? '' : expectString(b['Context'], 'Context', 256),
    format,
    retryPolicy: policy as RetryPolicy,
    headers: httpHeaders(b['HttpHeaders']),
    verifyCertificate:
      b['VerifyCertificate'] === undefined
        ? true
        : expectBoolean(b['VerifyCertificate'], 'VerifyCertificate'),
    includeOrigin:
      b['IncludeOriginOfCondition'] === undefined
        ? true
        : expectBoolean(b['IncludeOriginOfCondition'], 'IncludeOriginOfCondition'),
  });
  req.ctx.log.info('event subscription created', { id: s.id, host: url.host, by: s.owner });
  return { status: 201, headers: { Location: `${SUBS}/${s.id}` }, body: destination(req, s) };
}

function subOf(req: Req): Subscription {
  const id = req.params['SubscriptionId']!;
  const s = req.ctx.events.subscriptions.get(id);
  if (!s) throw notFound('EventDestination', id);
  return s;
}

function patchSubscription(req: Req) {
  const s = subOf(req);
  const b = req.body!;
  checkPatch(b, ['Context', 'DeliveryRetryPolicy', 'HttpHeaders'], POST_KEYS);
  if (
    b['DeliveryRetryPolicy'] !== undefined &&
    !RETRY_POLICIES.includes(b['DeliveryRetryPolicy'] as RetryPolicy)
  )
    throw notInList(b['DeliveryRetryPolicy'], 'DeliveryRetryPolicy');
  const ctxValue =
    b['Context'] === undefined ? undefined : expectString(b['Context'], 'Context', 256);
  const headers = b['HttpHeaders'] === undefined ? undefined : httpHeaders(b['HttpHeaders']);
  if (ctxValue !== undefined) s.context = ctxValue;
  if (headers !== undefined) s.headers = headers;
  if (b['DeliveryRetryPolicy'] !== undefined)
    s.retryPolicy = b['DeliveryRetryPolicy'] as RetryPolicy;
  return noContent;
}

/** GET /EventService/SSE: a text/event-stream of Event payloads; Last-Event-ID resumes. */
function sse(req: Req, res: ServerResponse): void {
  const store = req.ctx.events.subscriptions;
  if (store.streamCount >= store.policy.maxStreams)
    throw httpError(503, 'Base.ServiceTemporarilyUnavailable', 5);
  const s = store.add({
    ...filterOf({}),
    owner: req.principal!.user,
    type: 'SSE',
    destination: '',
    context: '',
    format: 'Event',
    retryPolicy: 'TerminateAfterRetries',
    headers: {},
    verifyCertificate: true,
    includeOrigin: true,
    stream: res,
  });
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'OData-Version': '4.0',
    'X-Content-Type-Options': 'nosniff',
  });
  res.flushHeaders();
  res.on('close', () => store.remove(s.id));
  const last = Number(req.headers['last-event-id']);
  if (Number.isInteger(last) && last >= 0)
    for (const e of req.ctx.events.bus.since(last)) store.writeSse(s, e);
}

function submitTestEvent(req: Req) {
  const action = 'EventService.SubmitTestEvent';
  const b = checkActionParams(action, req.body, [
    'MessageId',
    'MessageArgs',
    'OriginOfCondition',
    'Severity',
    'EventType',
    'EventId',
    'EventTimestamp',
    'Message',
    'MessageSeverity',
    'EventGroupId',
  ]);
  let key: AnyMessageKey = 'ResourceEvent.TestMessage';
  if (b['MessageId'] !== undefined) {
    const id = b['MessageId'];
    const m =
      typeof id === 'string'
        ? /^([A-Za-z]+)(?:\.\d+\.\d+(?:\.\d+)?)?\.([A-Za-z]+)$/.exec(id)
        : null;
    const p = m?.[1] as RegistryPrefix | undefined;
    if (!m || !p || !(p in USED_MESSAGES) || !(m[2]! in USED_MESSAGES[p]))
      throw httpError(
        400,
        'Base.ActionParameterValueNotInList',
        JSON.stringify(id),
        'MessageId',
        action,
      );
    key = `${p}.${m[2]}` as AnyMessageKey;
  }
  const args = b['MessageArgs'] === undefined ? [] : stringList(b['MessageArgs'], 'MessageArgs');
  const [prefix, name] = key.split('.') as [RegistryPrefix, string];
  const n = (USED_MESSAGES[prefix] as Record<string, number>)[name]!;
  if (args.length !== n)
    throw httpError(400, 'Base.ActionParameterValueError', 'MessageArgs', action);
  req.ctx.events.bus.publish(key, args, { uri: SERVICE, type: 'EventService' });
  return noContent;
}

export const eventServiceRoutes: RouteDef[] = [
  { path: SERVICE, entity: 'EventService', get: eventService, patch: patchEventService },
  {
    path: SUBS,
    entity: 'EventDestinationCollection',
    get: (req) =>
      collection(
        SUBS,
        'EventDestinationCollection',
        'Event Subscriptions',
        req.ctx.events.subscriptions.list().map((s) => `${SUBS}/${s.id}`),
      ),
    post: subscribe,
  },
  {
    path: `${SUBS}/{SubscriptionId}`,
    entity: 'EventDestination',
    get: (req) => destination(req, subOf(req)),
    patch: patchSubscription,
    delete: (req) => {
      const s = subOf(req);
      req.ctx.events.subscriptions.remove(s.id);
      return noContent;
    },
    isSelf: (req) =>
      req.ctx.events.subscriptions.get(req.params['SubscriptionId']!)?.owner ===
      req.principal?.user,
  },
  { path: SSE, entity: 'EventService', stream: sse },
  {
    path: `${SERVICE}/Actions/EventService.SubmitTestEvent`,
    entity: 'EventService',
    post: submitTestEvent,
  },
];
