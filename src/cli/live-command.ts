import { RealClock } from '../clock/index.js';
import { parseScenario, loadScenarioFile, defaultSharedDir } from '../../sim/scenario/index.js';
import { demoScenarioJson } from '../../sim/demo.js';
import { createSimGateway, lockstep } from '../simlink/index.js';
import type { Gateway } from '../gateway/index.js';
import { redfishAttacher, type RedfishCliOptions } from './redfish-options.js';

/**
 * Real-time pacing: the shelf advances at most SLICE_MS of wall time's worth per step, and
 * catches up at most MAX_LAG_MS after a stall (GC, a descheduled process); the rest slips. A
 * burst of catch-up would hold the event loop the Redfish service and the uplink share.
 */
const SLICE_MS = 2;
const MAX_LAG_MS = 50;

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

  // Discovery runs unpaced: ~11 s of bus time on an HPR shelf that nobody needs to watch.
  let started = false;
  const starting = gateway.start().then(() => (started = true));
  while (!started && !stop) await lockstep(sim, 100);
  await starting;
  process.stdout.write(
    `orv3gw: discovered ${gateway.registry.live().length} devices in ` +
      `${(sim.clock.nowMs() / 1000).toFixed(1)} s of bus time\n`,
  );
  const detach = o.onGateway ? await o.onGateway(gateway) : undefined;
  const detachRedfish = attachRedfish ? await attachRedfish(gateway) : undefined;

  const endS = Math.min(scenario.durationS, o.durationS ?? Infinity);
  const wall0 = real.nowMs();
  const sim0 = sim.clock.nowMs();
  let lastPrint = -Infinity;
  let slippedMs = 0;
  while (!stop) {
    const maxLag = MAX_LAG_MS * o.speed;
    const lag = sim0 + (real.nowMs() - wall0) * o.speed - slippedMs - sim.clock.nowMs();
    if (lag > maxLag) slippedMs += lag - maxLag;
    const stepMs = Math.min(lag, maxLag, SLICE_MS * o.speed, endS * 1000 - sim.clock.nowMs());
    // Simulated time is whole microseconds: a smaller step would not move it.
    const moves = stepMs >= 0.001;
    if (moves) await lockstep(sim, stepMs);
    const now = real.nowMs();
    if (now - lastPrint >= (tty ? 200 : 1000)) {
      const line = statusLine(gateway, sim.clock.nowMs() / 1000);
      process.stdout.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      lastPrint = now;
    }
    if (endS * 1000 - sim.clock.nowMs() < 0.001) break;
    if (!moves) await real.sleep(5);
  }
  process.off('SIGINT', onSig);
  process.off('SIGTERM', onSig);
  const stoppedAtS = sim.clock.nowMs() / 1000;
  if (detachRedfish) await detachRedfish();
  if (detach) await detach();
  // The lanes finish their in-flight transactions on simulated time.
  const stopping = gateway.stop();
  await lockstep(sim, 50);
  await stopping;
  process.stdout.write(`${tty ? '\n' : ''}orv3gw: stopped at t=${stoppedAtS.toFixed(1)} s\n`);
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
