/**
 * Batteries collection and Battery/{id} for the shelf's BBUs (batteries live only under a
 * Chassis): identity, charge state and status; Battery.SelfTest → commands.bbuSelfTest.
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { bbuCondition } from '../health.js';
import { bbuRatedW } from '../model.js';
import { bbuUri, chassisUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { bbuOf, shelfOf } from './lookup.js';
import { command, productionDate } from './power-supplies.js';
import { checkActionParams, collection, link, noContent, ROOT, round, status } from './util.js';

function battery(req: Req): JsonObject {
  const m = bbuOf(req);
  const gw = req.ctx.gateway;
  const t = gw.bbu(m.unit);
  const c = bbuCondition(gw, m);
  const uri = bbuUri(m);
  const id = t?.identity;
  const charge = !t
    ? null
    : t.status.discharging
      ? 'Discharging'
      : t.status.charging
        ? 'Charging'
        : 'Idle';
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Battery'),
    Id: m.id,
    Name: `Battery backup unit ${m.slot + 1} (Modbus unit ${m.unit})`,
    Manufacturer: id?.manufacturer ?? null,
    Model: id?.model ?? null,
    SerialNumber: id?.serial ?? null,
    PartNumber: id?.partNumber ?? null,
    FirmwareVersion: id?.fwRevision ?? null,
    Version: id?.hwRevision ?? null,
    ProductionDate: productionDate(id?.date),
    EnergyStorageType: 'Battery',
    BatteryChemistryType: 'LithiumIon',
    ChargeState: charge,
    CapacityActualAmpHours: t ? round(t.charge.fullChargeAh) : null,
    MaxDischargeRateAmps: null,
    HotPluggable: true,
    Replaceable: true,
    Location: {
      PartLocation: {
        ServiceLabel: `BBU ${m.slot + 1}`,
        LocationType: 'Bay',
        LocationOrdinalValue: m.slot,
      },
    },
    Status: status(c.state, c.health),
    Metrics: link(`${uri}/Metrics`),
    Oem: {},
    Actions: {
      '#Battery.SelfTest': { target: `${uri}/Actions/Battery.SelfTest` },
    },
    Description: `Rated ${bbuRatedW(m.family)} W discharge`,
  };
}

async function selfTest(req: Req) {
  const m = bbuOf(req);
  checkActionParams('Battery.SelfTest', req.body, []);
  await command(req, m, 'Battery.SelfTest', () => req.ctx.gateway.commands.bbuSelfTest(m.deviceId));
  return noContent;
}

export const batteryRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/Batteries`,
    entity: 'BatteryCollection',
    get: (req) => {
      const s = shelfOf(req);
      return collection(
        `${chassisUri(s)}/PowerSubsystem/Batteries`,
        'BatteryCollection',
        'Batteries',
        s.bbus.map(bbuUri),
      );
    },
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/Batteries/{BatteryId}`,
    entity: 'Battery',
    get: battery,
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/Batteries/{BatteryId}/Actions/Battery.SelfTest`,
    entity: 'Battery',
    post: selfTest,
  },
];
