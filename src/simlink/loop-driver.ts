/**
 * Drives the gateway (slow lane, discovery) and its 1 kHz control loop in lockstep with a
 * simulated shelf: async gateway work runs between ticks up to the next tick time; each tick is
 * synchronous and advances the shelf by its own bus time. Used by the scenario runner (fast as
 * it goes), the live `run --sim` command and the Redfish fixture (paced to real time).
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
}

export class LoopDriver {
  loop: ControlLoop | undefined;
  private nextTickMs = 0;
  private firedSeen = -1;
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
   * Discovery over the slow lane (bounded by `maxMs` of simulated time), then the control
   * loop's own preparation over PMBus. Returns false when discovery did not finish in time.
   */
  async start(maxMs = 60_000): Promise<boolean> {
    const clock = this.clock;
    let started = false;
    let failed: unknown;
    this.sg.gateway.start().then(
      () => (started = true),
      (e: unknown) => (failed = e),
    );
    const end = clock.nowMs() + maxMs;
    while (!started && failed === undefined && clock.nowMs() < end) {
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

  /** Runs gateway and shelf to tMs (or until physics stops moving at the run's end). */
  async advanceTo(tMs: number): Promise<void> {
    const clock = this.clock;
    const sim = this.sg.sim;
    const loop = this.loop;
    if (!loop) {
      await this.until(tMs);
      return;
    }
    const tick = loop.cfg.tickMs;
    while (this.nextTickMs <= tMs) {
      // Slow-lane work between ticks. The event-loop round trip is skipped only when no timer
      // is due before the tick and none fired since the last one (a fired timer may have
      // released promise work — the poller's next request — that must run first).
      const due = clock.nextDueMs();
      const before = sim.tUs;
      if (clock.fired !== this.firedSeen || (due !== null && due <= this.nextTickMs)) {
        await this.until(this.nextTickMs);
      } else this.adv(Math.round(this.nextTickMs * 1000));
      if (sim.tUs === before && clock.nowMs() < this.nextTickMs) return;
      loop.tick();
      this.o.onTick?.();
      this.nextTickMs = Math.max(this.nextTickMs + tick, clock.nowMs());
    }
    if (clock.nowMs() < tMs) await this.until(tMs);
  }

  /** Stops the gateway, letting in-flight slow-lane transactions finish on simulated time. */
  async stop(): Promise<void> {
    await settle(this.clock, this.sg.gateway.stop());
  }
}
