/**
 * The loop's own watchdog: when the samples a decision needs go stale (bus fault, devices gone,
 * the loop starved), the gateway stops commanding and lets every lease lapse, so the shelf is
 * back to its native behaviour within one lease. It re-arms after `recoverTicks` fresh ticks.
 */
export class Watchdog {
  private freshRun = 0;
  /** Starts autonomous: nothing is commanded before the first fresh samples. */
  autonomous = true;
  trips = 0;

  constructor(private readonly recoverTicks = 50) {}

  /** Feeds one tick's freshness; returns true when the mode changed. */
  update(fresh: boolean): boolean {
    if (!fresh) {
      this.freshRun = 0;
      if (!this.autonomous) {
        this.autonomous = true;
        this.trips++;
        return true;
      }
      return false;
    }
    this.freshRun++;
    if (this.autonomous && this.freshRun >= this.recoverTicks) {
      this.autonomous = false;
      return true;
    }
    return false;
  }
}
