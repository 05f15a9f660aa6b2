/**
 * The simulated shelf the integration tests serve: one ORv3 shelf (PSUs 200–205, BBUs 64–69,
 * 19200 baud) at a constant load, stepped to a settled state and then held still, so every value
 * a real master reads can be compared exactly with what the physics holds.
 */
import { parseScenario } from '../../../sim/scenario/index.js';
import { Simulation } from '../../../sim/simulation.js';
import type { DeviceEntry } from '../../../sim/facade/index.js';
import { decodeRegister, type RegisterDef, type RegisterValue } from '../../../src/regmap/index.js';

export const ORV3_BAUD = 19200;

export function orv3Simulation(watts = 9000): Simulation {
  const sim = new Simulation(
    parseScenario({
      name: 'integration-orv3-constant',
      durationS: 60,
      seed: 1,
      criteria: {},
      zone: { preset: 'orv3-18kw' },
      load: { kind: 'constant', watts },
      grid: { nominalVac: 277, events: [] },
    }),
  );
  sim.advanceTo(2_000_000);
  return sim;
}

export function entry(sim: Simulation, address: number): DeviceEntry {
  const e = sim.devices.list().find((d) => d.modbusAddress === address);
  if (e === undefined) throw new Error(`no device at ${address}`);
  return e;
}

export function def(e: DeviceEntry, name: string): RegisterDef {
  const d = e.modbus.map.byName.get(name);
  if (d === undefined) throw new Error(`${e.family} has no register ${name}`);
  return d;
}

/** Decodes a register out of words read from `start` on (as a master got them). */
export function decodeAt(d: RegisterDef, start: number, words: ArrayLike<number>): RegisterValue {
  return decodeRegister(d, Array.from(words).slice(d.begin - start, d.end - start));
}

/** One step of a FLOAT register (its resolution), for comparisons with the physics. */
export function lsb(d: RegisterDef): number {
  return d.format === 'FLOAT' ? d.scale / 2 ** d.precision : d.scale;
}
