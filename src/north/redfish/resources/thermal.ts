/** Chassis/{id}/ThermalSubsystem and its ThermalMetrics: the shelf's temperature readings. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { chassisUri, sensorUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { readings, shelfOf } from './lookup.js';
import { thresholdHealth } from './sensors.js';
import { excerpt, link, ROOT, status } from './util.js';

function thermalSubsystem(req: Req): JsonObject {
  const s = shelfOf(req);
  const r = readings(req, s);
  const temps = r.sensors.filter((d) => d.type === 'Temperature');
  const uri = `${chassisUri(s)}/ThermalSubsystem`;
  return {
    '@odata.id': uri,
    '@odata.type': odataType('ThermalSubsystem'),
    Id: 'ThermalSubsystem',
    Name: `Thermal subsystem of power shelf ${s.id}`,
    ThermalMetrics: link(`${uri}/ThermalMetrics`),
    Status: status(
      'Enabled',
      worstOf(temps.map((d) => thresholdHealth(d.read().value, d.thresholds))),
    ),
  };
}

const worstOf = (hs: readonly (string | null)[]): 'OK' | 'Warning' | 'Critical' =>
  hs.includes('Critical') ? 'Critical' : hs.includes('Warning') ? 'Warning' : 'OK';

function thermalMetrics(req: Req): JsonObject {
  const s = shelfOf(req);
  const r = readings(req, s);
  const temps = r.sensors.filter((d) => d.type === 'Temperature');
  let internal: number | null = null;
  for (const d of temps) {
    if (d.physicalContext === 'Intake') continue;
    const v = d.read().value;
    if (v !== null && (internal === null || v > internal)) internal = v;
  }
  return {
    '@odata.id': `${chassisUri(s)}/ThermalSubsystem/ThermalMetrics`,
    '@odata.type': odataType('ThermalMetrics'),
    Id: 'ThermalMetrics',
    Name: `Thermal metrics of power shelf ${s.id}`,
    TemperatureSummaryCelsius: {
      Ambient: excerpt(r.value('ShelfInletTemp'), sensorUri(s, 'ShelfInletTemp')),
      Internal: excerpt(internal),
    },
    TemperatureReadingsCelsius: temps.map((d) => ({
      ...excerpt(d.read().value, sensorUri(s, d.id)),
      DeviceName: d.name,
      PhysicalContext: d.physicalContext,
    })),
  };
}

export const thermalRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/ThermalSubsystem`,
    entity: 'ThermalSubsystem',
    get: thermalSubsystem,
  },
  {
    path: `${ROOT}/Chassis/{ChassisId}/ThermalSubsystem/ThermalMetrics`,
    entity: 'ThermalMetrics',
    get: thermalMetrics,
  },
];
