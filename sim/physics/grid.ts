import { eventEdges } from '../scenario/grid.js';
import type { GridSpec } from '../scenario/types.js';

interface Seg {
  startS: number;
  downEndS: number;
  upStartS: number;
  endS: number;
  pu: number;
  freqHz: number;
}

/**
 * The AC source feeding a zone, on the hot path of every physics step. The shape of an event
 * (ramps outside the hold, see sim/scenario/grid.ts) is defined once there; this class
 * precomputes the corners and adds what the physics and the metrics need.
 */
export class GridSource {
  readonly nominalVac: number;
  readonly nominalHz: number;
  private readonly segs: Seg[];
  private readonly breaks: Float64Array;
  private cursor = 0;

  constructor(spec: GridSpec) {
    this.nominalVac = spec.nominalVac;
    this.nominalHz = spec.frequencyHz;
    this.segs = spec.events.map((e) => {
      const [startS, downEndS, upStartS, endS] = eventEdges(e);
      return { startS, downEndS, upStartS, endS, pu: e.pu, freqHz: e.frequencyHz };
    });
    const b = new Set<number>();
    for (const s of this.segs) for (const x of [s.startS, s.downEndS, s.upStartS, s.endS]) b.add(x);
    this.breaks = Float64Array.from([...b].sort((x, y) => x - y));
  }

  /**
   * How far (0–1) the event active at tS has gone from nominal towards its depth, and which
   * event; the same envelope as sim/scenario/grid.ts (a test holds them equal).
   */
  private depthAt(tS: number): number {
    const segs = this.segs;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      if (tS < s.startS) break;
      if (tS >= s.endS) continue;
      this.active = i;
      if (tS < s.downEndS) return (tS - s.startS) / (s.downEndS - s.startS);
      if (tS > s.upStartS) return 1 - (tS - s.upStartS) / (s.endS - s.upStartS);
      return 1;
    }
    return 0;
  }

  private active = 0;

  /** Voltage in per-unit of nominal at tS. */
  puAt(tS: number): number {
    const f = this.depthAt(tS);
    return f === 0 ? 1 : 1 + (this.segs[this.active]!.pu - 1) * f;
  }

  vacAt(tS: number): number {
    return this.nominalVac * this.puAt(tS);
  }

  frequencyAt(tS: number): number {
    const f = this.depthAt(tS);
    return f === 0
      ? this.nominalHz
      : this.nominalHz + (this.segs[this.active]!.freqHz - this.nominalHz) * f;
  }

  /** Next corner strictly after tS, or Infinity. Cursor-based: calls are mostly monotone. */
  nextBreakS(tS: number): number {
    const b = this.breaks;
    let i = this.cursor;
    while (i > 0 && b[i - 1]! > tS) i--;
    while (i < b.length && b[i]! <= tS + 1e-12) i++;
    this.cursor = i;
    return i < b.length ? b[i]! : Infinity;
  }

  /** True while the voltage is ramping, i.e. changing within the step. */
  isRamping(tS: number): boolean {
    for (const s of this.segs) {
      if (tS < s.startS) break;
      if (tS < s.downEndS || (tS >= s.upStartS && tS < s.endS)) return true;
    }
    return false;
  }

  /** Last time the voltage came back above `puThreshold` after being below it, or null. */
  lastReturnAboveS(puThreshold: number, untilS: number): number | null {
    let last: number | null = null;
    for (const s of this.segs) {
      if (s.startS > untilS) break;
      if (s.pu >= puThreshold) continue;
      const up = s.endS - s.upStartS;
      const t = up > 0 ? s.upStartS + ((puThreshold - s.pu) / (1 - s.pu)) * up : s.endS;
      if (t <= untilS) last = t;
    }
    return last;
  }
}
