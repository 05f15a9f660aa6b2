import { describe, expect, it } from 'vitest';
import {
  gridAt,
  nextGridBreakS,
  parseScenario,
  type GridSpec,
} from '../../../../sim/scenario/index.js';

const grid: GridSpec = parseScenario({
  name: 'g',
  durationS: 10,
  seed: 1,
  zone: { preset: 'orv3-hpr-33kw' },
  load: { kind: 'constant', watts: 1 },
  grid: {
    events: [
      { atS: 1, pu: 0.5, durationMs: 100, rampMs: 50 },
      { atS: 3, pu: 1, durationMs: 1000, frequencyHz: 57 },
    ],
  },
  criteria: {},
}).grid;

describe('grid envelope', () => {
  it('ramps to the depth, holds it for durationMs, and ramps back', () => {
    expect(gridAt(grid, 0.5)).toEqual({ pu: 1, frequencyHz: 60 });
    expect(gridAt(grid, 1.025).pu).toBeCloseTo(0.75, 12);
    expect(gridAt(grid, 1.05).pu).toBe(0.5);
    expect(gridAt(grid, 1.149).pu).toBe(0.5);
    expect(gridAt(grid, 1.175).pu).toBeCloseTo(0.75, 9);
    expect(gridAt(grid, 1.2).pu).toBeCloseTo(1, 12);
    expect(gridAt(grid, 1.3).pu).toBe(1);
    expect(gridAt(grid, 3.5)).toEqual({ pu: 1, frequencyHz: 57 });
    expect(gridAt(grid, 4)).toEqual({ pu: 1, frequencyHz: 60 });
  });

  it('reports every edge as a break', () => {
    const edges: number[] = [];
    for (let t = nextGridBreakS(grid, 0); t < Infinity; t = nextGridBreakS(grid, t)) edges.push(t);
    expect(edges.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 1.05, 1.15, 1.2, 3, 4]);
  });
});
