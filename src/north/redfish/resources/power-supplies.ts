/**
 * PowerSupplies collection and PowerSupply/{id}: identity and status from the gateway's PSU
 * telemetry, LocationIndicatorActive → commands.locate, PowerSupply.Reset → commands.psuReset.
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { httpError } from '../http/errors.js';
import { psuCondition } from '../health.js';
import { psuNominalVac, psuRatedW, type ModuleView } from '../model.js';
import { chassisUri, psuUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { psuOf, shelfOf } from './lookup.js';
import {
  checkActionParams,
  checkPatch,
  collection,
  expectBoolean,
  link,
  noContent,
  ROOT,
  status,
} from './util.js';

export const RESET_TYPES = { ForceRestart: 'clear-faults', PowerCycle: 'power-cycle' } as const;

const nominalType = (family: string): string =>
  psuNominalVac(family) === 277 ? 'AC277V' : 'AC200To277V';

/** `YYYY-MM-DD` from the device → a Redfish date-time, or null when it is not a date. */
export function productionDate(s: string | undefined): string | null {
  return s !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : null;
}

export const locateKey = 'LocationIndicatorActive';

function powerSupply(req: Req): JsonObject {
  const m = psuOf(req);
  const gw = req.ctx.gateway;
  const t = gw.psu(m.unit);
  const c = psuCondition(gw, m);
  const uri = psuUri(m);
  const id = t?.identity;
  return {
    '@odata.id': uri,
    '@odata.type': odataType('PowerSupply'),
    Id: m.id,
    Name: `Power supply ${m.slot + 1} (Modbus unit ${m.unit})`,
    Manufacturer: id?.manufacturer ?? null,
    Model: id?.model ?? null,
    SerialNumber: id?.serial ?? null,
    PartNumber: id?.partNumber ?? null,
    FirmwareVersion: id?.fwRevision ?? null,
    Version: id?.hwRevision ?? null,
    ProductionDate: productionDate(id?.date),
    PowerSupplyType: 'AC',
    InputNominalVoltageType: nominalType(m.family),
    InputRanges: [
      { NominalVoltageType: nominalType(m.family), CapacityWatts: psuRatedW(m.family) },
    ],
    PowerCapacityWatts: psuRatedW(m.family),
    LineInputStatus: c.line,
    OutputRails: [{ NominalVoltage: t?.settings.voutSetpointV ?? 50, PhysicalContext: 'DCBus' }],
    HotPluggable: true,
    Replaceable: true,
    LocationIndicatorActive: req.ctx.props.get(uri, locateKey, false),
    Location: {
      PartLocation: {
        ServiceLabel: `PSU ${m.slot + 1}`,
        LocationType: 'Bay',
        LocationOrdinalValue: m.slot,
      },
    },
    Status: status(c.state, c.health),
    Metrics: link(`${uri}/Metrics`),
    Actions: {
      '#PowerSupply.Reset': {
        target: `${uri}/Actions/PowerSupply.Reset`,
        'ResetType@Redfish.AllowableValues': Object.keys(RESET_TYPES),
      },
    },
  };
}

/** Runs a gateway command for a module; a refusal becomes 409 ResourceInUse (reason logged). */
export async function command(
  req: Req,
  m: ModuleView,
  what: string,
  run: () => Promise<{ ok: boolean; reason?: string }>,
) {
  const r = await req.ctx.busy.run(run);
  if (!r.ok) {
    req.ctx.log.info(`${what} refused`, { device: m.deviceId, reason: r.reason ?? '' });
    throw httpError(409, 'Base.ResourceInUse');
  }
}

async function patchPowerSupply(req: Req) {
  const m = psuOf(req);
  const body = req.body!;
  checkPatch(
    body,
    [locateKey],
    [
      'Id',
      'Name',
      'Model',
      'Manufacturer',
      'SerialNumber',
      'PartNumber',
      'Status',
      'PowerCapacityWatts',
    ],
  );
  const on = expectBoolean(body[locateKey], locateKey);
  await command(req, m, 'locate', () => req.ctx.gateway.commands.locate(m.deviceId, on));
  req.ctx.props.set(psuUri(m), locateKey, on);
  return noContent;
}

async function reset(req: Req) {
  const m = psuOf(req);
  const action = 'PowerSupply.Reset';
  const b = checkActionParams(action, req.body, ['ResetType']);
  const type = b['ResetType'] ?? 'ForceRestart';
  if (typeof type !== 'string' || !(type in RESET_TYPES))
    throw httpError(
      400,
      'Base.ActionParameterValueNotInList',
      JSON.stringify(type),
      'ResetType',
      action,
    );
  const kind = RESET_TYPES[type as keyof typeof RESET_TYPES];
  await command(req, m, action, () => req.ctx.gateway.commands.psuReset(m.deviceId, kind));
  return noContent;
}

export const powerSupplyRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/PowerSupplies`,
    entity: 'PowerSupplyCollection',
    get: (req) => {
      const s = shelfOf(req);
      return collection(
        `${chassisUri(s)}/PowerSubsystem/PowerSupplies`,
        'PowerSupplyCollection',
        'Power Supplies',
        s.psus.map(psuUri),
      );
    },
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/PowerSupplies/{PowerSupplyId}`,
    entity: 'PowerSupply',
    get: powerSupply,
    patch: patchPowerSupply,
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/PowerSupplies/{PowerSupplyId}/Actions/PowerSupply.Reset`,
    entity: 'PowerSupply',
    post: reset,
  },
];
