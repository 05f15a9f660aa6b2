/** Chassis/{id}/PowerSubsystem: capacity, redundancy, and the PSU and BBU collections. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { bbuCondition, psuCondition, worst } from '../health.js';
import { psuRatedW } from '../model.js';
import { chassisUri, psuUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { shelfOf } from './lookup.js';
import { link, ROOT, status } from './util.js';

function powerSubsystem(req: Req): JsonObject {
  const s = shelfOf(req);
  const gw = req.ctx.gateway;
  const uri = `${chassisUri(s)}/PowerSubsystem`;
  const psu = s.psus.map((m) => psuCondition(gw, m));
  const working = psu.filter((c) => !c.failed && c.line === 'Normal').length;
  // N+1 on a 6-PSU shelf: the shelf rating is carried by N; one may fail without loss.
  const needed = Math.max(1, s.psus.length - 1);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('PowerSubsystem'),
    Id: 'PowerSubsystem',
    Name: `Power subsystem of power shelf ${s.id}`,
    CapacityWatts: s.psus.reduce((a, m) => a + psuRatedW(m.family), 0),
    PowerSupplies: link(`${uri}/PowerSupplies`),
    Batteries: link(`${uri}/Batteries`),
    PowerSupplyRedundancy: [
      {
        RedundancyType: 'NPlusM',
        MaxSupportedInGroup: s.psus.length,
        MinNeededInGroup: needed,
        RedundancyGroup: s.psus.map((m) => link(psuUri(m))),
        Status: status(
          'Enabled',
          working >= s.psus.length ? 'OK' : working >= needed ? 'Warning' : 'Critical',
        ),
      },
    ],
    Status: status(
      'Enabled',
      worst([...psu.map((c) => c.health), ...s.bbus.map((m) => bbuCondition(gw, m).health)]),
    ),
  };
}

export const powerSubsystemRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem`,
    entity: 'PowerSubsystem',
    get: powerSubsystem,
  },
];
