/** PowerSupplies/{id}/Metrics: the PSU's input, output and temperature as sensor excerpts. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { psuCondition } from '../health.js';
import { psuUri, sensorUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { psuOf, readings } from './lookup.js';
import { excerpt, ROOT, status } from './util.js';

function metrics(req: Req): JsonObject {
  const m = psuOf(req);
  const r = readings(req, m.shelf);
  const c = psuCondition(req.ctx.gateway, m);
  const x = (suffix: string): JsonObject =>
    excerpt(r.value(`${m.id}${suffix}`), sensorUri(m.shelf, `${m.id}${suffix}`));
  return {
    '@odata.id': `${psuUri(m)}/Metrics`,
    '@odata.type': odataType('PowerSupplyMetrics'),
    Id: 'Metrics',
    Name: `Metrics of power supply ${m.id}`,
    Status: status(c.state, c.health),
    InputVoltage: x('InputVoltage'),
    InputCurrentAmps: x('InputCurrent'),
    InputPowerWatts: x('InputPower'),
    FrequencyHz: x('InputFrequency'),
    OutputPowerWatts: x('OutputPower'),
    RailVoltage: [x('OutputVoltage')],
    RailCurrentAmps: [x('OutputCurrent')],
    RailPowerWatts: [x('OutputPower')],
    TemperatureCelsius: x('InletTemp'),
  };
}

export const powerSupplyMetricsRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/PowerSupplies/{PowerSupplyId}/Metrics`,
    entity: 'PowerSupplyMetrics',
    get: metrics,
  },
];
