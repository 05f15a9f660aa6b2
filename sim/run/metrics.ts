import type { Instruments } from '../instruments.js';

/** Bin width for grid-power averaging (PFAPR test and ramp rate), ms. */
export const GRID_BIN_MS = 20;

export interface MetricsInput {
  /** Time the grid last came back above 0.9 p.u. after a fault, or null without a fault. */
  returnS: number | null;
  /** Start of the first fault (grid below 0.9 p.u.), or null. */
  faultStartS: number | null;
}

/**
 * Streaming measurement of a run: one update per physics step, O(1), no allocation. Grid power
 * is averaged over GRID_BIN_MS bins (energy-weighted) so that PFAPR and ramp rates are about
 * the power the grid sees, not about one 50 µs step.
 */
export class MetricsCollector {
  minBusV = Infinity;
  minSocPct = Infinity;
  maxGridRampWPerS = 0;
  private binStartUs = 0;
  private binEnergyJ = 0;
  private prevBinW: number | null = null;
  private preFaultEnergyJ = 0;
  private preFaultUs = 0;
  private lastBelowEndS: number | null = null;
  private seenAfterReturn = false;
  private readonly binUs = GRID_BIN_MS * 1000;

  constructor(private readonly input: MetricsInput) {}

  update(inst: Instruments): void {
    const v = inst.busV;
    if (v < this.minBusV) this.minBusV = v;
    const soc = inst.minSocPct();
    if (soc < this.minSocPct) this.minSocPct = soc;
    const dtUs = inst.lastStepUs;
    const t1Us = inst.tUs;
    const t0S = (t1Us - dtUs) / 1e6;
    const e = inst.gridW * (dtUs / 1e6);
    const fs = this.input.faultStartS;
    // Pre-fault power: mean over the second before the first fault.
    if (fs !== null && t0S >= fs - 1 && t0S < fs) {
      this.preFaultEnergyJ += e;
      this.preFaultUs += dtUs;
    }
    this.binEnergyJ += e;
    if (t1Us - this.binStartUs >= this.binUs) this.closeBin(t1Us);
  }

  private closeBin(t1Us: number): void {
    const w = this.binEnergyJ / ((t1Us - this.binStartUs) / 1e6);
    if (this.prevBinW !== null) {
      const ramp = Math.abs(w - this.prevBinW) / (GRID_BIN_MS / 1000);
      if (ramp > this.maxGridRampWPerS) this.maxGridRampWPerS = ramp;
    }
    this.prevBinW = w;
    const r = this.input.returnS;
    if (r !== null && this.preFaultUs > 0 && t1Us / 1e6 > r) {
      this.seenAfterReturn = true;
      if (w < 0.9 * this.preFaultW) this.lastBelowEndS = t1Us / 1e6;
    }
    this.binStartUs = t1Us;
    this.binEnergyJ = 0;
  }

  get preFaultW(): number {
    return this.preFaultUs > 0 ? this.preFaultEnergyJ / (this.preFaultUs / 1e6) : 0;
  }

  /**
   * PFAPR: from the grid's last return above 0.9 p.u. to the start of the first bin from which
   * grid power stays ≥ 90 % of pre-fault through the end of the run. null without a fault;
   * `recovered: false` when it never got there (censored at the end of the run).
   */
  pfapr(): { pfaprS: number | null; recovered: boolean } {
    const r = this.input.returnS;
    if (r === null || !this.seenAfterReturn) return { pfaprS: null, recovered: r === null };
    if (this.prevBinW !== null && this.prevBinW < 0.9 * this.preFaultW)
      return { pfaprS: null, recovered: false };
    const end = this.lastBelowEndS ?? r;
    return { pfaprS: Math.max(0, end - r), recovered: true };
  }
}
