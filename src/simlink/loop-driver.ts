/**
 * Drives the gateway (slow lane, discovery) and its 1 kHz control loop in lockstep with a
 * simulated shelf: async gateway work runs between ticks up to the next tick time; each tick is
 * synchronous and advances the shelf by its own bus time. Used by the scenario runner (fast as
 * it goes) and the live `run --sim` command (paced to real time by RealTimePacer).
 *
 * Every `advanceTo` yields to the event loop at least once, also when it has nothing to run:
 * a caller that loops on it (the pacer, once the run's end is reached or physics stalls) must
 * never become a chain of promise continuations that starves timers, I/O and signal handlers —
 * that is how the live command once hung at 100 % CPU deaf to SIGTERM.
 */
import type { ControlConfig, ControlLoop } from '../control/index.js';
import { createControlLoop } from '../gateway/control-link.js';
import type { SimGateway } from './sim-gateway.js';
import { settle } from './lockstep.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface LoopDriverOptions {
  readonly control?: Partial<ControlConfig>;
  /** Run the control loop (default true); without it the gateway only polls. */
  readonly withControl?: boolean;
  /** Advances physics to an absolute µs (metrics hook in); default the simulation's own. */
  readonly advanceTo?: (us: number) => void;
  /** Called after every control tick. */
  readonly onTick?: () => void;
  /**
   * Yield to the event loop after this many ticks back to back (default: never). A caller that
   * shares the event loop with a service bounds how long one advance holds it; the lockstep is
   * unchanged (a yield lets only outside I/O in — simulated time does not move meanwhile).
   */
  readonly yieldEveryTicks?: number;
}

export class LoopDriver {
  loop: ControlLoop | undefined;
  private nextTickMs = 0;
  private firedSeen = -1;
  private starting: Promise<unknown> | undefined;
  private readonly adv: (us: number) => void;

  constructor(
    readonly sg: SimGateway,
    private readonly o: LoopDriverOptions = {},
  ) {
    this.adv = o.advanceTo ?? ((us) => sg.sim.advanceTo(us));
  }

  private get clock() {
    return this.sg.sim.clock;
  }

  /** Async work up to tMs, timer by timer, stepping physics through `advanceTo`. */
  private async until(tMs: number): Promise<void> {
    const clock = this.clock;
    const sim = this.sg.sim;
    for (;;) {
      await flush();
      this.firedSeen = clock.fired;
      const due = clock.nextDueMs();
      if (due !== null && due <= clock.nowMs()) {
        clock.advanceTo(clock.nowMs());
        continue;
      }
      const nextUs = Math.ceil((due === null ? tMs : Math.min(tMs, due)) * 1000);
      const before = sim.tUs;
      this.adv(Math.max(nextUs, sim.tUs + 1));
      // The runner clamps at the scenario's end: stop when time no longer moves.
      if (clock.nowMs() >= tMs || sim.tUs === before) break;
    }
  }

  /**
   * Discovery over the slow lane (bounded by `maxMs` of simulated time, and by `stopped`,
   * asked between steps), then the control loop's own preparation over PMBus. Returns false
   * when discovery did not finish in time or was stopped (`stop()` then lets it end).
   */
  async start(maxMs = 60_000, stopped: () => boolean = () => false): Promise<boolean> {
    const clock = this.clock;
    let started = false;
    let failed: unknown;
    this.starting = this.sg.gateway.start().then(
      () => (started = true),
      (e: unknown) => (failed = e),
    );
    const end = clock.nowMs() + maxMs;
    while (!started && failed === undefined && clock.nowMs() < end && !stopped()) {
      const before = this.sg.sim.tUs;
      await this.until(clock.nowMs() + 5);
      if (this.sg.sim.tUs === before && !started) break;
    }
    if (failed !== undefined) throw failed;
    if (!started) return false;
    if (this.o.withControl !== false) {
      this.loop = createControlLoop(this.sg.gateway, {
        segments: this.sg.syncSegments,
        ...(this.o.control ? { config: this.o.control } : {}),
        elapse: (us) => this.adv(this.sg.sim.tUs + us),
      });
      this.loop.init();
    }
    this.nextTickMs = clock.nowMs();
    return true;
  }

  /**
   * Runs gateway and shelf to tMs (or until physics stops moving at the run's end). Yields to
   * the event loop at least once, and every `yieldEveryTicks` ticks.
   */
  async advanceTo(tMs: number): Promise<void> {
    await flush();
    const clock = this.clock;
    const sim = this.sg.sim;
    const loop = this.loop;
    if (!loop) {
      if (clock.nowMs() < tMs) await this.until(tMs);
      return;
    }
    const tick = loop.cfg.tickMs;
    const yieldEvery = this.o.yieldEveryTicks ?? Infinity;
    let run = 0;
    while (this.nextTickMs <= tMs) {
      // Slow-lane work between ticks. The event-loop round trip is skipped only when no timer
      // is due before the tick and none fired since the last one (a fired timer may have
      // released promise work — the poller's next request — that must run first).
      const due = clock.nextDueMs();
      const before = sim.tUs;
      const tickUs = Math.round(this.nextTickMs * 1000);
      if (clock.fired !== this.firedSeen || (due !== null && due <= this.nextTickMs)) {
        await this.until(this.nextTickMs);
        run = 0;
      } else if (++run > yieldEvery) {
        await flush();
        run = 0;
        continue;
      } else this.adv(tickUs);
      // Bus time is fractional µs: a tick due within a rounding of now runs now (returning
      // instead moved nothing, and a pacer calling again spun on it for ever). Physics that
      // stopped short of the tick (a run clamped at its end) ends the advance.
      const reached = sim.tUs >= tickUs || clock.nowMs() >= this.nextTickMs;
      if (sim.tUs === before && !reached) return;
      loop.tick();
      this.o.onTick?.();
      this.nextTickMs = Math.max(this.nextTickMs + tick, clock.nowMs());
    }
    if (clock.nowMs() < tMs) await this.until(tMs);
  }

  /**
   * Stops the gateway, letting in-flight slow-lane transactions (and a discovery still
   * sweeping, after a stopped `start`) finish on simulated time: the shelf lives on while it
   * can move, then the clock alone (a run clamped at its end). Rejects after `maxMs` of
   * simulated time rather than wait forever.
   */
  async stop(maxMs = 60_000): Promise<void> {
    const end = this.clock.nowMs() + maxMs;
    if (this.starting) await this.drive(this.starting, end);
    // A clean stop hands the setpoints back rather than leaving them to their leases.
    this.loop?.release();
    await this.drive(this.sg.gateway.stop(), end);
  }

  private async drive<T>(p: Promise<T>, endMs: number): Promise<T> {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    const clock = this.clock;
    for (;;) {
      await flush();
      if (done) return p;
      if (clock.nowMs() >= endMs) break;
      const before = this.sg.sim.tUs;
      await this.until(Math.min(endMs, clock.nowMs() + 5));
      if (this.sg.sim.tUs === before) break;
    }
    return settle(clock, p, Math.max(0, endMs - clock.nowMs()));
  }
}
