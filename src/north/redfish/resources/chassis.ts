/** ChassisCollection and Chassis/{id}: the physical view of each power shelf. */
import type { Json, JsonObject, Req, RouteDef } from '../http/route.js';
import { typeError } from '../http/errors.js';
import { bbuCondition, psuCondition, worst } from '../health.js';
import { shelfManufacturer } from '../model.js';
import { chassisUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { isCapShelf, shelfOf } from './lookup.js';
import { checkPatch, collection, expectString, link, noContent, ROOT, status } from './util.js';

const READ_ONLY = [
  'Id',
  'Name',
  'ChassisType',
  'Manufacturer',
  'Model',
  'SerialNumber',
  'PartNumber',
  'UUID',
  'Status',
  'PowerState',
  'Links',
];

function chassis(req: Req): JsonObject {
  const s = shelfOf(req);
  const { gateway: gw, props } = req.ctx;
  const uri = chassisUri(s);
  const first = s.psus[0] ? gw.psu(s.psus[0].unit) : undefined;
  const health = worst([
    ...s.psus.map((m) => psuCondition(gw, m).health),
    ...s.bbus.map((m) => bbuCondition(gw, m).health),
  ]);
  const anyOutput = s.psus.some((m) => (gw.psu(m.unit)?.output.powerW ?? 0) > 0);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Chassis'),
    Id: s.chassisId,
    Name: `Power shelf ${s.id}`,
    ChassisType: 'Shelf',
    Manufacturer: shelfManufacturer(gw, s),
    Model: first ? `${first.family.toUpperCase()} shelf` : null,
    SerialNumber: null,
    PartNumber: null,
    UUID: s.uuid,
    AssetTag: props.get(uri, 'AssetTag', ''),
    PowerState: anyOutput ? 'On' : 'Off',
    Status: status('Enabled', health),
    Location: props.get(uri, 'Location', { Placement: { Rack: '' } }),
    EnvironmentMetrics: link(`${uri}/EnvironmentMetrics`),
    PowerSubsystem: link(`${uri}/PowerSubsystem`),
    ThermalSubsystem: link(`${uri}/ThermalSubsystem`),
    Sensors: link(`${uri}/Sensors`),
    ...(isCapShelf(req, s) ? { Controls: link(`${uri}/Controls`) } : {}),
    Links: {
      ManagedBy: [link(`${ROOT}/Managers/${req.ctx.info.managerId}`)],
      PowerDistribution: link(`${ROOT}/PowerEquipment/PowerShelves/${s.id}`),
    },
  };
}

/** Location.Placement fields a client may write, with their JSON types. */
const PLACEMENT: Readonly<Record<string, 'string' | 'number'>> = {
  Rack: 'string',
  Row: 'string',
  RackOffset: 'number',
  RackOffsetUnits: 'string',
};

function patchChassis(req: Req) {
  const s = shelfOf(req);
  const uri = chassisUri(s);
  const body = req.body!;
  checkPatch(body, ['AssetTag', 'Location'], READ_ONLY);
  const asset =
    body['AssetTag'] === undefined ? undefined : expectString(body['AssetTag'], 'AssetTag', 64);
  let location: JsonObject | undefined;
  if (body['Location'] !== undefined) {
    const l = body['Location'];
    if (typeof l !== 'object' || l === null || Array.isArray(l)) throw typeError(l, 'Location');
    const placement = (l as JsonObject)['Placement'];
    const extra = Object.keys(l).find((k) => k !== 'Placement');
    if (extra) throw typeError(l, `Location/${extra}`);
    if (typeof placement !== 'object' || placement === null || Array.isArray(placement))
      throw typeError(placement ?? null, 'Location/Placement');
    const cur = req.ctx.props.get<JsonObject>(uri, 'Location', { Placement: { Rack: '' } });
    const next: Record<string, Json> = { ...(cur['Placement'] as JsonObject) };
    for (const [k, v] of Object.entries(placement)) {
      const t = PLACEMENT[k];
      if (!t) throw typeError(v, `Location/Placement/${k}`);
      if (typeof v !== t) throw typeError(v, `Location/Placement/${k}`);
      if (k === 'RackOffsetUnits' && v !== 'OpenU' && v !== 'EIA_310')
        throw typeError(v, `Location/Placement/${k}`);
      next[k] = v;
    }
    location = { Placement: next };
  }
  if (asset !== undefined) req.ctx.props.set(uri, 'AssetTag', asset);
  if (location) req.ctx.props.set(uri, 'Location', location);
  return noContent;
}

export const chassisRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis`,
    entity: 'ChassisCollection',
    get: (req) =>
      collection(
        `${ROOT}/Chassis`,
        'ChassisCollection',
        'Chassis Collection',
        req.ctx.model.shelves().map(chassisUri),
      ),
  },
  { path: `${ROOT}/Chassis/{ChassisId}`, entity: 'Chassis', get: chassis, patch: patchChassis },
];
