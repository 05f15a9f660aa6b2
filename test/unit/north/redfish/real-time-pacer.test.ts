/**
 * The fixture's real-time pacer on fake time: the "wall" is a VirtualClock that the shelf's
 * stepping itself advances (its CPU cost), so catching up, slipping and the duty cap are exact.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { RealTimePacer, type PacerOptions } from '../../../../src/simlink/index.js';

/** A shelf whose stepping costs `costPerMs` wall ms per simulated ms. */
function setup(costPerMs: number, o: PacerOptions = {}) {
  const wall = new VirtualClock();
  let simMs = 0;
  const steps: { atWallMs: number; ms: number }[] = [];
  const sim = { nowMs: () => simMs };
  const pacer = new RealTimePacer(
    sim,
    wall,
    async (ms) => {
      steps.push({ atWallMs: wall.nowMs(), ms });
      simMs += ms;
      wall.advance(ms * costPerMs);
      await new Promise((r) => setImmediate(r)); // lockstep yields to the event loop too
    },
    { cpuMs: () => wall.nowMs(), ...o }, // fake time: all of it is the shelf's CPU
  );
  return { wall, sim, pacer, steps };
}

/** Moves the fake wall clock `ms` ahead, timer by timer, letting the pacer run in between. */
async function drive(wall: VirtualClock, ms: number): Promise<void> {
  const end = wall.nowMs() + ms;
  while (wall.nowMs() < end) {
    const t = wall.nowMs();
    await new Promise((r) => setImmediate(r));
    const due = wall.nextDueMs();
    if (due !== null) wall.advanceTo(Math.max(wall.nowMs(), Math.min(due, end)));
    else if (wall.nowMs() === t) return; // nothing stepping, nothing sleeping: the pacer ended
  }
}

/** Stops the pacer: its pending sleep ends on the fake clock. */
async function stop(pacer: RealTimePacer, wall: VirtualClock): Promise<void> {
  const stopped = pacer.stop();
  await drive(wall, 25);
  await stopped;
}

describe('RealTimePacer', () => {
  it('keeps the shelf at wall-clock pace in bounded slices, sleeping between them', async () => {
    const { wall, sim, pacer, steps } = setup(0.3);
    pacer.start();
    await drive(wall, 1000);
    await stop(pacer, wall);
    expect(sim.nowMs()).toBeGreaterThan(997);
    expect(sim.nowMs()).toBeLessThanOrEqual(1000);
    expect(pacer.slippedMs).toBe(0);
    expect(Math.max(...steps.map((s) => s.ms))).toBeLessThanOrEqual(2);
    // Never a busy loop of tiny steps: each step is at least the minimum lag.
    expect(Math.min(...steps.map((s) => s.ms))).toBeGreaterThanOrEqual(1);
  });

  it('after a stall catches up only maxLagMs, in slices, and lets the rest slip', async () => {
    const { wall, sim, pacer, steps } = setup(0.1, { maxLagMs: 50 });
    pacer.start();
    await drive(wall, 100);
    const before = sim.nowMs();
    wall.advance(500); // the process was descheduled (or blocked) for half a second
    const from = steps.length;
    await drive(wall, 100);
    await stop(pacer, wall);
    expect(pacer.slippedMs).toBeGreaterThan(440);
    expect(pacer.slippedMs).toBeLessThan(460);
    // 100 ms of shelf time before, 100 after, 50 caught up: not the 500 lost.
    expect(sim.nowMs() - before).toBeLessThan(160);
    expect(Math.max(...steps.slice(from).map((s) => s.ms))).toBeLessThanOrEqual(2);
  });

  it('when stepping costs more than real time allows, holds its duty share and slips', async () => {
    const { wall, sim, pacer, steps } = setup(2, { dutyMax: 0.5, windowMs: 20 });
    pacer.start();
    await drive(wall, 2000);
    await stop(pacer, wall);
    // Half of each 20 ms window stepping (plus at most one slice's overrun), at 2 ms a ms.
    const busy = new Map<number, number>();
    for (const s of steps) {
      const w = Math.floor(s.atWallMs / 20);
      busy.set(w, (busy.get(w) ?? 0) + s.ms * 2);
    }
    expect(Math.max(...busy.values())).toBeLessThanOrEqual(10 + 4);
    expect(sim.nowMs()).toBeGreaterThan(400);
    expect(sim.nowMs()).toBeLessThan(650);
    expect(pacer.slippedMs).toBeGreaterThan(1300);
  });
});
