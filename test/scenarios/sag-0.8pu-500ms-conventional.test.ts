/** Acceptance (issue 2): a 0.8 p.u. sag is above the PFC limit and rides through without BBU. */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run/runner.js';
import { libraryScenario, simulate } from '../support/sim.js';

describe('sag-0.8pu-500ms-at-80pct, conventional shelf', () => {
  const scenario = libraryScenario('sag-0.8pu-500ms-at-80pct');

  it('keeps every PFC running, never triggers a BBU and never restarts a PSU', () => {
    const sim = simulate(scenario);
    const inst = sim.instruments;
    let allRunning = true;
    let minVac = Infinity;
    sim.advanceTo(scenario.durationS * 1e6, () => {
      minVac = Math.min(minVac, inst.vacV);
      for (let i = 0; i < inst.psuCount; i++)
        if (inst.psu(i).state !== 'running') allRunning = false;
    });
    expect(minVac).toBeCloseTo(0.8 * scenario.grid.nominalVac, 6);
    expect(minVac).toBeGreaterThan(scenario.physics.psu.derateStartVac);
    expect(allRunning).toBe(true);
    expect(inst.nativeTriggers()).toBe(0);
  });

  it('reports a ride-through with PFAPR 0 and no BBU energy', () => {
    const r = runScenario(scenario);
    expect(r.rideThrough).toBe(true);
    expect(r.bbuNativeTriggers).toBe(0);
    expect(r.bbuEnergyWh).toBe(0);
    expect(r.pfaprS).toBe(0);
    expect(r.psuRestartDelaysS.every((d) => d === null)).toBe(true);
    expect(r.criteriaPassed).toBe(true);
  });
});
