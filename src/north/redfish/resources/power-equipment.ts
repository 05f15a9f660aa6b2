/**
 * The functional view: PowerEquipment, PowerShelves/{id} (PowerDistribution, EquipmentType
 * PowerShelf) and its Metrics, linked both ways with Chassis/PowerShelf{id}.
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { bbuCondition, psuCondition, worst } from '../health.js';
import { psuRatedW, shelfManufacturer, type ShelfView } from '../model.js';
import { chassisUri, sensorUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { powerShelfOf, readings } from './lookup.js';
import {
  checkActionParams,
  checkPatch,
  collection,
  excerpt,
  expectString,
  isoTime,
  link,
  noContent,
  ROOT,
  status,
} from './util.js';

export const shelfUri = (s: ShelfView): string => `${ROOT}/PowerEquipment/PowerShelves/${s.id}`;

function powerEquipment(req: Req): JsonObject {
  const health = worst(
    req.ctx.model
      .shelves()
      .flatMap((s) => s.psus.map((m) => psuCondition(req.ctx.gateway, m).health)),
  );
  return {
    '@odata.id': `${ROOT}/PowerEquipment`,
    '@odata.type': odataType('PowerEquipment'),
    Id: 'PowerEquipment',
    Name: 'Power equipment',
    PowerShelves: link(`${ROOT}/PowerEquipment/PowerShelves`),
    Status: status('Enabled', health),
  };
}

function powerShelf(req: Req): JsonObject {
  const s = powerShelfOf(req);
  const { gateway: gw, props, info } = req.ctx;
  const uri = shelfUri(s);
  const cUri = chassisUri(s);
  const first = s.psus[0] ? gw.psu(s.psus[0].unit) : undefined;
  return {
    '@odata.id': uri,
    '@odata.type': odataType('PowerDistribution'),
    Id: s.id,
    Name: `Power shelf ${s.id}`,
    EquipmentType: 'PowerShelf',
    Manufacturer: shelfManufacturer(gw, s),
    Model: first ? `${first.family.toUpperCase()} shelf` : null,
    SerialNumber: null,
    PartNumber: null,
    FirmwareVersion: info.firmwareVersion,
    UUID: s.uuid,
    // Shared with the Chassis: one physical shelf, one asset tag and location.
    AssetTag: props.get(cUri, 'AssetTag', ''),
    UserLabel: props.get(uri, 'UserLabel', ''),
    Location: props.get(cUri, 'Location', { Placement: { Rack: '' } }),
    Status: status(
      'Enabled',
      worst([
        ...s.psus.map((m) => psuCondition(gw, m).health),
        ...s.bbus.map((m) => bbuCondition(gw, m).health),
      ]),
    ),
    Mains: link(`${uri}/Mains`),
    Branches: link(`${uri}/Branches`),
    Metrics: link(`${uri}/Metrics`),
    Links: {
      Chassis: [link(cUri)],
      ManagedBy: [link(`${ROOT}/Managers/${info.managerId}`)],
    },
  };
}

function patchPowerShelf(req: Req) {
  const s = powerShelfOf(req);
  const body = req.body!;
  checkPatch(
    body,
    ['UserLabel', 'AssetTag'],
    [
      'Id',
      'Name',
      'EquipmentType',
      'Model',
      'Manufacturer',
      'SerialNumber',
      'PartNumber',
      'FirmwareVersion',
      'UUID',
      'Status',
      'Links',
    ],
  );
  const label =
    body['UserLabel'] === undefined ? undefined : expectString(body['UserLabel'], 'UserLabel', 64);
  const asset =
    body['AssetTag'] === undefined ? undefined : expectString(body['AssetTag'], 'AssetTag', 64);
  if (label !== undefined) req.ctx.props.set(shelfUri(s), 'UserLabel', label);
  if (asset !== undefined) req.ctx.props.set(chassisUri(s), 'AssetTag', asset);
  return noContent;
}

function metrics(req: Req): JsonObject {
  const s = powerShelfOf(req);
  const r = readings(req, s);
  const power = r.value('ShelfInputPower');
  const capacity = s.psus.reduce((a, m) => a + psuRatedW(m.family), 0);
  const since = req.ctx.monitor.energySinceEpochMs(s);
  return {
    '@odata.id': `${shelfUri(s)}/Metrics`,
    '@odata.type': odataType('PowerDistributionMetrics'),
    Id: 'Metrics',
    Name: `Metrics of power shelf ${s.id}`,
    PowerWatts: excerpt(power, sensorUri(s, 'ShelfInputPower')),
    EnergykWh: excerpt(
      req.ctx.monitor.energyKWh(s),
      undefined,
      since === undefined ? {} : { SensorResetTime: isoTime(since) },
    ),
    TemperatureCelsius: excerpt(r.value('ShelfInletTemp'), sensorUri(s, 'ShelfInletTemp')),
    PowerLoadPercent: excerpt(power === null || capacity === 0 ? null : (100 * power) / capacity),
    Actions: {
      '#PowerDistributionMetrics.ResetMetrics': {
        target: `${shelfUri(s)}/Metrics/Actions/PowerDistributionMetrics.ResetMetrics`,
      },
    },
  };
}

function resetMetrics(req: Req) {
  const s = powerShelfOf(req);
  checkActionParams('PowerDistributionMetrics.ResetMetrics', req.body, []);
  req.ctx.monitor.resetEnergy(s);
  return noContent;
}

export const powerEquipmentRoutes: RouteDef[] = [
  { path: `${ROOT}/PowerEquipment`, entity: 'PowerEquipment', get: powerEquipment },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves`,
    entity: 'PowerDistributionCollection',
    get: (req) =>
      collection(
        `${ROOT}/PowerEquipment/PowerShelves`,
        'PowerDistributionCollection',
        'Power shelves',
        req.ctx.model.shelves().map(shelfUri),
      ),
  },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}`,
    entity: 'PowerDistribution',
    get: powerShelf,
    patch: patchPowerShelf,
  },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}/Metrics`,
    entity: 'PowerDistributionMetrics',
    get: metrics,
  },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}/Metrics/Actions/PowerDistributionMetrics.ResetMetrics`,
    entity: 'PowerDistributionMetrics',
    post: resetMetrics,
  },
];
