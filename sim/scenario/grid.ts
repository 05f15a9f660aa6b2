/**
 * The grid a scenario describes, as a function of time: the one place that says how an event's
 * ramps and duration combine, so the physics and the HIL AC-source driver agree.
 */
import type { GridEvent, GridSpec } from './types.js';

export interface GridState {
  /** Voltage relative to nominalVac. */
  pu: number;
  frequencyHz: number;
}

/** When the event leaves nominal, reaches its depth, starts back, and is back (s). */
export function eventEdges(e: GridEvent): [number, number, number, number] {
  const ramp = e.rampMs / 1000;
  const start = e.atS;
  return [
    start,
    start + ramp,
    start + ramp + e.durationMs / 1000,
    start + 2 * ramp + e.durationMs / 1000,
  ];
}

/** Grid state at tS. Events are sorted and disjoint (parseScenario guarantees it). */
export function gridAt(
  grid: GridSpec,
  tS: number,
  out: GridState = { pu: 1, frequencyHz: grid.frequencyHz },
): GridState {
  out.pu = 1;
  out.frequencyHz = grid.frequencyHz;
  for (const e of grid.events) {
    if (tS < e.atS) break;
    const [a, b, c, d] = eventEdges(e);
    if (tS >= d) continue;
    // Fraction of the way from nominal to the event's depth.
    const f = tS < b ? (tS - a) / (b - a) : tS < c ? 1 : 1 - (tS - c) / (d - c);
    out.pu = 1 + (e.pu - 1) * f;
    out.frequencyHz = grid.frequencyHz + (e.frequencyHz - grid.frequencyHz) * f;
    break;
  }
  return out;
}

/** Earliest event edge strictly after tS, or Infinity (the physics aligns steps to these). */
export function nextGridBreakS(grid: GridSpec, tS: number): number {
  for (const e of grid.events) {
    for (const edge of eventEdges(e)) if (edge > tS) return edge;
  }
  return Infinity;
}
