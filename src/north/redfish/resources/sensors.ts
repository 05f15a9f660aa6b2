/** Chassis/{id}/Sensors: every reading of the shelf (bus, PSU inputs/outputs, BBUs, temperatures). */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import {
  chassisUri,
  sensorUri,
  type Reading,
  type SensorDef,
  type Thresholds,
} from '../readings.js';
import { odataType } from '../schemas.js';
import { readings, shelfOf } from './lookup.js';
import type { Health } from './util.js';
import { collection, isoTime, link, ROOT, round, status } from './util.js';

/** Health of a reading against its thresholds. */
export function thresholdHealth(v: number | null, t: Thresholds | undefined): Health | null {
  if (v === null) return null;
  if (!t) return 'OK';
  if (
    (t.LowerCritical !== undefined && v < t.LowerCritical) ||
    (t.UpperCritical !== undefined && v > t.UpperCritical)
  )
    return 'Critical';
  if (
    (t.LowerCaution !== undefined && v < t.LowerCaution) ||
    (t.UpperCaution !== undefined && v > t.UpperCaution)
  )
    return 'Warning';
  return 'OK';
}

function thresholdsJson(t: Thresholds): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(t)) if (v !== undefined) out[k] = { Reading: round(v, 2) };
  return out;
}

/**
 * A power sensor's peak since start or ResetMetrics: the monitor's, or the reading being served
 * when that is higher or the monitor has not ticked yet. Always present on power sensors (null
 * until the first reading), so the property is there from the service's start.
 */
function peakJson(req: Req, uri: string, r: Reading): JsonObject {
  const p = req.ctx.monitor.peak(uri);
  const peak =
    r.value !== null && r.atEpochMs !== null && (!p || r.value > p.value)
      ? { value: r.value, atEpochMs: r.atEpochMs }
      : p;
  return {
    PeakReading: peak ? round(peak.value) : null,
    PeakReadingTime: peak ? isoTime(peak.atEpochMs) : null,
  };
}

export function sensorPayload(req: Req, uri: string, d: SensorDef): JsonObject {
  const r = d.read();
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Sensor'),
    Id: d.id,
    Name: d.name,
    ReadingType: d.type,
    ReadingUnits: d.units,
    Reading: r.value === null ? null : round(r.value),
    ReadingTime: r.atEpochMs === null ? null : isoTime(r.atEpochMs),
    SensingInterval: req.ctx.info.sensingInterval,
    PhysicalContext: d.physicalContext,
    ...(d.electricalContext ? { ElectricalContext: d.electricalContext } : {}),
    ...(d.voltageType ? { VoltageType: d.voltageType } : {}),
    ...(d.thresholds ? { Thresholds: thresholdsJson(d.thresholds) } : {}),
    ...(d.type === 'Power' ? peakJson(req, uri, r) : {}),
    ...(d.relatedItem ? { RelatedItem: [link(d.relatedItem)] } : {}),
    Status: status(
      r.value === null ? 'UnavailableOffline' : 'Enabled',
      thresholdHealth(r.value, d.thresholds),
    ),
  };
}

function sensor(req: Req): JsonObject {
  const s = shelfOf(req);
  const id = req.params['SensorId']!;
  const d = readings(req, s).get(id);
  if (!d) throw notFound('Sensor', id);
  return sensorPayload(req, sensorUri(s, id), d);
}

export const sensorRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/Sensors`,
    entity: 'SensorCollection',
    get: (req) => {
      const s = shelfOf(req);
      const ids = readings(req, s).sensors.map((d) => sensorUri(s, d.id));
      return collection(`${chassisUri(s)}/Sensors`, 'SensorCollection', 'Sensors', ids);
    },
  },
  { path: `${ROOT}/Chassis/{ChassisId}/Sensors/{SensorId}`, entity: 'Sensor', get: sensor },
];
