import type { Clock, TimerHandle } from '../../clock/index.js';

/**
 * Main-thread watch on the worker's heartbeat word: a worker that is alive but no longer ticking
 * (a task stuck in a loop, a wait that never returns) does not exit, so only the counter standing
 * still tells. Reports once when it has not moved for `stallMs`, and once more when it moves again.
 * The check runs on the main thread's clock; a busy main thread checks late, never falsely early.
 */
export type WatchdogEvent =
  | { readonly type: 'stall'; readonly silentMs: number; readonly heartbeat: number }
  | { readonly type: 'resume'; readonly silentMs: number; readonly heartbeat: number };

export interface WatchdogOptions {
  readonly stallMs: number;
  readonly checkMs: number;
}

export class HeartbeatWatchdog {
  private last: number;
  private lastMoveMs: number;
  private stalled = false;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly heartbeat: () => number,
    private readonly opts: WatchdogOptions,
    private readonly report: (e: WatchdogEvent) => void,
  ) {
    this.last = heartbeat();
    this.lastMoveMs = clock.nowMs();
  }

  get isStalled(): boolean {
    return this.stalled;
  }

  start(): void {
    if (this.timer) return;
    this.last = this.heartbeat();
    this.lastMoveMs = this.clock.nowMs();
    this.timer = this.clock.setInterval(() => this.check(), this.opts.checkMs);
  }

  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** One check (the interval calls it; tests may too). */
  check(): void {
    const now = this.clock.nowMs();
    const beat = this.heartbeat();
    if (beat !== this.last) {
      const silentMs = now - this.lastMoveMs;
      this.last = beat;
      this.lastMoveMs = now;
      if (this.stalled) {
        this.stalled = false;
        this.report({ type: 'resume', silentMs, heartbeat: beat });
      }
      return;
    }
    const silentMs = now - this.lastMoveMs;
    if (!this.stalled && silentMs >= this.opts.stallMs) {
      this.stalled = true;
      this.report({ type: 'stall', silentMs, heartbeat: beat });
    }
  }
}
