import type { ControlConfig } from '../config.js';
import { sum, type ZoneView } from '../view.js';

/** PSU efficiency assumed to turn a grid (input) cap into a PSU output limit (fact: ≥ 96.5 %). */
export const PSU_EFFICIENCY_FOR_CAP = 0.965;

/**
 * Power cap / peak shaving: the most the PSUs may deliver, W. Without a cap it is their planned
 * share of the healthy PSUs' rating; under a grid cap from the north side it is the cap turned
 * into output power. What the load needs above it is the BBUs' to shave.
 */
export function psuMaxW(v: ZoneView, cfg: ControlConfig): number {
  const rated = sum(v.psus, (p) => (p.healthy ? p.ratedW : 0)) * cfg.psuPlanRatio;
  if (v.capW === null) return rated;
  return Math.min(rated, v.capW * PSU_EFFICIENCY_FOR_CAP);
}

/**
 * Whether the cap (or PSU rating) cannot be held: the BBUs would have to supply more than they
 * may (reserve or rating). The north side sees it as a throttle request.
 */
export function throttleNeeded(wantedBbuW: number, grantedBbuW: number): boolean {
  return wantedBbuW - grantedBbuW > 1;
}
