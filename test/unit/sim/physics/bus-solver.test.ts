import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BusSolver } from '../../../../sim/physics/bus-solver.js';

/** Residual of the energy equation the solver promises to satisfy. */
function residual(s: BusSolver, v0: number, c: number, dt: number, sink: number, v1: number) {
  let p = 0;
  for (let k = 0; k < s.n; k++) p += v1 * s.current(k, v1);
  return 0.5 * c * (v1 * v1 - v0 * v0) - dt * (p - sink);
}

describe('BusSolver', () => {
  it('settles on the droop line where N equal sources share a constant-power load', () => {
    const s = new BusSolver(6);
    const rated = 110; // A, 5.5 kW at 50 V
    for (let k = 0; k < 6; k++) s.setSource(k, 51, 0.5 / rated, 1.6 * rated, 8800);
    let v = 50;
    for (let i = 0; i < 200; i++) v = s.solve(v, 0.03, 1e-3, 26400);
    // Analytic: V² − 51·V + R·P/6 = 0.
    const r = 0.5 / rated;
    const expected = (51 + Math.sqrt(51 * 51 - (4 * r * 26400) / 6)) / 2;
    expect(v).toBeCloseTo(expected, 6);
    expect(s.current(0, v) * v * 6).toBeCloseTo(26400, 1);
  });

  it('draws the capacitor down by exactly the missing energy when no source delivers', () => {
    const s = new BusSolver(1);
    s.disable(0);
    const v1 = s.solve(50, 0.03, 1e-3, 10000);
    expect(0.5 * 0.03 * (50 * 50 - v1 * v1)).toBeCloseTo(10, 9);
  });

  it('collapses to 0 V when the capacitor cannot carry the sink for the step', () => {
    const s = new BusSolver(1);
    s.disable(0);
    expect(s.solve(50, 0.03, 1, 10000)).toBe(0);
  });

  it('satisfies the energy equation for random sources, sinks and steps', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.double({ min: 40, max: 53, noNaN: true }),
            r: fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
            ic: fc.double({ min: 0, max: 300, noNaN: true }),
            pc: fc.double({ min: 0, max: 10000, noNaN: true }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.double({ min: 44, max: 52, noNaN: true }),
        fc.double({ min: 0, max: 40000, noNaN: true }),
        fc.constantFrom(5e-5, 1e-3),
        (srcs, v0, sink, dt) => {
          const s = new BusSolver(srcs.length);
          srcs.forEach((x, k) => s.setSource(k, x.a, x.r, x.ic, x.pc));
          const v1 = s.solve(v0, 0.03, dt, sink);
          expect(v1).toBeGreaterThanOrEqual(0);
          if (v1 > 0) expect(Math.abs(residual(s, v0, 0.03, dt, sink, v1))).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 500 },
    );
  });
});
