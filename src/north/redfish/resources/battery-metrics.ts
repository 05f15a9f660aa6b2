/** Batteries/{id}/Metrics: state of charge, pack voltage/current, temperature, stored charge. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { bbuCondition } from '../health.js';
import { bbuUri, sensorUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { bbuOf, readings } from './lookup.js';
import { excerpt, ROOT, round, status } from './util.js';

function metrics(req: Req): JsonObject {
  const m = bbuOf(req);
  const t = req.ctx.gateway.bbu(m.unit);
  const r = readings(req, m.shelf);
  const c = bbuCondition(req.ctx.gateway, m);
  const x = (suffix: string): JsonObject =>
    excerpt(r.value(`${m.id}${suffix}`), sensorUri(m.shelf, `${m.id}${suffix}`));
  const discharging = t?.status.discharging ?? false;
  const current = x('Current');
  return {
    '@odata.id': `${bbuUri(m)}/Metrics`,
    '@odata.type': odataType('BatteryMetrics'),
    Id: 'Metrics',
    Name: `Metrics of battery ${m.id}`,
    Status: status(c.state, c.health),
    ChargePercent: x('StateOfCharge'),
    InputVoltage: excerpt(t ? t.bus.voltageV : null, sensorUri(m.shelf, 'BusVoltage')),
    OutputVoltages: [x('Voltage')],
    // SBS sign: positive while charging (input), negative while discharging (output).
    InputCurrentAmps: discharging ? excerpt(0) : current,
    OutputCurrentAmps: [
      discharging
        ? excerpt(t ? -t.pack.currentA : null, sensorUri(m.shelf, `${m.id}Current`))
        : excerpt(0),
    ],
    TemperatureCelsius: x('Temp'),
    StoredChargeAmpHours: excerpt(t ? t.charge.remainingAh : null),
    StoredEnergyWattHours: excerpt(t ? round(t.charge.remainingAh * t.pack.voltageV, 1) : null),
    DischargeCycles: t ? t.counters.dischargeEvents : null,
  };
}

export const batteryMetricsRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/PowerSubsystem/Batteries/{BatteryId}/Metrics`,
    entity: 'BatteryMetrics',
    get: metrics,
  },
];
