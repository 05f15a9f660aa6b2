import type { ControlConfig } from '../config.js';
import type { ZoneView } from '../view.js';
import { reserveSocPct, spendableWh } from './reserve.js';

/** The highest discharge setpoint the map allows (registers: EXT_BBU_DISCHARGE_W max). */
export const DISCHARGE_MAP_MAX_W = 6000;
/** The highest charge limit the map allows (EXT_BBU_CHARGE_LIMIT_W max). */
export const CHARGE_MAP_MAX_W = 2000;

/** Why the interlocks changed a setpoint: counted per reason, journalled on first hit. */
export type InterlockReason = 'reserve' | 'bounds' | 'rate' | 'excluded' | 'autonomous';

export interface InterlockCounters {
  reserve: number;
  bounds: number;
  rate: number;
  excluded: number;
  autonomous: number;
}

export function zeroInterlockCounters(): InterlockCounters {
  return { reserve: 0, bounds: 0, rate: 0, excluded: 0, autonomous: 0 };
}

/**
 * A real outage: the AC is out or low enough that the PSUs cannot carry the load — and the
 * recovery that follows it until the PSUs carry the load again (bounded by the PFAPR budget:
 * the coordinator passes `recovering` only inside it).
 */
export function isOutage(v: ZoneView, recovering = false): boolean {
  return v.acState !== 'normal' || recovering;
}

/**
 * Checked on every command, whatever policy asked for it: each BBU discharge setpoint is
 * clamped to the map bound and the BBU's rating; excluded (faulted/stale) BBUs get nothing;
 * outside a real outage no BBU discharges once the zone's energy is down to the backup reserve
 * or its own SoC is at its share of it (a recovery inside the PFAPR budget counts as the outage), and setpoints move at most `maxSetpointStepW` per tick;
 * in autonomous mode everything is 0. The reserve is sized on `reserveLoadW`, the sustained
 * load (a load spike lasts milliseconds; an outage during it is carried at the sustained level). Works in place on `want` (W per BBU, same order as
 * `v.bbus`); `prev` holds what is in force now. Returns nothing; counts what it changed.
 */
export function enforceDischarge(
  want: Float64Array,
  prev: Float64Array,
  v: ZoneView,
  autonomous: boolean,
  cfg: ControlConfig,
  count: InterlockCounters,
  recovering = false,
  reserveLoadW: number = v.loadW,
): void {
  const outage = isOutage(v, recovering);
  const spendable = outage ? Infinity : spendableWh(v.bbus, reserveLoadW, cfg);
  for (let i = 0; i < want.length; i++) {
    const b = v.bbus[i]!;
    let w = want[i]!;
    if (!Number.isFinite(w) || w < 0) w = 0;
    if (autonomous) {
      if (w > 0) count.autonomous++;
      w = 0;
    } else if (!b.healthy) {
      if (w > 0) count.excluded++;
      w = 0;
    } else {
      // In an outage the device may use its overload (it clamps there itself); else its rating.
      const max = outage ? DISCHARGE_MAP_MAX_W : Math.min(DISCHARGE_MAP_MAX_W, b.ratedW);
      if (w > max) {
        count.bounds++;
        w = max;
      }
      if (!outage && w > 0) {
        // Written so that an unknown (NaN) SoC, capacity or load blocks: no proof, no spending.
        if (!(spendable > 0) || !(b.socPct > reserveSocPct(b, v.bbus, reserveLoadW, cfg))) {
          count.reserve++;
          w = 0;
        } else {
          const p = prev[i]!;
          if (w - p > cfg.maxSetpointStepW) {
            count.rate++;
            w = p + cfg.maxSetpointStepW;
          }
        }
      }
    }
    want[i] = w;
  }
}

/** Charge limits: within [0, map max], nothing for excluded BBUs, NaN (native) when autonomous. */
export function enforceCharge(
  want: Float64Array,
  v: ZoneView,
  autonomous: boolean,
  count: InterlockCounters,
): void {
  for (let i = 0; i < want.length; i++) {
    let w = want[i]!;
    if (autonomous || !v.bbus[i]!.healthy) w = NaN;
    else if (Number.isFinite(w) && (w < 0 || w > CHARGE_MAP_MAX_W)) {
      count.bounds++;
      w = Math.max(0, Math.min(CHARGE_MAP_MAX_W, w));
    }
    want[i] = w;
  }
}
