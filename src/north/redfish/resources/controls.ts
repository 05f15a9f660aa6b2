/** Chassis/{id}/Controls: the rack power cap as a Control of ControlType Power. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import { chassisUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { isCapShelf, shelfOf } from './lookup.js';
import { applyCap, capView, CONTROL_ID, controlUri } from './power-limit.js';
import {
  checkActionParams,
  checkPatch,
  collection,
  excerpt,
  isoTime,
  link,
  noContent,
  ROOT,
  status,
} from './util.js';

function capShelf(req: Req) {
  const s = shelfOf(req);
  if (
    !isCapShelf(req, s) ||
    (req.params['ControlId'] !== undefined && req.params['ControlId'] !== CONTROL_ID)
  )
    throw notFound('Control', req.params['ControlId'] ?? 'Controls');
  return s;
}

function control(req: Req): JsonObject {
  const s = capShelf(req);
  const c = capView(req, s);
  const uri = controlUri(s);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Control'),
    Id: CONTROL_ID,
    Name: 'Rack power limit',
    Description: 'Limit on the AC power the rack draws, enforced by the gateway coordinator',
    ControlType: 'Power',
    SetPointType: 'Single',
    ControlMode: c.mode,
    SetPoint: c.setPoint,
    DefaultSetPoint: null,
    SetPointUnits: 'W',
    AllowableMin: c.min,
    AllowableMax: c.max,
    SetPointUpdateTime: isoTime(req.ctx.monitor.capChangedEpochMs() ?? req.ctx.info.startedEpochMs),
    PhysicalContext: 'ACInput',
    Sensor: excerpt(c.reading, c.sensorUri),
    RelatedItem: req.ctx.model.shelves().map((x) => link(chassisUri(x))),
    // The loop raises a throttle request when the cap cannot be held with the BBU energy above
    // the reserve: the limit is set but not met, which a reader of this Control must see.
    Status: status(
      'Enabled',
      req.ctx.gateway.control?.throttleRequested === true ? 'Warning' : 'OK',
    ),
    Actions: {
      '#Control.ResetToDefaults': { target: `${uri}/Actions/Control.ResetToDefaults` },
    },
  };
}

async function patchControl(req: Req) {
  capShelf(req);
  const body = req.body!;
  const known = [
    'Id',
    'Name',
    'ControlType',
    'SetPointType',
    'SetPointUnits',
    'AllowableMin',
    'AllowableMax',
    'Sensor',
    'Status',
    'PhysicalContext',
    'RelatedItem',
    'DefaultSetPoint',
  ];
  checkPatch(body, ['SetPoint', 'ControlMode'], known);
  await applyCap(req, body, '');
  return noContent;
}

async function resetToDefaults(req: Req) {
  capShelf(req);
  checkActionParams('Control.ResetToDefaults', req.body, []);
  await applyCap(req, { SetPoint: null }, '');
  return noContent;
}

export const controlRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/Controls`,
    entity: 'ControlCollection',
    get: (req) => {
      const s = capShelf(req);
      return collection(`${chassisUri(s)}/Controls`, 'ControlCollection', 'Controls', [
        controlUri(s),
      ]);
    },
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/Controls/{ControlId}`,
    entity: 'Control',
    get: control,
    patch: patchControl,
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/Controls/{ControlId}/Actions/Control.ResetToDefaults`,
    entity: 'Control',
    post: resetToDefaults,
  },
];
