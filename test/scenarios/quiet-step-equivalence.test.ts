/**
 * The 10 ms quiet step only skips work: the same scenario with the quiet step disabled (every
 * step ≤ 1 ms) gives the same result within tight tolerances.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run/runner.js';
import { libraryScenario } from '../support/sim.js';

describe('quiet step', () => {
  it.each(['sag-0pu-150ms-at-80pct', 'training-swing-1hz', 'step-10-to-60pct-10ms'])(
    '%s: same result with and without the quiet step',
    (name) => {
      const s = libraryScenario(name);
      const fine = {
        ...s,
        physics: {
          ...s.physics,
          step: { ...s.physics.step, quietStepUs: s.physics.step.coarseStepUs },
        },
      };
      const a = runScenario(s);
      const b = runScenario(fine);
      expect(a.sim.coarseSteps).toBeLessThan(b.sim.coarseSteps);
      expect(a.minBusV).toBeCloseTo(b.minBusV, 2);
      expect(a.bbuNativeTriggers).toBe(b.bbuNativeTriggers);
      expect(a.psuOverloadEvents).toBe(b.psuOverloadEvents);
      expect(a.psuRestartDelaysS).toEqual(b.psuRestartDelaysS);
      if (b.pfaprS !== null) expect(a.pfaprS!).toBeCloseTo(b.pfaprS, 1);
      expect(a.energy.gridJ).toBeCloseTo(b.energy.gridJ, -2);
      expect(a.minBbuSocPct).toBeCloseTo(b.minBbuSocPct, 3);
    },
  );
});
