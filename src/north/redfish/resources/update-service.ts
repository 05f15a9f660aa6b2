/**
 * UpdateService and its FirmwareInventory: the gateway's own version and each PSU's and BBU's
 * firmware as the gateway read it. Nothing is updateable through Redfish (no image transfer).
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import type { ModuleView } from '../model.js';
import { bbuUri, psuUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { collection, link, ROOT, status } from './util.js';

const SERVICE = `${ROOT}/UpdateService`;
const INVENTORY = `${SERVICE}/FirmwareInventory`;
const GATEWAY_ID = 'Gateway';
const itemId = (m: ModuleView): string => `${m.shelf.chassisId}_${m.id}`;

function modules(req: Req): ModuleView[] {
  return req.ctx.model.shelves().flatMap((s) => [...s.psus, ...s.bbus]);
}

function item(req: Req): JsonObject {
  const id = req.params['SoftwareInventoryId']!;
  const base = {
    '@odata.id': `${INVENTORY}/${id}`,
    '@odata.type': odataType('SoftwareInventory'),
    Id: id,
    Updateable: false,
    Status: status('Enabled', 'OK'),
  };
  if (id === GATEWAY_ID)
    return {
      ...base,
      Name: 'orv3-gateway firmware',
      Version: req.ctx.info.firmwareVersion,
      Manufacturer: req.ctx.info.vendor,
      RelatedItem: [link(`${ROOT}/Managers/${req.ctx.info.managerId}`)],
    };
  const m = modules(req).find((x) => itemId(x) === id);
  if (!m) throw notFound('SoftwareInventory', id);
  const t = m.kind === 'psu' ? req.ctx.gateway.psu(m.unit) : req.ctx.gateway.bbu(m.unit);
  return {
    ...base,
    Name: `${m.kind.toUpperCase()} firmware (${m.shelf.chassisId} ${m.id})`,
    Version: t?.identity.fwRevision ?? null,
    Manufacturer: t?.identity.manufacturer ?? null,
    RelatedItem: [link(m.kind === 'psu' ? psuUri(m) : bbuUri(m))],
  };
}

export const updateServiceRoutes: RouteDef[] = [
  {
    path: SERVICE,
    entity: 'UpdateService',
    get: () => ({
      '@odata.id': SERVICE,
      '@odata.type': odataType('UpdateService'),
      Id: 'UpdateService',
      Name: 'Update Service',
      ServiceEnabled: false,
      FirmwareInventory: link(INVENTORY),
      Status: status('Enabled', 'OK'),
    }),
  },
  {
    path: INVENTORY,
    entity: 'SoftwareInventoryCollection',
    get: (req) =>
      collection(
        INVENTORY,
        'SoftwareInventoryCollection',
        'Firmware inventory',
        [GATEWAY_ID, ...modules(req).map(itemId)].map((i) => `${INVENTORY}/${i}`),
      ),
  },
  { path: `${INVENTORY}/{SoftwareInventoryId}`, entity: 'SoftwareInventory', get: item },
];
