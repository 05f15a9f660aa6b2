/**
 * What the coordinator decides from: one tick's picture of the zone, built by the loop from
 * fast-lane samples (and the slow lane's BBU capacity). Plain data, so policies and the safety
 * layer are pure functions a test can feed directly.
 */
export type AcState = 'normal' | 'sag' | 'loss';

export interface PsuView {
  readonly id: string;
  readonly ratedW: number;
  /** Output power from the last fresh sample, W (NaN when none is fresh). */
  readonly poutW: number;
  /** Answering and not excluded (fresh samples, no fault). */
  readonly healthy: boolean;
  /** EXT_STATUS: AC is back, the controller was held and waits for EXT_PSU_RESTART. */
  readonly restartPending: boolean;
  /** EXT_STATUS: controller powered from the bus aux path. */
  readonly onAux: boolean;
}

export interface BbuView {
  readonly id: string;
  readonly ratedW: number;
  readonly poutW: number;
  readonly socPct: number;
  /** Full-charge energy, Wh (slow lane: Full_Charge_Capacity × nominal pack voltage). */
  readonly capacityWh: number;
  readonly healthy: boolean;
  /** Discharging by its own 48.5 V rule (EXT_STATUS.NATIVE_DISCHARGE_ACTIVE). */
  readonly nativeActive: boolean;
}

export interface ZoneView {
  readonly nowMs: number;
  /** Lowest fresh PSU AC input, V (NaN when none is fresh). */
  readonly acVac: number;
  readonly acState: AcState;
  readonly busV: number;
  /** Estimated load on the bus: PSU outputs + BBU outputs, W. */
  readonly loadW: number;
  /** Predicted load a few ms ahead (predictor + hints), W. */
  readonly loadAheadW: number;
  /**
   * What the PSUs without a fresh reading (unreadable, excluded) may be delivering beside the
   * rest, W: their count times the mean of the PSUs read. Not in `loadW`; the backup reserve is
   * sized on both, so a PSU the gateway cannot read never makes the reserve smaller.
   */
  readonly unreadPsuW?: number;
  readonly psus: readonly PsuView[];
  readonly bbus: readonly BbuView[];
  /** Grid power cap from the north side, W (null: none). */
  readonly capW: number | null;
  /** True when the samples the decision needs are fresh (watchdog input). */
  readonly fresh: boolean;
}

/** Sum of f over items. */
export function sum<T>(items: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (const x of items) s += f(x);
  return s;
}
