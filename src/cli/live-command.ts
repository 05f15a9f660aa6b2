import { RealClock } from '../clock/index.js';
import { parseScenario, loadScenarioFile, defaultSharedDir } from '../../sim/scenario/index.js';
import { demoScenarioJson } from '../../sim/demo.js';
import { createSimGateway, lockstep, lockstepUntil, RealTimePacer } from '../simlink/index.js';
import type { Gateway } from '../gateway/index.js';
import { redfishAttacher, type RedfishCliOptions } from './redfish-options.js';

export interface LiveOptions {
  scenarioFile?: string | undefined;
  speed: number;
  durationS?: number | undefined;
  sharedDir?: string | undefined;
  /** Called once the gateway runs (the north side attaches here). */
  onGateway?: (gw: Gateway) => Promise<() => Promise<void>>;
  /** The Redfish service (docs/REDFISH.md); off when undefined. */
  redfish?: RedfishCliOptions | undefined;
}

/**
 * The gateway process against the built-in simulated shelf, in real time (or `speed` times
 * faster): discovery, drivers and both poller lanes over the simulated wires, in lockstep with
 * the physics on the simulation's clock, paced by the RealClock. The status line is the
 * gateway's own view (what it read over the buses), not the simulator's.
 */
export async function runLiveCommand(o: LiveOptions): Promise<void> {
  const sharedDir = o.sharedDir ?? defaultSharedDir();
  const scenario = o.scenarioFile
    ? loadScenarioFile(o.scenarioFile, { sharedDir })
    : parseScenario(demoScenarioJson(), { sharedDir });
  if (!(o.speed > 0)) throw new RangeError('--speed must be > 0');
  const real = new RealClock();
  // Flags, config file and environment are checked before anything starts.
  const attachRedfish = o.redfish ? redfishAttacher({ clock: real, ...o.redfish }) : undefined;
  const { sim, gateway } = createSimGateway(scenario, { epochOriginMs: real.epochMs() });
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    `orv3gw: gateway on the simulated shelf "${scenario.name}" ` +
      `(${scenario.description || 'no description'}), ${o.speed}× real time, Ctrl-C to stop\n`,
  );
  let stop = false;
  const onSig = (): void => {
    stop = true;
  };
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);

  // Discovery runs unpaced: ~11 s of bus time on an HPR shelf that nobody needs to watch. A
  // signal during it stops the gateway, and the shelf lives on until the sweep has given up.
  const starting = gateway.start();
  let started = false;
  void starting.then(() => (started = true));
  while (!started && !stop) await lockstep(sim, 100);
  if (!started) {
    await lockstepUntil(sim, Promise.allSettled([starting, gateway.stop()]), 120_000);
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
    process.stdout.write(
      `orv3gw: stopped during discovery at t=${(sim.clock.nowMs() / 1000).toFixed(1)} s\n`,
    );
    return;
  }
  process.stdout.write(
    `orv3gw: discovered ${gateway.registry.live().length} devices in ` +
      `${(sim.clock.nowMs() / 1000).toFixed(1)} s of bus time\n`,
  );
  const detach = o.onGateway ? await o.onGateway(gateway) : undefined;
  const detachRedfish = attachRedfish ? await attachRedfish(gateway) : undefined;

  // Real-time pacing shares the event loop with the Redfish service and the uplink: the shelf
  // runs in short slices, under a CPU duty cap, and a stall is caught up only so far — the rest
  // slips (src/simlink/real-time-pacer.ts) instead of holding the loop in one burst.
  const endMs = Math.min(scenario.durationS, o.durationS ?? Infinity) * 1000;
  const pacer = new RealTimePacer(
    sim.clock,
    real,
    async (ms) => {
      const left = endMs - sim.clock.nowMs();
      // Simulated time is whole microseconds: a smaller step would not move it.
      if (left >= 0.001) await lockstep(sim, Math.min(ms, left));
      else await real.sleep(5);
    },
    { speed: o.speed, maxLagMs: 50 * o.speed, sliceMs: 2 * o.speed },
  );
  pacer.start();
  let lastPrint = -Infinity;
  while (!stop && endMs - sim.clock.nowMs() >= 0.001) {
    const now = real.nowMs();
    if (now - lastPrint >= (tty ? 200 : 1000)) {
      const line = statusLine(gateway, sim.clock.nowMs() / 1000);
      process.stdout.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      lastPrint = now;
    }
    await real.sleep(20);
  }
  await pacer.stop();
  process.off('SIGINT', onSig);
  process.off('SIGTERM', onSig);
  const stoppedAtS = sim.clock.nowMs() / 1000;
  if (detachRedfish) await detachRedfish();
  if (detach) await detach();
  // The lanes finish their in-flight transactions on simulated time (a transaction to a dead
  // address may wait out its timeout and retries), so the shelf lives on until they have.
  await lockstepUntil(sim, gateway.stop(), 60_000);
  const slip =
    pacer.slippedMs >= 1 ? ` (${(pacer.slippedMs / 1000).toFixed(1)} s behind the wall clock)` : '';
  process.stdout.write(
    `${tty ? '\n' : ''}orv3gw: stopped at t=${stoppedAtS.toFixed(1)} s${slip}\n`,
  );
}

const f = (v: number | null, d: number, unit: string): string =>
  v === null ? '—' : `${v.toFixed(d)}${unit}`;

export function statusLine(gw: Gateway, tS: number): string {
  const s = gw.summary();
  return (
    `t=${tS.toFixed(1).padStart(7)}s  AC min ${f(s.minAcInputV, 0, ' V')}  bus ${f(s.busV, 2, ' V')}` +
    ` (age ${f(s.busAgeMs, 1, ' ms')})  PSU in ${f(s.psuInputW / 1000, 1, ' kW')}` +
    ` out ${f(s.psuOutputW / 1000, 1, ' kW')}  BBU SoC min ${f(s.minSocPct, 1, ' %')}` +
    ` discharging ${s.bbusDischarging}  devices ${s.live} live ${s.dormant} dormant` +
    `  fast lane ${f(s.fastHz, 0, ' Hz')}`
  );
}
