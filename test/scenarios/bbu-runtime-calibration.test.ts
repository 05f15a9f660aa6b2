/**
 * The BBU energy presets are calibrated to the facts: rated power for ~90 s, and up to 240 s at
 * light load (DESIGN.md §5). Holds `bbuEnergyWh` of both presets there.
 */
import { describe, expect, it } from 'vitest';
import { inlineScenario, simulate } from '../support/sim.js';

function runtimeS(preset: string, loadW: number): number {
  const s = inlineScenario({
    name: `runtime-${preset}-${loadW}`,
    durationS: 400,
    zone: { preset },
    load: { kind: 'constant', watts: loadW },
    grid: { events: [{ atS: 1, pu: 0, durationMs: 398_000 }] },
    // Lift the max-discharge-time cap so that only the energy decides.
    physics: { bbu: { maxDischargeS: 0 } },
  });
  const sim = simulate(s);
  const inst = sim.instruments;
  let start: number | null = null;
  let end: number | null = null;
  sim.advanceTo(400e6, () => {
    const w = inst.bbuDischargeW();
    if (start === null && w > 0) start = inst.tS;
    if (start !== null && end === null && inst.loadDropCount > 0) end = inst.tS;
  });
  expect(start).not.toBeNull();
  expect(end).not.toBeNull();
  return end! - start!;
}

describe('BBU runtime calibration', () => {
  it.each([
    ['orv3-18kw', 18000],
    ['orv3-hpr-33kw', 33000],
  ])('%s carries its rated %d W for 90 ± 5 s', (preset, w) => {
    const t = runtimeS(preset, w);
    expect(t).toBeGreaterThan(85);
    expect(t).toBeLessThan(95);
  });

  it('lasts about 240 s at 37.5 % of rated (ORv3)', () => {
    const t = runtimeS('orv3-18kw', 0.375 * 18000);
    expect(t).toBeGreaterThan(220);
    expect(t).toBeLessThan(290);
  });
});
