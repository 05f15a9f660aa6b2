import type { ControlConfig } from '../config.js';
import { DISCHARGE_MAP_MAX_W } from '../safety/interlocks.js';
import { sum, type ZoneView } from '../view.js';

/**
 * Ride-through: while the AC is out (or sagging into the PSU derating band) the BBUs carry the
 * whole load, commanded before the bus can reach the 48.5 V native trigger. The commanded
 * total is the larger of the present and the pre-fault load, with a margin, so that the BBUs
 * out-supply the load and regulate the bus at their forced-discharge voltage; PSUs whose PFC
 * is still running simply carry nothing.
 */
export function rideThroughW(v: ZoneView, preFaultLoadW: number, cfg: ControlConfig): number {
  const load = Math.max(Number.isFinite(v.loadW) ? v.loadW : 0, preFaultLoadW);
  // Ask up to the map bound: each BBU clamps to what it can deliver (its overload included).
  const most = sum(v.bbus, (b) => (b.healthy ? DISCHARGE_MAP_MAX_W : 0));
  return Math.min(most, load * cfg.rideMargin);
}

/**
 * Whether the BBUs the gateway can command (healthy, at their rating — their overload is not
 * ours to count on) can carry the load. If not, commanding them would only hold the bus above
 * the native trigger while the PSUs' hold-up lasts and then let it fall with the BBUs the
 * gateway cannot reach still idle: the shelf's native rule (every BBU, 48.5 V) does better.
 */
export function commandedCanCarry(v: ZoneView, preFaultLoadW: number): boolean {
  // The pre-fault average: the estimate at the edge double-counts (PSU samples not yet stale
  // plus BBUs already delivering). 2 % is the measurement accuracy of the readings we sum.
  const load = preFaultLoadW > 0 ? preFaultLoadW : Number.isFinite(v.loadW) ? v.loadW : Infinity;
  return sum(v.bbus, (b) => (b.healthy ? b.ratedW : 0)) * (1 + CARRY_TOLERANCE) >= load;
}

/** Measurement tolerance of the carry check (PMBus readings are ±1–2 % accurate). */
export const CARRY_TOLERANCE = 0.02;

/** PSUs to arm "hold controller on aux": all healthy ones, always (renewed leases). */
export function holdWanted(v: ZoneView): boolean {
  return v.psus.some((p) => p.healthy);
}
