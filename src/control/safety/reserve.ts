import type { ControlConfig } from '../config.js';
import type { BbuView } from '../view.js';

/**
 * The backup reserve: the BBU energy that must stay in the packs so that, if the grid failed
 * now, the BBUs could carry the present load for the rated backup time. Energy below it is
 * for a real outage only.
 */
export function reserveWh(loadW: number, cfg: ControlConfig): number {
  // An unknown load needs the whole rated backup: NaN must never shrink the reserve.
  if (!(loadW >= 0)) return Infinity;
  const need = (loadW * cfg.backupTimeS) / 3600 / cfg.bbuDischargeEfficiency;
  return need * (1 + cfg.reserveMarginPct / 100);
}

/** Energy stored in the healthy BBUs, Wh. */
export function storedWh(bbus: readonly BbuView[]): number {
  let e = 0;
  // An unknown SoC or capacity counts as empty (NaN would otherwise poison the sum).
  for (const b of bbus)
    if (b.healthy && b.socPct > 0 && b.capacityWh > 0) e += (b.capacityWh * b.socPct) / 100;
  return e;
}

/**
 * Energy above the reserve the policies may spend on anything but an outage, Wh (≥ 0), less a
 * guard band of `reserveGuardPct` of the capacity: what the readings cannot resolve between two
 * samples (SoC in turn every few ms, capacity from the slow lane), so that spending stops just
 * above the line rather than just below it.
 */
export function spendableWh(bbus: readonly BbuView[], loadW: number, cfg: ControlConfig): number {
  let cap = 0;
  for (const b of bbus) if (b.healthy && b.capacityWh > 0) cap += b.capacityWh;
  const guard = (cap * cfg.reserveGuardPct) / 100;
  return Math.max(0, storedWh(bbus) - reserveWh(loadW, cfg) - guard);
}

/** One BBU's share of the reserve, by capacity: its own SoC floor for non-outage use, %. */
export function reserveSocPct(
  b: BbuView,
  bbus: readonly BbuView[],
  loadW: number,
  cfg: ControlConfig,
): number {
  let cap = 0;
  for (const x of bbus) if (x.healthy && x.capacityWh > 0) cap += x.capacityWh;
  if (cap <= 0 || b.capacityWh <= 0) return 100;
  return Math.min(100, (100 * reserveWh(loadW, cfg)) / cap + cfg.reserveGuardPct);
}
