/**
 * A scenario run with the gateway in the loop: the gateway discovers the simulated shelf over
 * Modbus RTU, the control loop takes the PMBus segments at 1 kHz, and shelf and gateway advance
 * together on the VirtualClock (LoopDriver). The gateway sees the shelf only through those buses
 * (and the hint channel); the result object is the conventional one plus control statistics.
 */
import type { ControlConfig, ControlLoop } from '../control/index.js';
import type { GatewayOptions } from '../gateway/index.js';
import { ScenarioRun, type RunOptions, type RunResult } from '../../sim/run/runner.js';
import type { Scenario } from '../../sim/scenario/index.js';
import { createSimGateway, type SimGateway } from './sim-gateway.js';
import { LoopDriver } from './loop-driver.js';

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
    /** Setpoint changes that waited a tick for bus time. */
    deferredWrites: number;
    restarts: number;
    interlocks: Record<string, number>;
    watchdogTrips: number;
    startedAtS: number;
    journal: number;
  };
}

/** Runs `scenario` with the gateway controlling the shelf (see LoopDriver for the lockstep). */
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
  const ref: { ctx?: GatewayRunContext } = {};
  const driver = new LoopDriver(sg, {
    control: { nominalVac: scenario.grid.nominalVac, ...opts.control },
    advanceTo: (us) => run.advanceTo(us),
    ...(opts.onTick ? { onTick: () => opts.onTick!(ref.ctx!) } : {}),
  });
  const endMs = run.endUs / 1000;
  if (!(await driver.start(endMs))) throw new Error(`${scenario.name}: discovery did not finish`);
  const loop = driver.loop!;
  const ctx: GatewayRunContext = { sg, loop, run };
  ref.ctx = ctx;
  const startedAtS = sg.sim.clock.nowMs() / 1000;
  opts.onReady?.(ctx);
  const killMs = opts.killAtS === undefined ? Infinity : opts.killAtS * 1000;
  const stepMs = opts.onProgress ? 1000 : endMs;
  let killed = false;
  for (let t = sg.sim.clock.nowMs(); t < endMs;) {
    t = Math.min(endMs, killMs, t + stepMs);
    await driver.advanceTo(t);
    opts.onProgress?.(t / 1000);
    if (t >= killMs) {
      // A dead gateway: no ticks, and its async work never runs again (the event loop is not
      // yielded until the shelf has run to the end, natively once the leases lapse).
      killed = true;
      run.advanceTo(run.endUs);
      break;
    }
    if (sg.sim.tUs >= run.endUs) break;
  }
  if (!killed) await driver.stop();
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
      deferredWrites: s.deferredWrites,
      restarts: s.restarts,
      interlocks: { ...loop.coordinator.interlocks },
      watchdogTrips: loop.coordinator.watchdog.trips,
      startedAtS,
      journal: sg.gateway.journal.entries().length,
    },
  };
}
