/**
 * Managers/{id}: the gateway itself (ManagerType Service), with its network protocol,
 * Ethernet interfaces and log services, and its control loop's state under
 * `Oem.Orv3Gateway.ControlLoop` (null when no loop runs; Status.Health Warning while the loop
 * is autonomous). Manager.Reset (ForceRestart) restarts the Redfish service's state: sessions
 * end and event streams close; the gateway keeps running.
 */
import { managerOem } from '../control-loop.js';
import { managerHealth } from '../health.js';
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { httpError, notFound } from '../http/errors.js';
import { odataType } from '../schemas.js';
import { checkActionParams, collection, isoTime, link, noContent, ROOT, status } from './util.js';

export const managerUri = (req: Req): string => `${ROOT}/Managers/${req.ctx.info.managerId}`;

export function checkManager(req: Req): string {
  const id = req.params['ManagerId']!;
  if (id !== req.ctx.info.managerId) throw notFound('Manager', id);
  return managerUri(req);
}

function manager(req: Req): JsonObject {
  const uri = checkManager(req);
  const { info, model } = req.ctx;
  // One read: Mode, counters and Health come from the same instant of the loop.
  const control = req.ctx.gateway.control;
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Manager'),
    Id: info.managerId,
    Name: 'orv3-gateway rack power coordinator',
    ManagerType: 'Service',
    Model: info.product,
    Manufacturer: info.vendor,
    FirmwareVersion: info.firmwareVersion,
    UUID: info.managerUuid,
    ServiceEntryPointUUID: info.uuid,
    DateTime: isoTime(req.ctx.clock.epochMs()),
    DateTimeLocalOffset: '+00:00',
    LastResetTime: isoTime(info.startedEpochMs),
    PowerState: 'On',
    Status: status('Enabled', managerHealth(control)),
    NetworkProtocol: link(`${uri}/NetworkProtocol`),
    EthernetInterfaces: link(`${uri}/EthernetInterfaces`),
    LogServices: link(`${uri}/LogServices`),
    Links: {
      ManagerForChassis: model.shelves().map((s) => link(`${ROOT}/Chassis/${s.chassisId}`)),
    },
    Actions: {
      '#Manager.Reset': {
        target: `${uri}/Actions/Manager.Reset`,
        'ResetType@Redfish.AllowableValues': ['ForceRestart'],
      },
    },
    Oem: managerOem(control),
  };
}

function reset(req: Req) {
  checkManager(req);
  const b = checkActionParams('Manager.Reset', req.body, ['ResetType']);
  if (b['ResetType'] !== undefined && b['ResetType'] !== 'ForceRestart')
    throw httpError(
      400,
      'Base.ActionParameterValueNotInList',
      JSON.stringify(b['ResetType']),
      'ResetType',
      'Manager.Reset',
    );
  req.ctx.log.warn('Manager.Reset: ending all sessions and event streams', {
    by: req.principal!.user,
  });
  for (const s of req.ctx.sessions.list()) req.ctx.sessions.delete(s.id);
  req.ctx.events.closeStreams();
  return noContent;
}

export const managerRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Managers`,
    entity: 'ManagerCollection',
    get: (req) =>
      collection(`${ROOT}/Managers`, 'ManagerCollection', 'Manager Collection', [managerUri(req)]),
  },
  { path: `${ROOT}/Managers/{ManagerId}`, entity: 'Manager', get: manager },
  { path: `${ROOT}/Managers/{ManagerId}/Actions/Manager.Reset`, entity: 'Manager', post: reset },
];
