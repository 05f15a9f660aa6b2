import type { ControlConfig } from '../config.js';
import type { ZoneView } from '../view.js';

/**
 * PFAPR recovery after the AC returns: restart held PSUs deterministically (staggered, no
 * random cold-boot wait), wait for their soft start, then hand the load back from the BBUs to
 * the PSUs along a linear ramp so grid power is back at ≥ 90 % of pre-fault well inside the
 * budget and without a step on the grid.
 */
export class Recovery {
  /** When the AC return was confirmed, ms (NaN while not recovering). */
  private acBackMs = NaN;
  /** When the last restart was sent (NaN: none needed so far). */
  private lastRestartMs = NaN;
  private handBackStartMs = NaN;
  private startW = 0;
  private readonly restarted = new Set<string>();
  private nextRestartSlotMs = NaN;

  get active(): boolean {
    return Number.isFinite(this.acBackMs);
  }

  begin(nowMs: number, bbuW: number): void {
    this.acBackMs = nowMs;
    this.lastRestartMs = NaN;
    this.handBackStartMs = NaN;
    this.startW = bbuW;
    this.restarted.clear();
    this.nextRestartSlotMs = nowMs;
  }

  cancel(): void {
    this.acBackMs = NaN;
  }

  /**
   * One tick: PSUs to restart now (at most one per stagger slot) and the BBU total to command.
   * Returns done=true once the hand-back has reached zero.
   */
  step(
    v: ZoneView,
    cfg: ControlConfig,
  ): { readonly restart: string | null; readonly bbuW: number; readonly done: boolean } {
    const now = v.nowMs;
    let restart: string | null = null;
    if (now >= this.nextRestartSlotMs) {
      const p = v.psus.find((x) => x.healthy && x.restartPending && !this.restarted.has(x.id));
      if (p) {
        restart = p.id;
        this.restarted.add(p.id);
        this.lastRestartMs = now;
        this.nextRestartSlotMs = now + cfg.restartStaggerMs;
      }
    }
    const waiting = v.psus.some((x) => x.healthy && x.restartPending && !this.restarted.has(x.id));
    // PSUs still held give no power: hand back only after the last soft start is over.
    const readyMs = Number.isFinite(this.lastRestartMs)
      ? this.lastRestartMs + cfg.psuSoftStartMs + cfg.psuReadyMarginMs
      : this.acBackMs + cfg.returnConfirmSamples * cfg.tickMs;
    if (waiting || now < readyMs) return { restart, bbuW: this.startW, done: false };
    if (!Number.isFinite(this.handBackStartMs)) this.handBackStartMs = now;
    const f = Math.min(1, (now - this.handBackStartMs) / this.handBackMs(v, cfg));
    const bbuW = this.startW * (1 - f);
    const done = f >= 1;
    if (done) this.acBackMs = NaN;
    return { restart, bbuW, done };
  }

  /**
   * How long the hand-back takes: at the grid ramp limit when one is set (power smoothing
   * applies to the return too), else `handBackMs`; never longer than half the PFAPR budget.
   */
  private handBackMs(v: ZoneView, cfg: ControlConfig): number {
    let ms = cfg.handBackMs;
    if (cfg.gridRampPerS !== null) {
      let installed = 0;
      for (const p of v.psus) if (p.healthy) installed += p.ratedW;
      if (installed > 0) ms = (1000 * this.startW) / (cfg.gridRampPerS * installed);
    }
    return Math.max(cfg.tickMs, Math.min(ms, cfg.pfaprBudgetMs / 2));
  }

  /** Still inside the PFAPR budget from the AC return (for the journal). */
  withinBudget(nowMs: number, cfg: ControlConfig): boolean {
    return !this.active || nowMs - this.acBackMs <= cfg.pfaprBudgetMs;
  }
}
