import { eventEdges, gridAt, type GridState } from '../scenario/grid.js';
import type { GridSpec } from '../scenario/types.js';

interface Seg {
  startS: number;
  downEndS: number;
  upStartS: number;
  endS: number;
  pu: number;
}

/**
 * The AC source feeding a zone, on the hot path of every physics step. The shape of an event
 * (ramps outside the hold, see sim/scenario/grid.ts) is defined once there; this class
 * precomputes the corners and adds what the physics and the metrics need.
 */
export class GridSource {
  readonly nominalVac: number;
  readonly nominalHz: number;
  private readonly spec: GridSpec;
  private readonly segs: Seg[];
  private readonly breaks: Float64Array;
  private readonly state: GridState;
  private cursor = 0;

  constructor(spec: GridSpec) {
    this.spec = spec;
    this.nominalVac = spec.nominalVac;
    this.nominalHz = spec.frequencyHz;
    this.state = { pu: 1, frequencyHz: spec.frequencyHz };
    this.segs = spec.events.map((e) => {
      const [startS, downEndS, upStartS, endS] = eventEdges(e);
      return { startS, downEndS, upStartS, endS, pu: e.pu };
    });
    const b = new Set<number>();
    for (const s of this.segs) for (const x of [s.startS, s.downEndS, s.upStartS, s.endS]) b.add(x);
    this.breaks = Float64Array.from([...b].sort((x, y) => x - y));
  }

  /** Voltage in per-unit of nominal at tS. */
  puAt(tS: number): number {
    for (const s of this.segs) {
      if (tS < s.startS) break;
      if (tS >= s.endS) continue;
      if (tS < s.downEndS) return 1 + ((s.pu - 1) * (tS - s.startS)) / (s.downEndS - s.startS);
      if (tS > s.upStartS) return s.pu + ((1 - s.pu) * (tS - s.upStartS)) / (s.endS - s.upStartS);
      return s.pu;
    }
    return 1;
  }

  vacAt(tS: number): number {
    return this.nominalVac * this.puAt(tS);
  }

  frequencyAt(tS: number): number {
    if (this.segs.length === 0) return this.nominalHz;
    return gridAt(this.spec, tS, this.state).frequencyHz;
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
