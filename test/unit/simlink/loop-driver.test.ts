import { describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../../src/clock/index.js';
import { Journal } from '../../../src/journal/index.js';
import {
  createSimGateway,
  LoopDriver,
  RealTimePacer,
  type SimGateway,
} from '../../../src/simlink/index.js';
import { parseScenario } from '../../../sim/scenario/index.js';
import { demoScenarioJson } from '../../../sim/demo.js';

/**
 * LoopDriver under the way the live command drives it: many small advances from a real-time
 * pacer, advances with nothing left to run at the end of the run, and a stop during discovery.
 *
 * A driver that returns without yielding turns a pacer loop into a chain of promise
 * continuations: timers (vitest's own timeout included) and signal handlers never run again.
 * So the regressions are caught by bounded loops that assert, not by a timeout that could not
 * fire.
 */

/**
 * A shelf without devices whose physics lands exactly where asked (fractional µs included, as
 * bus time is), and a gateway whose discovery takes `discoveryMs` of simulated time. The loop
 * then ticks with no bus traffic; `burnUs` stands for each tick's bus time.
 */
function fakeShelf(discoveryMs = 0) {
  const clock = new VirtualClock();
  const sim = {
    clock,
    tUs: 0,
    advanceTo(us: number): void {
      if (us <= this.tUs) return;
      this.tUs = us;
      clock.advanceTo(us / 1000);
    },
  };
  const calls: string[] = [];
  const gateway = {
    clock,
    journal: new Journal(clock),
    commands: { powerCapW: null, hintListeners: new Set() },
    deviceDrivers: [],
    shelfOfUnit: () => undefined,
    attachControlStatus: () => undefined,
    bbu: () => undefined,
    start: async () => {
      calls.push('start');
      await clock.sleep(discoveryMs);
      calls.push('started');
    },
    stop: () => {
      calls.push('stop');
      return Promise.resolve();
    },
  };
  // The driver and createControlLoop touch only these members of Simulation and Gateway.
  const sg = { sim, gateway, syncSegments: [], deadPmbus: [] } as unknown as SimGateway;
  return { sg, sim, clock, calls };
}

describe('LoopDriver', () => {
  it('runs a tick due within a rounding of now: fractional bus time does not stall the run', async () => {
    const { sg, sim, clock } = fakeShelf();
    // Tick 1 overruns to a fractional µs (the next tick is due then), tick 2 ends 0.2 µs
    // short of tick 3: the clock sits between the whole µs the tick rounds to and the tick.
    const burns = [1000.3, 999.8];
    const driver = new LoopDriver(sg, {
      onTick: () => sim.advanceTo(sim.tUs + (burns.shift() ?? 300)),
    });
    expect(await driver.start()).toBe(true);
    const end = clock.nowMs() + 20;
    for (let i = 0; i < 100 && clock.nowMs() < end; i++) {
      await driver.advanceTo(Math.min(end, clock.nowMs() + 1.7));
    }
    expect(clock.nowMs()).toBeGreaterThanOrEqual(end);
    expect(driver.loop!.stats.ticks).toBeGreaterThanOrEqual(20);
  }, 10_000);

  it('yields to the event loop on every advance, also with nothing left to run', async () => {
    const { sg, clock } = fakeShelf();
    const driver = new LoopDriver(sg);
    expect(await driver.start()).toBe(true);
    await driver.advanceTo(clock.nowMs() + 10);
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    // The end of the run: the pacer keeps asking for "now" until its owner notices.
    for (let i = 0; i < 1000 && !timerRan; i++) await driver.advanceTo(clock.nowMs());
    expect(timerRan).toBe(true);
  }, 10_000);

  it('yields every `yieldEveryTicks` ticks within one advance', async () => {
    const { sg, clock } = fakeShelf();
    const driver = new LoopDriver(sg, { yieldEveryTicks: 5 });
    expect(await driver.start()).toBe(true);
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await driver.advanceTo(clock.nowMs() + 50);
    counting = false;
    expect(driver.loop!.stats.ticks).toBeGreaterThanOrEqual(50);
    // One turn at entry, then one per 5 ticks (no timers on this shelf: no other yields).
    expect(turns).toBeGreaterThanOrEqual(10);
  }, 10_000);

  it('stops discovery when asked, then lets the sweep end before stopping the gateway', async () => {
    const { sg, clock, calls } = fakeShelf(10_000);
    const driver = new LoopDriver(sg);
    expect(await driver.start(60_000, () => clock.nowMs() >= 50)).toBe(false);
    expect(clock.nowMs()).toBeLessThan(100);
    expect(driver.loop).toBeUndefined();
    expect(calls).toEqual(['start']);
    await driver.stop();
    expect(calls).toEqual(['start', 'started', 'stop']);
    expect(clock.nowMs()).toBeGreaterThanOrEqual(10_000);
  }, 10_000);

  it('paced in real time past the end of the run, keeps the event loop turning', async () => {
    const { sg, clock } = fakeShelf();
    const driver = new LoopDriver(sg, { yieldEveryTicks: 2 });
    expect(await driver.start()).toBe(true);
    const real = new RealClock();
    const endMs = clock.nowMs() + 20;
    // Advances since the event loop last turned: a spin ends in an error, not a hung runner.
    let sinceTurn = 0;
    let turning = true;
    const ticker = (): void => {
      sinceTurn = 0;
      if (turning) setImmediate(ticker);
    };
    setImmediate(ticker);
    const pacer = new RealTimePacer(
      clock,
      real,
      (ms) => {
        if (++sinceTurn > 10_000) throw new Error('advances without the event loop turning');
        return driver.advanceTo(clock.nowMs() + Math.min(ms, endMs - clock.nowMs()));
      },
      { speed: 1, maxLagMs: 50, sliceMs: 2 },
    );
    pacer.start();
    // Resolves only if timers still run while the pacer asks for nothing beyond the end.
    await real.sleep(200);
    turning = false;
    await pacer.stop();
    expect(clock.nowMs()).toBeGreaterThanOrEqual(endMs);
    expect(pacer.slices).toBeGreaterThan(0);
  }, 20_000);

  it('ticks the control loop on the demo shelf under many small uneven steps', async () => {
    const scenario = parseScenario(demoScenarioJson(60));
    const sg = createSimGateway(scenario, { inventory: true, gateway: { fastLane: false } });
    const driver = new LoopDriver(sg, {
      control: { nominalVac: scenario.grid.nominalVac },
      yieldEveryTicks: 2,
    });
    const clock = sg.sim.clock;
    expect(await driver.start()).toBe(true);
    const t0 = clock.nowMs();
    const end = t0 + 300;
    // Pacer-like slices of 0.3–2.3 ms of simulated time, never on the µs grid.
    for (let i = 0; i < 1000 && clock.nowMs() < end; i++) {
      await driver.advanceTo(Math.min(end, clock.nowMs() + 0.3 + ((i * 0.7131) % 2)));
    }
    expect(clock.nowMs()).toBeGreaterThanOrEqual(end);
    const loop = driver.loop!;
    expect(loop.mode).toBe('normal');
    expect(loop.stats.ticks).toBeGreaterThanOrEqual(295);
    expect(loop.stats.ticks).toBeLessThanOrEqual(305);
    expect(loop.lastZoneView!.busV).toBeGreaterThan(48);
    await driver.stop();
  }, 30_000);
});
