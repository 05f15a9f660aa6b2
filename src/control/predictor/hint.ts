/**
 * Workload-hint feed-forward ("+30 kW in 50 ms"). One hint is pending at a time. Before the
 * change shows, forecasts add the hinted change shaped by the learned mean rise (a hint says
 * how much and when, never how fast). Once a transient of the hinted sign starts within
 * `toleranceMs` of the hinted time the hint is engaged: it now says where the ramp ends, so
 * the observed slope is carried on up to the hinted level and never past it. A hint that no
 * transient engages within the tolerance is dropped; an engaged one ends with its transient.
 */
import type { RiseProfile } from './rise-profile.js';
import type { Trend } from './trend.js';

/** A periodic self-hint knows its time to about a ms: if nothing starts by then, drop it. */
const SELF_TOLERANCE_MS = 3;

export class HintFeed {
  deltaW = 0;
  /** Hinted onset, ms; NaN when no hint is pending. */
  atMs = Number.NaN;
  engaged = false;
  /** The hint came from the period tracker, not from the north side. */
  self = false;
  /** The last follow() dropped the hint: nothing started within the tolerance. */
  missed = false;
  private targetW = 0;
  /** How the hinted change is expected to rise. */
  private rise: RiseProfile;

  constructor(
    private readonly toleranceMs: number,
    rise: RiseProfile,
  ) {
    this.rise = rise;
  }

  get pending(): boolean {
    return this.atMs === this.atMs;
  }

  set(deltaW: number, atMs: number, self: boolean, rise: RiseProfile): void {
    this.rise = rise;
    this.deltaW = deltaW;
    this.atMs = atMs;
    this.engaged = false;
    this.self = self;
  }

  /** After each valid sample: engage with a matching transient, or expire (sets `missed`). */
  follow(tr: Trend, t: number): void {
    this.missed = false;
    if (!this.pending) return;
    if (!this.engaged) {
      const near = Math.abs(tr.onsetMs - this.atMs) <= this.toleranceMs;
      if (tr.transient && near && (tr.level - tr.baseW) * this.deltaW > 0) {
        this.engaged = true;
        this.targetW = tr.baseW + this.deltaW;
      } else if (t > this.atMs + (this.self ? SELF_TOLERANCE_MS : this.toleranceMs)) {
        this.atMs = Number.NaN;
        this.missed = true;
      }
    } else if (!tr.transient) {
      this.atMs = Number.NaN;
    }
  }

  /**
   * The forecast increment to targetMs given the unhinted one (`inc`). `young`: the newest
   * sample restarted the trend, so its slope is a single increment.
   */
  increment(inc: number, tr: Trend, targetMs: number, young: boolean): number {
    if (!this.engaged) return inc + this.deltaW * this.rise.at(targetMs - this.atMs);
    const remaining = this.targetW - tr.level;
    if (remaining * this.deltaW <= 0) return inc;
    // On the ramp's first increment, if the change began at the hinted time its slope is
    // progress / age (the increment itself understates it when the onset fell inside it).
    const age = tr.tValid - this.atMs;
    const fromHint = young && age > 0.02 ? Math.abs(tr.level - tr.baseW) / age : 0;
    const slope = Math.max(fromHint, tr.slope * Math.sign(remaining));
    const ahead = slope * (targetMs - tr.tValid);
    return ahead <= 0 ? 0 : Math.sign(remaining) * Math.min(ahead, Math.abs(remaining));
  }
}
