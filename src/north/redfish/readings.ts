/**
 * Every Sensor of a shelf chassis, defined once: id, reading type, context, thresholds and how
 * to read it from the gateway (`summary()`, `psu(unit)`, `bbu(unit)`). The Sensor resources,
 * the excerpts in PowerSupplyMetrics/BatteryMetrics/EnvironmentMetrics and the threshold
 * events all read these definitions, so one value has one name and one URI.
 */
import type { Gateway } from '../../gateway/index.js';
import type { BbuTelemetry, PsuTelemetry } from '../../devices/index.js';
import { psuNominalVac, psuRatedW, type ModuleView, type ShelfView } from './model.js';

export type ReadingType = 'Voltage' | 'Current' | 'Power' | 'Temperature' | 'Percent' | 'Frequency';

export interface Thresholds {
  readonly LowerCritical?: number;
  readonly LowerCaution?: number;
  readonly UpperCaution?: number;
  readonly UpperCritical?: number;
}

export interface Reading {
  readonly value: number | null;
  /** Unix ms the value was sampled, or null when never read. */
  readonly atEpochMs: number | null;
}

export interface SensorDef {
  readonly id: string;
  readonly name: string;
  readonly type: ReadingType;
  readonly units: string;
  readonly physicalContext: string;
  readonly electricalContext?: string;
  readonly voltageType?: 'AC' | 'DC';
  readonly thresholds?: Thresholds;
  /** @odata.id of the PowerSupply/Battery the sensor belongs to. */
  readonly relatedItem?: string;
  read(): Reading;
}

/** Bus thresholds: 48.5 V is the BBU native trigger, 46 V the ride-through floor (DESIGN §5). */
export const BUS_THRESHOLDS: Thresholds = {
  LowerCritical: 46,
  LowerCaution: 48.5,
  UpperCaution: 52.5,
  UpperCritical: 54,
};
/** PSU inlet air: the simulated (and typical) PSU raises its inlet alarm above 60 °C. */
const INLET_THRESHOLDS: Thresholds = { UpperCaution: 55, UpperCritical: 60 };
/** PFC drops out below ~180 Vac; the input range ends at 305 Vac. */
const acThresholds = (nominal: number): Thresholds => ({
  LowerCritical: 180,
  LowerCaution: Math.round(nominal * 0.9),
  UpperCaution: Math.round(nominal * 1.1),
  UpperCritical: 305,
});

const NONE: Reading = { value: null, atEpochMs: null };

/**
 * `gateway.summary()` walks every fresh value (≈1 ms on a shelf); a monitor tick or a page
 * reads it several times at one instant, so it is taken once per clock instant.
 */
const summaries = new WeakMap<Gateway, { atMs: number; s: ReturnType<Gateway['summary']> }>();
export function summaryNow(gw: Gateway): ReturnType<Gateway['summary']> {
  const now = gw.clock.nowMs();
  const hit = summaries.get(gw);
  if (hit && hit.atMs === now) return hit.s;
  const s = gw.summary();
  summaries.set(gw, { atMs: now, s });
  return s;
}

export const chassisUri = (s: ShelfView): string => `/redfish/v1/Chassis/${s.chassisId}`;
export const sensorUri = (s: ShelfView, id: string): string => `${chassisUri(s)}/Sensors/${id}`;
export const psuUri = (m: ModuleView): string =>
  `${chassisUri(m.shelf)}/PowerSubsystem/PowerSupplies/${m.id}`;
export const bbuUri = (m: ModuleView): string =>
  `${chassisUri(m.shelf)}/PowerSubsystem/Batteries/${m.id}`;

/** Power a BBU delivers to the bus while discharging (pack side), W. */
export const bbuDischargeW = (t: BbuTelemetry): number =>
  t.status.discharging ? Math.max(0, -t.pack.currentA) * t.pack.voltageV : 0;

export class ShelfReadings {
  readonly sensors: readonly SensorDef[];
  private readonly byId: ReadonlyMap<string, SensorDef>;

