/**
 * Pulse capability and fold-back on the conventional shelf: a load step within the shelf
 * rating is absorbed by droop; a step to 130 % rides on the 160 % pulse capability for the PLS
 * window, then the PSUs fold back (counted) and the bus collapses faster than the BBUs' 2 ms
 * dwell + 2 ms start: the conventional shelf drops the load. (Headroom is why shelves reserve
 * 20–30 %; the gateway's transient assist is the answer.)
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run/runner.js';
import { inlineScenario } from '../support/sim.js';

const stepTo = (watts: number, holdS: number) =>
  inlineScenario({
    name: `step-to-${watts}`,
    durationS: 4,
    zone: { preset: 'orv3-hpr-33kw' },
    load: {
      kind: 'steps',
      baseW: 10000,
      steps: [
        { atS: 1, watts, riseMs: 1 },
        { atS: 1 + holdS, watts: 10000, riseMs: 1 },
      ],
    },
    grid: { events: [] },
    initial: { socPct: 100 },
  });

describe('PSU pulse capability and fold-back (conventional)', () => {
  it('absorbs a step to 95 % of rating on the droop line: no overload, no BBU', () => {
    const r = runScenario(stepTo(0.95 * 33000, 2));
    expect(r.psuOverloadEvents).toBe(0);
    expect(r.bbuNativeTriggers).toBe(0);
    // Droop: 51 V − 0.5 V × 95 %.
    expect(r.minBusV).toBeCloseTo(51 - 0.5 * 0.95 * (50 / r.minBusV), 1);
  });

  it('carries a 10 ms burst to 130 % on the pulse capability without fold-back', () => {
    const r = runScenario(stepTo(1.3 * 33000, 0.01));
    expect(r.psuOverloadEvents).toBe(0);
    expect(r.bbuNativeTriggers).toBe(0);
    expect(r.loadDropped).toBe(false);
  });

  it('folds back after the pulse window on a sustained 130 % step and drops the load', () => {
    const r = runScenario(stepTo(1.3 * 33000, 0.5));
    expect(r.psuOverloadEvents).toBe(6);
    expect(r.minBusV).toBeLessThan(45);
    expect(r.loadDropped).toBe(true);
    expect(r.rideThrough).toBe(false);
  });
});
