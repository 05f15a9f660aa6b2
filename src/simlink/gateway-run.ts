/**
 * A scenario run with the gateway in the loop: the gateway discovers the simulated shelf over
 * Modbus RTU, the control loop takes the PMBus segments at 1 kHz, and shelf and gateway advance
 * together on the VirtualClock — each control tick charges its bus transactions as elapsed
 * time, the slow lane's transactions run as clock timers. The gateway sees the shelf only
 * through those buses (and the hint channel); the result object is the conventional one.
 */
import type { ControlConfig, ControlLoop } from '../control/index.js';
import { createControlLoop } from '../gateway/control-link.js';
import type { GatewayOptions } from '../gateway/index.js';
import { ScenarioRun, type RunOptions, type RunResult } from '../../sim/run/runner.js';
import type { Scenario } from '../../sim/scenario/index.js';
import { createSimGateway, type SimGateway } from './sim-gateway.js';
import { settle } from './lockstep.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface GatewayRunOptions extends RunOptions {
  readonly control?: Partial<ControlConfig>;
  readonly gateway?: Partial<Omit<GatewayOptions, 'clock' | 'modbus' | 'pmbus'>>;
  /** Called once the loop runs (fault injection, hints, extra probes in tests). */
  readonly onReady?: (ctx: GatewayRunContext) => void;
  /** Called after every control tick (property tests check invariants here). */
  readonly onTick?: (ctx: GatewayRunContext) => void;
  /** Fault injection: the gateway process dies at this simulated time (no more bus traffic). */
  readonly killAtS?: number;
  /** Fault injection: may alter PMBus response bytes (data, PEC) in place. */
  readonly corruptPmbus?: (shelf: number, address: number, command: number, rx: Uint8Array) => void;
}

export interface GatewayRunContext {
  readonly sg: SimGateway;
  readonly loop: ControlLoop;
  readonly run: ScenarioRun;
}

export interface GatewayRunResult extends RunResult {
  control: {
    ticks: number;
    overruns: number;
    meanTickBusUs: number;
    maxTickBusUs: number;
    readFailures: number;
    writes: number;
    restarts: number;
    interlocks: Record<string, number>;
    watchdogTrips: number;
    startedAtS: number;
    journal: number;
  };
}

/**
 * Runs `scenario` with the gateway controlling the shelf. Lockstep: async gateway work (Modbus
 * slow lane, discovery) runs between ticks up to the next tick time; the tick itself is
 * synchronous and advances the shelf by its own bus time.
 */
export async function runScenarioWithGateway(
  scenario: Scenario,
  opts: GatewayRunOptions = {},
): Promise<GatewayRunResult> {
  const sg = createSimGateway(scenario, {
    inventory: true,
    ...(opts.corruptPmbus ? { corruptPmbus: opts.corruptPmbus } : {}),
    gateway: { fastLane: false, ...opts.gateway },
  });
  const run = new ScenarioRun(scenario, opts, sg.sim);
  const sim = sg.sim;
  const clock = sim.clock;
  const endMs = run.endUs / 1000;

  /** Async work up to tMs, timer by timer, measuring every physics step. */
  const until = async (tMs: number): Promise<void> => {
    for (;;) {
      await flush();
      const due = clock.nextDueMs();
      if (due !== null && due <= clock.nowMs()) {
        clock.advanceTo(clock.nowMs());
        continue;
      }
      const nextUs = Math.ceil((due === null ? tMs : Math.min(tMs, due)) * 1000);
      run.advanceTo(Math.max(nextUs, sim.tUs + 1));
      if (clock.nowMs() >= tMs || sim.tUs >= run.endUs) break;
    }
  };

  let started = false;
  let failed: unknown;
  sg.gateway.start().then(
    () => (started = true),
    (e: unknown) => (failed = e),
  );
  while (!started && failed === undefined && clock.nowMs() < endMs) await until(clock.nowMs() + 5);
  if (failed !== undefined) throw failed;
  const loop = createControlLoop(sg.gateway, {
    segments: sg.syncSegments,
    config: { nominalVac: scenario.grid.nominalVac, ...opts.control },
    elapse: (us) => run.advanceBy(us),
  });
  const startedAtS = clock.nowMs() / 1000;
  loop.init();
  const ctx: GatewayRunContext = { sg, loop, run };
  opts.onReady?.(ctx);
  const tick = loop.cfg.tickMs;
  let next = clock.nowMs();
  let lastProgress = 0;
  const killMs = opts.killAtS === undefined ? Infinity : opts.killAtS * 1000;
  let killed = false;
  while (sim.tUs < run.endUs) {
    if (!killed && clock.nowMs() >= killMs) {
      // A dead gateway: no ticks, and its async work never runs again (the event loop is not
      // yielded until the shelf has run to the end, natively once the leases lapse).
      killed = true;
      run.advanceTo(run.endUs);
      break;
    }
    // Slow-lane work between ticks; skip the event-loop round trip when no timer is due.
    const due = clock.nextDueMs();
    if (due !== null && due <= next) await until(next);
    else run.advanceTo(Math.round(next * 1000));
    if (sim.tUs >= run.endUs) break;
    loop.tick();
    opts.onTick?.(ctx);
    next = Math.max(next + tick, clock.nowMs());
    if (opts.onProgress && clock.nowMs() - lastProgress >= 1000) {
      lastProgress = clock.nowMs();
      opts.onProgress(lastProgress / 1000);
    }
  }
  // The slow lane may be mid-transaction: let the clock run (physics has ended) until it stops.
  if (!killed) await settle(clock, sg.gateway.stop());
  const base = run.result(true);
  const s = loop.stats;
  return {
    ...base,
    control: {
      ticks: s.ticks,
      overruns: s.overruns,
      meanTickBusUs: s.ticks > 0 ? s.sumTickBusUs / s.ticks : 0,
      maxTickBusUs: s.maxTickBusUs,
      readFailures: s.readFailures,
      writes: s.writes,
      restarts: s.restarts,
      interlocks: { ...loop.coordinator.interlocks },
      watchdogTrips: loop.coordinator.watchdog.trips,
      startedAtS,
      journal: sg.gateway.journal.entries().length,
    },
  };
}
