import type { BbuView, PsuView, ZoneView } from '../../src/control/index.js';

/** A healthy HPR-like zone (6 × 5.5 kW PSUs, 6 × 5.5 kW BBUs of 150 Wh) for control tests. */
export function zoneView(over: Partial<ZoneView> = {}, n = 6): ZoneView {
  const psus: PsuView[] = Array.from({ length: n }, (_, i) => ({
    id: `psu-${i}`,
    ratedW: 5500,
    poutW: 4400,
    healthy: true,
    restartPending: false,
    onAux: false,
  }));
  const bbus: BbuView[] = Array.from({ length: n }, (_, i) => ({
    id: `bbu-${i}`,
    ratedW: 5500,
    poutW: 0,
    socPct: 100,
    capacityWh: 150,
    healthy: true,
    nativeActive: false,
  }));
  return {
    nowMs: 0,
    acVac: 277,
    acState: 'normal',
    busV: 50.5,
    loadW: 26400,
    loadAheadW: 26400,
    psus,
    bbus,
    capW: null,
    fresh: true,
    ...over,
  };
}

export function withPsus(v: ZoneView, f: (p: PsuView, i: number) => Partial<PsuView>): ZoneView {
  return { ...v, psus: v.psus.map((p, i) => ({ ...p, ...f(p, i) })) };
}

export function withBbus(v: ZoneView, f: (b: BbuView, i: number) => Partial<BbuView>): ZoneView {
  return { ...v, bbus: v.bbus.map((b, i) => ({ ...b, ...f(b, i) })) };
}
