/**
 * Workload-hint feed-forward ("+30 kW in 50 ms", optionally "rising over 5 ms"). One hint is
 * pending at a time. Before the change shows, forecasts add the hinted change shaped by its
 * rise: the hinted ramp when the hint carries one (linear over rampMs), else the learned mean
 * rise (a bare hint says how much and when, never how fast). Once a transient of the hinted
 * sign starts within `toleranceMs` of the hinted time the hint is engaged: it now says where
 * the ramp ends, so the ramp is carried on — at the hinted rate when the hint gave one, else
 * at the observed slope — up to the hinted level and never past it. A hint that no transient
 * engages within the tolerance is dropped; an engaged one ends with its transient.
 */
import { HintLateness } from './lateness.js';
import type { RiseProfile } from './rise-profile.js';
import { RESET_BEND, type Trend } from './trend.js';

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
  /** Hinted ramp (linear rise time), ms; NaN when the hint did not say. */
  rampMs = Number.NaN;
  private targetW = 0;
  /** How the hinted change is expected to rise when the hint gives no ramp. */
  private rise: RiseProfile;
  /** How far north-side hints miss their onsets (smears a hinted ramp before it shows). */
  readonly lateness = new HintLateness();

  constructor(
    private readonly toleranceMs: number,
    rise: RiseProfile,
  ) {
    this.rise = rise;
  }

  get pending(): boolean {
    return this.atMs === this.atMs;
  }

  set(deltaW: number, atMs: number, self: boolean, rise: RiseProfile, rampMs = Number.NaN): void {
    this.rise = rise;
    this.rampMs = rampMs;
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
    const ramp = this.rampMs;
    if (!this.engaged) {
      if (!(ramp === ramp)) return inc + this.deltaW * this.rise.at(targetMs - this.atMs);
      // A known ramp: the hint says the whole course, up to when it starts (the learned
      // lateness); the level already holds what of it should have happened by the last sample.
      const late = this.lateness;
      const done = late.expectedRise(tr.tValid - this.atMs, ramp);
      const ahead = late.expectedRise(targetMs - this.atMs, ramp) - done;
      // A transient the hint did not engage with runs its own course on top.
      if (!(ahead > 0)) return inc;
      return (tr.transient ? inc : 0) + this.deltaW * ahead;
    }
    const remaining = this.targetW - tr.level;
    if (remaining * this.deltaW <= 0) return inc;
    let slope: number;
    if (ramp === ramp && !(tr.transient && tr.resetKind === RESET_BEND)) {
      // Until the ramp visibly bends, it runs at the hinted rate (a 0 ms ramp: all at once).
      slope = ramp > 0 ? Math.abs(this.deltaW) / ramp : Infinity;
    } else {
      // On the ramp's first increment, if the change began at the hinted time its slope is
      // progress / age (the increment itself understates it when the onset fell inside it).
      const age = tr.tValid - this.atMs;
      const fromHint = young && age > 0.02 ? Math.abs(tr.level - tr.baseW) / age : 0;
      slope = Math.max(fromHint, tr.slope * Math.sign(remaining));
    }
    const dt = targetMs - tr.tValid;
    if (!(dt > 0) || !(slope > 0)) return 0;
    return Math.sign(remaining) * Math.min(slope * dt, Math.abs(remaining));
  }
}
