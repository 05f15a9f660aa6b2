import { describe, expect, it } from 'vitest';
import { GridSource } from '../../../../sim/physics/grid.js';
import { gridAt } from '../../../../sim/scenario/grid.js';
import type { GridSpec } from '../../../../sim/scenario/types.js';

const spec: GridSpec = {
  nominalVac: 277,
  frequencyHz: 60,
  events: [
    // Ramps lie outside the hold: 1.000 → 1.020 down, hold to 1.220, back up by 1.240.
    { atS: 1, pu: 0.5, durationMs: 200, rampMs: 20, frequencyHz: 59 },
    { atS: 3, pu: 0, durationMs: 100, rampMs: 0, frequencyHz: 60 },
  ],
};

describe('GridSource', () => {
  const g = new GridSource(spec);

  it('follows a trapezoidal sag and a square dropout', () => {
    expect(g.puAt(0.5)).toBe(1);
    expect(g.puAt(1.01)).toBeCloseTo(0.75, 9);
    expect(g.puAt(1.1)).toBe(0.5);
    expect(g.puAt(1.23)).toBeCloseTo(0.75, 9);
    expect(g.puAt(1.24)).toBe(1);
    expect(g.vacAt(3.05)).toBe(0);
    expect(g.frequencyAt(1.1)).toBe(59);
    expect(g.frequencyAt(2)).toBe(60);
  });

  it('agrees with the scenario-level definition of the envelope everywhere', () => {
    for (let t = 0; t < 4; t += 0.0007) {
      const ref = gridAt(spec, t);
      expect(g.puAt(t)).toBeCloseTo(ref.pu, 12);
      expect(g.frequencyAt(t)).toBeCloseTo(ref.frequencyHz, 12);
    }
  });

  it('reports corners so steps never straddle them, in any query order', () => {
    expect(g.nextBreakS(0)).toBe(1);
    expect(g.nextBreakS(1)).toBeCloseTo(1.02, 12);
    expect(g.nextBreakS(3)).toBeCloseTo(3.1, 12);
    expect(g.nextBreakS(3.1)).toBe(Infinity);
    expect(g.nextBreakS(0.5)).toBe(1);
    expect(g.isRamping(1.01)).toBe(true);
    expect(g.isRamping(1.1)).toBe(false);
  });

  it('finds the last return above a threshold', () => {
    expect(g.lastReturnAboveS(0.9, 10)).toBeCloseTo(3.1, 12);
    // The ramped sag crosses 0.9 p.u. 4/5 of the way up its 20 ms ramp.
    expect(g.lastReturnAboveS(0.9, 2)).toBeCloseTo(1.236, 9);
    expect(
      new GridSource({ nominalVac: 230, frequencyHz: 50, events: [] }).lastReturnAboveS(0.9, 10),
    ).toBeNull();
  });
});
