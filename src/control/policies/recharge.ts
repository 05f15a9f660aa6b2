import type { ControlConfig } from '../config.js';
import type { ZoneView } from '../view.js';

/**
 * Recharge after events at a rate that respects the PSU rating and the cap: the BBUs below full
 * share what the PSUs have left over the load, less a margin. With no room the charge limit is 0
 * (charging paused); the lease keeps that bounded — a dead gateway lets them charge natively.
 * `loadW` excludes charging (BBU power readings are negative while charging). Returns the
 * per-BBU charge limit, W.
 */
export function chargeLimitW(v: ZoneView, psuMaxW: number, cfg: ControlConfig): number {
  let charging = 0;
  for (const b of v.bbus) if (b.healthy && b.socPct < 99.9) charging++;
  if (charging === 0 || !Number.isFinite(v.loadW)) return cfg.maxChargeW;
  let installed = 0;
  for (const p of v.psus) if (p.healthy) installed += p.ratedW;
  const room = psuMaxW - cfg.chargeMargin * installed - v.loadW;
  return Math.max(0, Math.min(cfg.maxChargeW, room / charging));
}
