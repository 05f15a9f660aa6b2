import { GridSource } from '../../../../sim/physics/grid.js';
import { SimZone } from '../../../../sim/physics/zone.js';
import { DEFAULT_PHYSICS, ZONE_PRESETS } from '../../../../sim/params.js';
import { DeviceDirectory } from '../../../../sim/facade/index.js';
import type { DeviceEntry } from '../../../../sim/facade/index.js';
import { loadBuiltinMaps } from '../../../../src/regmap/index.js';
import type { RegisterDef } from '../../../../src/regmap/index.js';

export const maps = loadBuiltinMaps();

export interface Rig {
  zone: SimZone;
  dir: DeviceDirectory;
  psu: DeviceEntry;
  bbu: DeviceEntry;
}

/**
 * A zone from a preset at a constant load (default 60 % of the PSU rating), stepped 100 ms so
 * every measurement is live.
 */
export function rig(preset = 'orv3-hpr-33kw', watts?: number, socPct = 100): Rig {
  const { bbu, ...zone } = ZONE_PRESETS[preset]!;
  const loadW = watts ?? 0.6 * zone.psuRatedW * zone.psusPerShelf * zone.shelves;
  const load = {
    powerAt: () => loadW,
    nextBreakS: () => Infinity,
    meanW: loadW,
    peakW: loadW,
    description: 'test',
  };
  const z = new SimZone({
    zone,
    physics: DEFAULT_PHYSICS,
    bbuOverrides: bbu ?? {},
    grid: new GridSource({ nominalVac: 277, frequencyHz: 60, events: [] }),
    load,
    seed: 1,
    initialSocPct: socPct,
  });
  z.advanceTo(100_000);
  const dir = new DeviceDirectory(z, { maps });
  const list = dir.list();
  return {
    zone: z,
    dir,
    psu: list.find((e) => e.kind === 'psu')!,
    bbu: list.find((e) => e.kind === 'bbu')!,
  };
}

export function reg(e: DeviceEntry, name: string): RegisterDef {
  const def = e.modbus.map.byName.get(name);
  if (def === undefined) throw new Error(`${e.family} has no register ${name}`);
  return def;
}

/** Reads a whole register through the façade (FC 3) and returns its words. */
export function words(e: DeviceEntry, name: string): Uint16Array {
  const def = reg(e, name);
  return e.modbus.readHoldingRegisters(def.begin, def.length);
}

export function stepMs(r: Rig, ms: number): void {
  r.dir.advanceTo(r.zone.tUs + ms * 1000);
}
