import type { ControlConfig } from '../config.js';
import { sum, type ZoneView } from '../view.js';

/**
 * Transient assist and power smoothing: the PSUs follow a trajectory that rises no faster than
 * the grid ramp limit and never above what the coordinator plans for them (their rating, or
 * less under a cap); the BBUs supply the difference to the (predicted) load. Falling load is
 * followed at once: the BBU share shrinks first, then the PSUs come down with the load (we
 * have no sink to slow a fall with).
 */
export class TransientAssist {
  private trajW = NaN;

  reset(psuW: number): void {
    this.trajW = psuW;
  }

  /** BBU power to command so that PSU output stays on the trajectory and under `psuMaxW`. */
  step(v: ZoneView, psuMaxW: number, cfg: ControlConfig): number {
    const load = Math.max(v.loadW, v.loadAheadW);
    if (!Number.isFinite(load)) return 0;
    const installed = sum(v.psus, (p) => (p.healthy ? p.ratedW : 0));
    const target = Math.min(load, psuMaxW);
    if (!Number.isFinite(this.trajW)) this.trajW = target;
    if (target <= this.trajW || cfg.gridRampPerS === null) this.trajW = target;
    else {
      const rise = (cfg.gridRampPerS * installed * cfg.tickMs) / 1000;
      this.trajW = Math.min(target, this.trajW + rise);
    }
    // A dead band: the BBUs are not for forecast noise or a PSU's droop error.
    const gap = load - this.trajW;
    return gap > Math.max(200, 0.01 * installed) ? gap : 0;
  }

  get trajectoryW(): number {
    return this.trajW;
  }
}
