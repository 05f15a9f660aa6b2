/**
 * Drives a simulated shelf at wall-clock pace on the same event loop as a service, as a
 * background task that yields to it:
 *
 * - the shelf advances in slices of at most `sliceMs` of simulated time (lockstep already
 *   yields to the event loop between bus transactions; the slice bounds what one physics call
 *   may integrate at once and how long before the pacer looks at the clock again);
 * - stepping may use at most `dutyMax` of each `windowMs` of wall time as CPU time, and the
 *   pacer sleeps when it is within `minStepMs` of the wall clock: the process sleeps often, so
 *   the kernel wakes it promptly when a request arrives instead of queueing it behind other
 *   busy work;
 * - time lost to a stall (GC, a descheduled process) or to the duty cap is caught up only to
 *   `maxLagMs`; the rest is dropped and counted in `slippedMs`, never run in one burst that
 *   would hold the CPU for as long again.
 *
 * When the machine is short of CPU the shelf therefore runs slower than real time (the slip
 * says by how much) and the service keeps its latency.
 */
import type { Clock } from '../clock/index.js';

export interface PacerOptions {
  /** Simulated ms per slice (≈ 0.5 ms of CPU on an HPR shelf with the 1 kHz fast lane). */
  readonly sliceMs?: number;
  /** Largest lag behind the wall clock that is caught up, simulated ms; beyond it time slips. */
  readonly maxLagMs?: number;
  /** Lag below which the pacer sleeps instead of stepping, simulated ms. */
  readonly minStepMs?: number;
  /** Sleep when caught up, wall ms. */
  readonly idleMs?: number;
  /** Largest share of each window's wall time the stepping may use as CPU time. */
  readonly dutyMax?: number;
  readonly windowMs?: number;
  /** Simulated seconds per wall second. */
  readonly speed?: number;
  /**
   * CPU time of this process, ms. Stepping is charged in CPU time, not wall time: time the
   * kernel gave to other processes is not the shelf's doing and must not throttle it.
   */
  readonly cpuMs?: () => number;
}

const DEFAULTS: Required<PacerOptions> = {
  sliceMs: 2,
  maxLagMs: 50,
  minStepMs: 1,
  idleMs: 2,
  dutyMax: 0.7,
  windowMs: 20,
  speed: 1,
  cpuMs: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
};

export class RealTimePacer {
  /** Simulated time given up after stalls and duty caps, ms. */
  slippedMs = 0;
  slices = 0;
  /** CPU ms spent stepping the shelf (service work interleaved by lockstep included). */
  busyMs = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly o: Required<PacerOptions>;

  /** `advance(ms)` runs the shelf (lockstep) for `ms` of its time. */
  constructor(
    private readonly sim: Pick<Clock, 'nowMs'>,
    private readonly wall: Clock,
    private readonly advance: (ms: number) => Promise<void>,
    o: PacerOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...o };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { sliceMs, maxLagMs, minStepMs, idleMs, dutyMax, windowMs, speed, cpuMs } = this.o;
    const wall0 = this.wall.nowMs();
    const sim0 = this.sim.nowMs();
    let windowStart = wall0;
    let windowBusy = 0;
    while (this.running) {
      const w = this.wall.nowMs();
      if (w - windowStart >= windowMs) {
        windowStart = w;
        windowBusy = 0;
      }
      const lag = sim0 + (w - wall0) * speed - this.slippedMs - this.sim.nowMs();
      if (lag > maxLagMs) this.slippedMs += lag - maxLagMs;
      if (windowBusy >= dutyMax * windowMs) {
        await this.wall.sleep(windowStart + windowMs - w);
      } else if (lag >= minStepMs) {
        this.slices++;
        const cpu0 = cpuMs();
        await this.advance(Math.min(lag, maxLagMs, sliceMs));
        const spent = cpuMs() - cpu0;
        windowBusy += spent;
        this.busyMs += spent;
      } else {
        await this.wall.sleep(idleMs);
      }
    }
  }
}
