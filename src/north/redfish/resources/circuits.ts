/**
 * PowerShelves/{id}/Mains (the shelf's AC feed, one circuit) and Branches (the DC bus the
 * shelf feeds, one circuit), both from the gateway's PSU/BBU readings.
 */
import type { JsonObject, Req, RouteDef } from '../http/route.js';
import { notFound } from '../http/errors.js';
import { psuCondition, worst } from '../health.js';
import { psuNominalVac, psuRatedW, type ShelfView } from '../model.js';
import { sensorUri, type ShelfReadings } from '../readings.js';
import { odataType } from '../schemas.js';
import { powerShelfOf, readings } from './lookup.js';
import { shelfUri } from './power-equipment.js';
import {
  checkPatch,
  collection,
  excerpt,
  expectString,
  noContent,
  ROOT,
  round,
  status,
} from './util.js';

const MAINS_ID = 'AC1';
const BRANCH_ID = 'DCBus';
const mainsUri = (s: ShelfView): string => `${shelfUri(s)}/Mains/${MAINS_ID}`;
const branchUri = (s: ShelfView): string => `${shelfUri(s)}/Branches/${BRANCH_ID}`;

/** Lowest and summed PSU input readings of a shelf, with the sensor that holds the lowest. */
function acInput(s: ShelfView, r: ShelfReadings) {
  let minV: number | null = null;
  let minId: string | undefined;
  let amps = 0;
  let hz: number | null = null;
  for (const m of s.psus) {
    const v = r.value(`${m.id}InputVoltage`);
    if (v !== null && (minV === null || v < minV)) {
      minV = v;
      minId = `${m.id}InputVoltage`;
    }
    amps += r.value(`${m.id}InputCurrent`) ?? 0;
    hz ??= r.value(`${m.id}InputFrequency`);
  }
  return { minV, minId, amps, hz };
}

function mains(req: Req): JsonObject {
  const s = powerShelfOf(req);
  if (req.params['CircuitId'] !== MAINS_ID) throw notFound('Circuit', req.params['CircuitId']!);
  const r = readings(req, s);
  const ac = acInput(s, r);
  const nominal = psuNominalVac(s.psus[0]?.family ?? 'orv3-psu');
  const capacity = s.psus.reduce((a, m) => a + psuRatedW(m.family), 0);
  const power = r.value('ShelfInputPower');
  const uri = mainsUri(s);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Circuit'),
    Id: MAINS_ID,
    Name: `AC input of power shelf ${s.id}`,
    CircuitType: 'Mains',
    VoltageType: 'AC',
    NominalVoltage: nominal === 277 ? 'AC277V' : 'AC230V',
    PhaseWiringType: 'ThreePhase5Wire',
    ElectricalContext: 'Total',
    RatedCurrentAmps: round(capacity / nominal, 1),
    PowerState: ac.minV !== null && ac.minV > 90 ? 'On' : 'Off',
    Voltage: excerpt(ac.minV, ac.minId ? sensorUri(s, ac.minId) : undefined),
    CurrentAmps: excerpt(ac.amps),
    PowerWatts: excerpt(power, sensorUri(s, 'ShelfInputPower')),
    EnergykWh: excerpt(req.ctx.monitor.energyKWh(s, 'ShelfInputPower')),
    FrequencyHz: excerpt(ac.hz),
    NominalFrequencyHz: 60,
    PowerLoadPercent: excerpt(power === null || capacity === 0 ? null : (100 * power) / capacity),
    UserLabel: req.ctx.props.get(uri, 'UserLabel', ''),
    Status: status(
      'Enabled',
      worst(
        s.psus.map((m) => (psuCondition(req.ctx.gateway, m).line === 'Normal' ? 'OK' : 'Warning')),
      ),
    ),
    Links: {},
  };
}

function branch(req: Req): JsonObject {
  const s = powerShelfOf(req);
  if (req.params['CircuitId'] !== BRANCH_ID) throw notFound('Circuit', req.params['CircuitId']!);
  const r = readings(req, s);
  const busV = r.value('BusVoltage');
  const capacity = s.psus.reduce((a, m) => a + psuRatedW(m.family), 0);
  const power = r.value('BusPower');
  const uri = branchUri(s);
  return {
    '@odata.id': uri,
    '@odata.type': odataType('Circuit'),
    Id: BRANCH_ID,
    Name: `DC bus fed by power shelf ${s.id}`,
    CircuitType: 'Branch',
    VoltageType: 'DC',
    NominalVoltage: 'DC48V',
    // Circuit.PhaseWiringType has no DC value (all six are AC wirings). It stays, as null: the
    // profile's Branches use case makes it Mandatory, so omitting it would be a profile gap,
    // while null (allowed by the schema) says "not applicable" and is only an advisory.
    PhaseWiringType: null,
    ElectricalContext: 'Total',
    RatedCurrentAmps: round(capacity / 48, 1),
    PowerState: busV !== null && busV > 40 ? 'On' : 'Off',
    PowerRestorePolicy: 'AlwaysOn',
    Voltage: excerpt(busV, sensorUri(s, 'BusVoltage')),
    CurrentAmps: excerpt(r.value('BusCurrent'), sensorUri(s, 'BusCurrent')),
    PowerWatts: excerpt(power, sensorUri(s, 'BusPower')),
    EnergykWh: excerpt(req.ctx.monitor.energyKWh(s, 'BusPower')),
    PowerLoadPercent: excerpt(power === null || capacity === 0 ? null : (100 * power) / capacity),
    UserLabel: req.ctx.props.get(uri, 'UserLabel', ''),
    Status: status(
      'Enabled',
      busV === null ? null : busV < 46 ? 'Critical' : busV < 48.5 ? 'Warning' : 'OK',
    ),
    Links: {},
  };
}

function patchCircuit(req: Req) {
  const s = powerShelfOf(req);
  const id = req.params['CircuitId']!;
  const uri = req.path.includes('/Mains/') ? mainsUri(s) : branchUri(s);
  if (!uri.endsWith(`/${id}`)) throw notFound('Circuit', id);
  checkPatch(
    req.body!,
    ['UserLabel'],
    ['Id', 'Name', 'CircuitType', 'Voltage', 'CurrentAmps', 'PowerWatts', 'Status'],
  );
  req.ctx.props.set(uri, 'UserLabel', expectString(req.body!['UserLabel'], 'UserLabel', 64));
  return noContent;
}

export const circuitRoutes: RouteDef[] = [
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}/Mains`,
    entity: 'CircuitCollection',
    get: (req) => {
      const s = powerShelfOf(req);
      return collection(`${shelfUri(s)}/Mains`, 'CircuitCollection', 'Mains', [mainsUri(s)]);
    },
  },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}/Mains/{CircuitId}`,
    entity: 'Circuit',
    get: mains,
    patch: patchCircuit,
  },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}/Branches`,
    entity: 'CircuitCollection',
    get: (req) => {
      const s = powerShelfOf(req);
      return collection(`${shelfUri(s)}/Branches`, 'CircuitCollection', 'Branches', [branchUri(s)]);
    },
  },
  {
    path: `${ROOT}/PowerEquipment/PowerShelves/{PowerDistributionId}/Branches/{CircuitId}`,
    entity: 'Circuit',
    get: branch,
    patch: patchCircuit,
  },
];
