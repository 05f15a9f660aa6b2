/**
 * Managers/{id}/LogServices: `Journal` — the gateway's control journal (decisions, commands,
 * device events; `gateway.journal`) — and `EventLog` — the Redfish events this service sent.
 */
import type { JournalEntry } from '../../../journal/index.js';
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import type { EventRecord } from '../events/event-service.js';
import { odataType } from '../schemas.js';
import { checkManager } from './managers.js';
import { checkActionParams, collection, isoTime, link, noContent, ROOT, status } from './util.js';

const LOGS = ['Journal', 'EventLog'] as const;
type LogId = (typeof LOGS)[number];
/** A registry MessageId (`Power.1.2.0.LossOfInputPower`); anything else is our own format. */
const REGISTRY_ID = /^[A-Za-z]+\.\d+\.\d+(\.\d+)?\.[A-Za-z]+$/;

function logOf(req: Req): { uri: string; id: LogId } {
  const base = `${checkManager(req)}/LogServices`;
  const id = req.params['LogServiceId']!;
  if (!(LOGS as readonly string[]).includes(id)) throw notFound('LogService', id);
  return { uri: `${base}/${id}`, id: id as LogId };
}

function logService(req: Req): JsonObject {
  const { uri, id } = logOf(req);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('LogService'),
    Id: id,
    Name: id === 'Journal' ? 'Gateway control journal' : 'Redfish event log',
    Description:
      id === 'Journal'
        ? 'Control decisions, commands sent to PSUs/BBUs, and device events recorded by the gateway'
        : 'Events this Redfish service published (SSE and subscriptions)',
    LogEntryType: id === 'Journal' ? 'Multiple' : 'Event',
    OverWritePolicy: 'WrapsWhenFull',
    MaxNumberOfRecords:
      id === 'Journal' ? req.ctx.gateway.journal.capacity : req.ctx.events.bus.historySize,
    DateTime: isoTime(req.ctx.clock.epochMs()),
    DateTimeLocalOffset: '+00:00',
    ServiceEnabled: true,
    Status: status('Enabled', 'OK'),
    Entries: link(`${uri}/Entries`),
    Actions: { '#LogService.ClearLog': { target: `${uri}/Actions/LogService.ClearLog` } },
  };
}

function journalEntry(base: string, e: JournalEntry): JsonObject {
  const registry = REGISTRY_ID.test(e.messageId);
  return {
    '@odata.id': `${base}/${e.id}`,
    '@odata.type': odataType('LogEntry'),
    Id: String(e.id),
    Name: `Journal entry ${e.id}`,
    EntryType: registry ? 'Event' : 'Oem',
    ...(registry ? {} : { OemRecordFormat: 'orv3gw-journal' }),
    Created: isoTime(e.atEpochMs),
    Severity: e.severity,
    Message: e.message,
    MessageId: e.messageId,
    MessageArgs: [...(e.args ?? [])],
    Originator: e.origin,
    ...(e.subject ? { GeneratorId: e.subject } : {}),
  };
}

function eventEntry(base: string, e: EventRecord): JsonObject {
  return {
    '@odata.id': `${base}/${e.id}`,
    '@odata.type': odataType('LogEntry'),
    Id: String(e.id),
    Name: `Event ${e.id}`,
    EntryType: 'Event',
    EventId: String(e.id),
    Created: isoTime(e.epochMs),
    EventTimestamp: isoTime(e.epochMs),
    Severity: e.message.MessageSeverity,
    Message: e.message.Message,
    MessageId: e.message.MessageId,
    MessageArgs: [...e.message.MessageArgs],
    ...(e.origin ? { Links: { OriginOfCondition: link(e.origin) } } : {}),
    ...(e.oem ? { Oem: e.oem } : {}),
  };
}

function entries(req: Req): JsonObject {
  const { uri, id } = logOf(req);
  const base = `${uri}/Entries`;
  const ids =
    id === 'Journal'
      ? req.ctx.gateway.journal.entries().map((e) => e.id)
      : req.ctx.events.bus.since(0).map((e) => e.id);
  return collection(
    base,
    'LogEntryCollection',
    id === 'Journal' ? 'Journal entries' : 'Event log entries',
    ids.map((n) => `${base}/${n}`),
  );
}

function entry(req: Req): JsonObject {
  const { uri, id } = logOf(req);
  const n = Number(req.params['LogEntryId']);
  const base = `${uri}/Entries`;
  if (id === 'Journal') {
    const e = Number.isInteger(n) ? req.ctx.gateway.journal.get(n) : undefined;
    if (!e) throw notFound('LogEntry', req.params['LogEntryId']!);
    return journalEntry(base, e);
  }
  const e = Number.isInteger(n) ? req.ctx.events.bus.since(n - 1)[0] : undefined;
  if (!e || e.id !== n) throw notFound('LogEntry', req.params['LogEntryId']!);
  return eventEntry(base, e);
}

function clearLog(req: Req) {
  const { id } = logOf(req);
  checkActionParams('LogService.ClearLog', req.body, []);
  if (id === 'Journal') req.ctx.gateway.journal.clear();
  else req.ctx.events.bus.clearHistory();
  req.ctx.log.info('log cleared', { log: id, by: req.principal!.user });
  return noContent;
}

export const logServiceRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Managers/{ManagerId}/LogServices`,
    entity: 'LogServiceCollection',
    get: (req) => {
      const base = `${checkManager(req)}/LogServices`;
      return collection(
        base,
        'LogServiceCollection',
        'Log Services',
        LOGS.map((l) => `${base}/${l}`),
      );
    },
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/LogServices/{LogServiceId}`,
    entity: 'LogService',
    get: logService,
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/LogServices/{LogServiceId}/Entries`,
    entity: 'LogEntryCollection',
    get: entries,
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/LogServices/{LogServiceId}/Entries/{LogEntryId}`,
    entity: 'LogEntry',
    get: entry,
  },
  {
    path: `${ROOT}/Managers/{ManagerId}/LogServices/{LogServiceId}/Actions/LogService.ClearLog`,
    entity: 'LogService',
    post: clearLog,
  },
];
