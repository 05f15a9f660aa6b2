/** Chassis/{id}/EnvironmentMetrics: shelf power, temperature, energy, and the rack power limit. */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { typeError } from '../http/errors.js';
import { psuRatedW } from '../model.js';
import { chassisUri, sensorUri } from '../readings.js';
import { odataType } from '../schemas.js';
import { isCapShelf, readings, shelfOf } from './lookup.js';
import { applyCap, capView, controlUri } from './power-limit.js';
import { checkPatch, excerpt, noContent, ROOT } from './util.js';

function environmentMetrics(req: Req): JsonObject {
  const s = shelfOf(req);
  const r = readings(req, s);
  const power = r.value('ShelfInputPower');
  const capacity = s.psus.reduce((a, m) => a + psuRatedW(m.family), 0);
  const energy = req.ctx.monitor.energyKWh(s);
  const body: JsonObject = {
    '@odata.id': `${chassisUri(s)}/EnvironmentMetrics`,
    '@odata.type': odataType('EnvironmentMetrics'),
    Id: 'EnvironmentMetrics',
    Name: `Environment metrics of power shelf ${s.id}`,
    PowerWatts: excerpt(power, sensorUri(s, 'ShelfInputPower')),
    TemperatureCelsius: excerpt(r.value('ShelfInletTemp'), sensorUri(s, 'ShelfInletTemp')),
    EnergykWh: excerpt(energy),
    PowerLoadPercent: excerpt(power === null || capacity === 0 ? null : (100 * power) / capacity),
  };
  if (isCapShelf(req, s)) {
    const c = capView(req, s);
    body['PowerLimitWatts'] = {
      DataSourceUri: controlUri(s),
      SetPoint: c.setPoint,
      DefaultSetPoint: null,
      AllowableMin: c.min,
      AllowableMax: c.max,
      ControlMode: c.mode,
      Reading: c.reading,
    };
  }
  return body;
}

async function patchEnvironmentMetrics(req: Req) {
  const s = shelfOf(req);
  const body = req.body!;
  const known = ['Id', 'Name', 'PowerWatts', 'TemperatureCelsius', 'EnergykWh', 'PowerLoadPercent'];
  checkPatch(body, isCapShelf(req, s) ? ['PowerLimitWatts'] : [], [...known, 'PowerLimitWatts']);
  const pl = body['PowerLimitWatts'];
  if (typeof pl !== 'object' || pl === null || Array.isArray(pl))
    throw typeError(pl ?? null, 'PowerLimitWatts');
  checkPatch(
    pl,
    ['SetPoint', 'ControlMode'],
    ['AllowableMin', 'AllowableMax', 'Reading', 'DataSourceUri', 'DefaultSetPoint'],
  );
  await applyCap(req, pl, 'PowerLimitWatts/');
  return noContent;
}

export const environmentMetricsRoutes: RouteDef[] = [
  {
    path: `${ROOT}/Chassis/{ChassisId}/EnvironmentMetrics`,
    entity: 'EnvironmentMetrics',
    get: environmentMetrics,
    patch: patchEnvironmentMetrics,
  },
];
