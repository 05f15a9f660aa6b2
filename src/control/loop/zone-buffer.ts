import type { ControlDevice } from '../io/fast-lane-io.js';
import type { BbuView, PsuView, ZoneView } from '../view.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** The loop's own, writable zone view: what `ZoneView` readers see, rewritten each tick. */
export type ZoneBuffer = Mutable<Omit<ZoneView, 'psus' | 'bbus'>> & {
  readonly psus: Mutable<PsuView>[];
  readonly bbus: Mutable<BbuView>[];
};

/** The view's objects, made once: ids and ratings fixed, the rest written each tick. */
export function zoneBuffer(
  devs: readonly ControlDevice[],
  psuIdx: readonly number[],
  bbuIdx: readonly number[],
): ZoneBuffer {
  return {
    nowMs: 0,
    acVac: NaN,
    acState: 'normal',
    busV: NaN,
    loadW: NaN,
    loadAheadW: NaN,
    unreadPsuW: 0,
    psus: psuIdx.map((i) => ({
      id: devs[i]!.id,
      ratedW: devs[i]!.ratedW,
      poutW: NaN,
      healthy: false,
      restartPending: false,
      onAux: false,
    })),
    bbus: bbuIdx.map((i) => ({
      id: devs[i]!.id,
      ratedW: devs[i]!.ratedW,
      poutW: NaN,
      socPct: NaN,
      capacityWh: 0,
      healthy: false,
      nativeActive: false,
    })),
    capW: null,
    fresh: false,
  };
}
