import { BbuState } from './physics/bbu.js';
import { BBU_STATE_NAMES } from './physics/bbu.js';
import { PSU_STATE_NAMES } from './physics/psu.js';
import type { EnergyBooks, SimZone } from './physics/zone.js';

export interface PsuReading {
  readonly index: number;
  readonly shelf: number;
  readonly state: (typeof PSU_STATE_NAMES)[number];
  readonly vacV: number;
  readonly pinW: number;
  readonly poutW: number;
  readonly ioutA: number;
  readonly bulkV: number;
  readonly overloadEvents: number;
  readonly lastRestartDelayS: number | null;
}

export interface BbuReading {
  readonly index: number;
  readonly shelf: number;
  readonly state: (typeof BBU_STATE_NAMES)[number];
  readonly socPct: number;
  readonly poutW: number;
  readonly chargeW: number;
  readonly nativeTriggers: number;
  /** Commanded discharges that ended into native backup (AC not back when they ended). */
  readonly leaseFallbacks: number;
  /** Time until a commanded (forced) discharge lapses by itself, ms; 0 when none is in force. */
  readonly forcedLeaseRemainingMs: number;
}

/**
 * Read-only instrumentation of the simulated zone: what measurement, reports and tests may see.
 * A gateway never gets this object; it sees the shelf only through sim/facade.
 */
export class Instruments {
  readonly #z: SimZone;

  constructor(zone: SimZone) {
    this.#z = zone;
  }

  get tS(): number {
    return this.#z.tS;
  }
  get tUs(): number {
    return this.#z.tUs;
  }
  get busV(): number {
    return this.#z.busV;
  }
  get vacV(): number {
    return this.#z.grid.vacAt(this.#z.tS);
  }
  get gridPu(): number {
    return this.#z.grid.puAt(this.#z.tS);
  }
  get gridW(): number {
    return this.#z.gridW;
  }
  get loadDemandW(): number {
    return this.#z.loadDemandW;
  }
  get loadServedW(): number {
    return this.#z.loadServedW;
  }
  get loadDropCount(): number {
    return this.#z.loadDropCount;
  }
  get psuCount(): number {
    return this.#z.psus.length;
  }
  get bbuCount(): number {
    return this.#z.bbus.length;
  }
  get lastStepUs(): number {
    return this.#z.lastStepUs;
  }
  get stepCounts(): { fine: number; coarse: number } {
    return { fine: this.#z.fineSteps, coarse: this.#z.coarseSteps };
  }

  /** Lowest SoC across BBUs, %, without allocating (called every step by the runner). */
  minSocPct(): number {
    let m = Infinity;
    for (const b of this.#z.bbus) if (b.socPct < m) m = b.socPct;
    return m;
  }

  bbuDischargeW(): number {
    let w = 0;
    for (const b of this.#z.bbus) w += b.poutW;
    return w;
  }

  nativeTriggers(): number {
    let n = 0;
    for (const b of this.#z.bbus) n += b.nativeTriggers;
    return n;
  }

  psuOverloadEvents(): number {
    let n = 0;
    for (const p of this.#z.psus) n += p.overloadEvents;
    return n;
  }

  /** Count of PSUs by state name (for status lines). */
  psuStateCounts(): Record<string, number> {
    const c: Record<string, number> = {};
    for (const p of this.#z.psus) {
      const k = PSU_STATE_NAMES[p.state];
      c[k] = (c[k] ?? 0) + 1;
    }
    return c;
  }

  bbuStateCounts(): Record<string, number> {
    const c: Record<string, number> = {};
    for (const b of this.#z.bbus) {
      const k = BBU_STATE_NAMES[b.state];
      c[k] = (c[k] ?? 0) + 1;
    }
    return c;
  }

  psu(i: number): PsuReading {
    const p = this.#z.psus[i];
    if (!p) throw new RangeError(`no PSU ${i}`);
    return {
      index: i,
      shelf: this.#z.shelfOfPsu(i),
      state: PSU_STATE_NAMES[p.state],
      vacV: p.vacV,
      pinW: p.pinW,
      poutW: p.poutW,
      ioutA: p.ioutA,
      bulkV: p.bulkV,
      overloadEvents: p.overloadEvents,
      lastRestartDelayS: p.lastRestartDelayS,
    };
  }

  bbu(i: number): BbuReading {
    const b = this.#z.bbus[i];
    if (!b) throw new RangeError(`no BBU ${i}`);
    return {
      index: i,
      shelf: this.#z.shelfOfBbu(i),
      state: BBU_STATE_NAMES[b.state],
      socPct: b.socPct,
      poutW: b.poutW,
      chargeW: b.chargeW,
      nativeTriggers: b.nativeTriggers,
      leaseFallbacks: b.leaseFallbacks,
      forcedLeaseRemainingMs:
        b.state === BbuState.Forced ? Math.max(0, b.forcedExpiresMs - this.#z.tMs) : 0,
    };
  }

  energyBooks(): EnergyBooks {
    return this.#z.energyBooks();
  }
}
