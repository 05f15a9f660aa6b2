/**
 * Driving virtual time under async gateway code: advance a VirtualClock (or a whole Simulation)
 * timer by timer and let the work each timer released run before time moves on. Advancing in
 * coarse chunks would serialise one bus transaction per chunk.
 */
import type { VirtualClock } from '../clock/index.js';
import type { Simulation } from '../../sim/simulation.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Drives a VirtualClock timer by timer until `p` settles (work that charges simulated time). */
export async function settle<T>(clock: VirtualClock, p: Promise<T>, maxMs = 600_000): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  const end = clock.nowMs() + maxMs;
  for (;;) {
    await flush();
    if (done) return p;
    const due = clock.nextDueMs();
    if (due === null || due > end) throw new Error(`settle: nothing due within ${maxMs} ms`);
    clock.advanceTo(due);
  }
}

/** Runs a VirtualClock for `ms`, timer by timer, letting released async work run. */
export async function runFor(clock: VirtualClock, ms: number): Promise<void> {
  const end = clock.nowMs() + ms;
  for (;;) {
    await flush();
    const due = clock.nextDueMs();
    if (due === null || due > end) break;
    clock.advanceTo(due);
  }
  clock.advanceTo(end);
  await flush();
}

/**
 * Runs a Simulation for `ms` in lockstep with the gateway code on its clock: physics, device
 * actions and clock advance to the next clock timer (a wire transaction ending, a lane tick),
 * then the async work that timer released runs before time moves again.
 */
export async function lockstep(sim: Simulation, ms: number): Promise<void> {
  const endUs = Math.round((sim.clock.nowMs() + ms) * 1000);
  for (;;) {
    await flush();
    const due = sim.clock.nextDueMs();
    if (due !== null && due <= sim.clock.nowMs()) {
      sim.clock.advanceTo(sim.clock.nowMs()); // due now: fire it without stepping physics
      continue;
    }
    const nextUs = due === null ? endUs : Math.min(endUs, Math.ceil(due * 1000));
    sim.advanceTo(nextUs);
    if (nextUs >= endUs) break;
  }
  await flush();
}

/**
 * Runs a Simulation in lockstep, `chunkMs` at a time, until `p` settles (work that needs the
 * shelf to live on: a discovery sweep, a lane finishing its in-flight transaction at stop).
 * Rejects when `p` has not settled after `maxMs` of simulated time, instead of waiting forever
 * on a promise that only simulated time can settle.
 */
export async function lockstepUntil<T>(
  sim: Simulation,
  p: Promise<T>,
  maxMs = 60_000,
  chunkMs = 10,
): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  const end = sim.clock.nowMs() + maxMs;
  for (;;) {
    await flush();
    if (done) return p;
    if (sim.clock.nowMs() >= end) {
      throw new Error(`lockstepUntil: not settled within ${maxMs} ms of simulated time`);
    }
    await lockstep(sim, Math.min(chunkMs, end - sim.clock.nowMs()));
  }
}