  constructor(
    private readonly gw: Gateway,
    readonly shelf: ShelfView,
    allShelves: readonly ShelfView[],
    hostsCap: boolean,
  ) {
    const defs: SensorDef[] = [];
    const at = (monoMs: number | undefined): number | null =>
      monoMs === undefined ? null : gw.toEpoch(monoMs);
    const psuRead = (m: ModuleView, f: (t: PsuTelemetry) => [number, number]) => (): Reading => {
      const t = gw.psu(m.unit);
      if (!t) return NONE;
      const [v, ms] = f(t);
      return { value: v, atEpochMs: at(ms) };
    };
    const bbuRead = (m: ModuleView, f: (t: BbuTelemetry) => [number, number]) => (): Reading => {
      const t = gw.bbu(m.unit);
      if (!t) return NONE;
      const [v, ms] = f(t);
      return { value: v, atEpochMs: at(ms) };
    };
    const shelfSum =
      (shelves: readonly ShelfView[], f: (t: PsuTelemetry) => number) => (): Reading => {
        let sum = 0;
        let newest: number | undefined;
        let any = false;
        for (const s of shelves)
          for (const m of s.psus) {
            const t = gw.psu(m.unit);
            if (!t) continue;
            any = true;
            sum += f(t);
            newest = Math.max(newest ?? -Infinity, t.input.sampledAtMs);
          }
        return any ? { value: sum, atEpochMs: at(newest) } : NONE;
      };
    const busV = (): Reading => {
      const s = summaryNow(gw);
      return {
        value: s.busV,
        atEpochMs: s.busV === null ? null : gw.clock.epochMs() - (s.busAgeMs ?? 0),
      };
    };
    const busPower = (): Reading => {
      const out = shelfSum([shelf], (t) => t.output.powerW)();
      let bbuW = 0;
      for (const m of shelf.bbus) {
        const t = gw.bbu(m.unit);
        if (t) bbuW += bbuDischargeW(t);
      }
      return out.value === null ? out : { value: out.value + bbuW, atEpochMs: out.atEpochMs };
    };
    const capacity = shelf.psus.reduce((a, m) => a + psuRatedW(m.family), 0);

    defs.push(
      {
        id: 'BusVoltage',
        name: 'DC bus voltage',
        type: 'Voltage',
        units: 'V',
        physicalContext: 'DCBus',
        voltageType: 'DC',
        electricalContext: 'Total',
        thresholds: BUS_THRESHOLDS,
        read: busV,
      },
      {
        id: 'BusPower',
        name: 'DC bus power from this shelf (PSUs and discharging BBUs)',
        type: 'Power',
        units: 'W',
        physicalContext: 'DCBus',
        electricalContext: 'Total',
        read: busPower,
      },
      {
        id: 'BusCurrent',
        name: 'DC bus current from this shelf',
        type: 'Current',
        units: 'A',
        physicalContext: 'DCBus',
        electricalContext: 'Total',
        read: () => {
          const p = busPower();
          const v = busV().value;
          return p.value === null || v === null || v <= 0
            ? NONE
            : { value: p.value / v, atEpochMs: p.atEpochMs };
        },
      },
      {
        id: 'ShelfInputPower',
        name: 'AC input power of the shelf',
        type: 'Power',
        units: 'W',
        physicalContext: 'ACInput',
        electricalContext: 'Total',
        thresholds: capacity > 0 ? { UpperCaution: capacity * 0.9, UpperCritical: capacity } : {},
        read: shelfSum([shelf], (t) => t.input.powerW),
      },
      {
        id: 'ShelfInletTemp',
        name: 'Shelf inlet air temperature (hottest PSU inlet)',
        type: 'Temperature',
        units: 'Cel',
        physicalContext: 'Intake',
        thresholds: INLET_THRESHOLDS,
        read: () => {
          let best: Reading = NONE;
          for (const m of shelf.psus) {
            const t = gw.psu(m.unit);
            if (t && (best.value === null || t.thermal.inletC > best.value))
              best = { value: t.thermal.inletC, atEpochMs: at(t.thermal.sampledAtMs) };
          }
          return best;
        },
      },
    );
    if (hostsCap)
      defs.push({
        id: 'RackInputPower',
        name: 'AC input power of the rack (all shelves)',
        type: 'Power',
        units: 'W',
        physicalContext: 'ACInput',
        electricalContext: 'Total',
        read: shelfSum(allShelves, (t) => t.input.powerW),
      });
    for (const m of shelf.psus) {
      const n = m.id;
      const rel = psuUri(m);
      const ac = { voltageType: 'AC' as const, relatedItem: rel };
      const dc = { voltageType: 'DC' as const, relatedItem: rel, physicalContext: 'DCBus' };
      defs.push(
        {
          id: `${n}InputVoltage`,
          name: `${n} AC input voltage`,
          type: 'Voltage',
          units: 'V',
          physicalContext: 'ACInput',
          electricalContext: 'Line1ToNeutral',
          thresholds: acThresholds(psuNominalVac(m.family)),
          ...ac,
          read: psuRead(m, (t) => [t.input.voltageV, t.input.sampledAtMs]),
        },
        {
          id: `${n}InputCurrent`,
          name: `${n} AC input current`,
          type: 'Current',
          units: 'A',
          physicalContext: 'ACInput',
          electricalContext: 'Line1',
          ...ac,
          read: psuRead(m, (t) => [t.input.currentA, t.input.sampledAtMs]),
        },
        {
          id: `${n}InputPower`,
          name: `${n} AC input power`,
          type: 'Power',
          units: 'W',
          physicalContext: 'ACInput',
          electricalContext: 'Total',
          ...ac,
          read: psuRead(m, (t) => [t.input.powerW, t.input.sampledAtMs]),
        },
        {
          id: `${n}InputFrequency`,
          name: `${n} AC input frequency`,
          type: 'Frequency',
          units: 'Hz',
          physicalContext: 'ACInput',
          electricalContext: 'Total',
          ...ac,
          read: psuRead(m, (t) => [t.input.frequencyHz, t.input.sampledAtMs]),
        },
        {
          id: `${n}OutputVoltage`,
          name: `${n} DC output voltage`,
          type: 'Voltage',
          units: 'V',
          electricalContext: 'Total',
          ...dc,
          read: psuRead(m, (t) => [t.output.voltageV, t.output.sampledAtMs]),
        },
        {
          id: `${n}OutputCurrent`,
          name: `${n} DC output current`,
          type: 'Current',
          units: 'A',
          electricalContext: 'Total',
          ...dc,
          read: psuRead(m, (t) => [t.output.currentA, t.output.sampledAtMs]),
        },
        {
          id: `${n}OutputPower`,
          name: `${n} DC output power`,
          type: 'Power',
          units: 'W',
          electricalContext: 'Total',
          ...dc,
          read: psuRead(m, (t) => [t.output.powerW, t.output.sampledAtMs]),
        },
        {
          id: `${n}InletTemp`,
          name: `${n} inlet temperature`,
          type: 'Temperature',
          units: 'Cel',
          physicalContext: 'Intake',
          thresholds: INLET_THRESHOLDS,
          relatedItem: rel,
          read: psuRead(m, (t) => [t.thermal.inletC, t.thermal.sampledAtMs]),
        },
        {
          id: `${n}OutletTemp`,
          name: `${n} outlet temperature`,
          type: 'Temperature',
          units: 'Cel',
          physicalContext: 'Exhaust',
          relatedItem: rel,
          read: psuRead(m, (t) => [t.thermal.outletC, t.thermal.sampledAtMs]),
        },
      );
    }
    for (const m of shelf.bbus) {
      const n = m.id;
      const rel = bbuUri(m);
      defs.push(
        {
          id: `${n}StateOfCharge`,
          name: `${n} state of charge`,
          type: 'Percent',
          units: '%',
          physicalContext: 'Battery',
          relatedItem: rel,
          read: bbuRead(m, (t) => [t.charge.socPct, t.charge.sampledAtMs]),
        },
        {
          id: `${n}Voltage`,
          name: `${n} pack voltage`,
          type: 'Voltage',
          units: 'V',
          physicalContext: 'Battery',
          voltageType: 'DC',
          electricalContext: 'Total',
          relatedItem: rel,
          read: bbuRead(m, (t) => [t.pack.voltageV, t.pack.sampledAtMs]),
        },
        {
          id: `${n}Current`,
          name: `${n} pack current (positive while charging)`,
          type: 'Current',
          units: 'A',
          physicalContext: 'Battery',
          electricalContext: 'Total',
          relatedItem: rel,
          read: bbuRead(m, (t) => [t.pack.currentA, t.pack.sampledAtMs]),
        },
        {
          id: `${n}Temp`,
          name: `${n} hottest cell temperature`,
          type: 'Temperature',
          units: 'Cel',
          physicalContext: 'Battery',
          relatedItem: rel,
          read: bbuRead(m, (t) => [Math.max(...t.thermal.cellTempsC), t.thermal.sampledAtMs]),
        },
      );
    }
    this.sensors = defs;
    this.byId = new Map(defs.map((d) => [d.id, d]));
  }

  get(id: string): SensorDef | undefined {
    return this.byId.get(id);
  }

  /** The value of a sensor now (null when unknown). */
  value(id: string): number | null {
    return this.byId.get(id)?.read().value ?? null;
  }
}

const cache = new WeakMap<ShelfView, ShelfReadings>();

/** The (cached) sensor set of a shelf; rebuilt when the model's shelf objects change. */
export function readingsOf(
  gw: Gateway,
  shelf: ShelfView,
  allShelves: readonly ShelfView[],
): ShelfReadings {
  let r = cache.get(shelf);
  if (!r) cache.set(shelf, (r = new ShelfReadings(gw, shelf, allShelves, shelf === allShelves[0])));
  return r;
}
