import { RealClock } from '../clock/index.js';
import { parseScenario, loadScenarioFile, defaultSharedDir } from '../../sim/scenario/index.js';
import { demoScenarioJson } from '../../sim/demo.js';
import { createSimGateway, LoopDriver, RealTimePacer, rebaseEpoch } from '../simlink/index.js';
import type { ControlLoop } from '../control/index.js';
import type { Gateway } from '../gateway/index.js';
import { redfishAttacher, type RedfishCliOptions } from './redfish-options.js';

export interface LiveOptions {
  scenarioFile?: string | undefined;
  speed: number;
  /** Shelf seconds to run once discovery is done (paced: wall seconds at speed 1). */
  durationS?: number | undefined;
  sharedDir?: string | undefined;
  /** Run the 1 kHz control loop (default true); off, the gateway only polls (fast lane on). */
  control?: boolean | undefined;
  /** Called once the gateway runs (the north side attaches here). */
  onGateway?: (gw: Gateway) => Promise<() => Promise<void>>;
  /** The Redfish service (docs/REDFISH.md); off when undefined. */
  redfish?: RedfishCliOptions | undefined;
}

/** Simulated time discovery may take before the command gives up, ms (HPR sweep ≈ 11 s). */
const DISCOVERY_MAX_MS = 120_000;
/**
 * Longest pacer slice, simulated ms (≈ 25 ms of CPU with control): a stop waits for the slice
 * in progress, however high `--speed` is.
 */
const MAX_SLICE_MS = 100;
/** Ticks run back to back before the event loop is let in (≈ 1 ms of CPU on an HPR shelf). */
const YIELD_EVERY_TICKS = 4;

/**
 * The gateway process against the built-in simulated shelf, in real time (or `speed` times
 * faster): discovery and the slow lane over the simulated Modbus wire, and either the 1 kHz
 * control loop on the PMBus segments (default; it owns them, so the poller's fast lane is off)
 * or the poller's fast lane alone (`control: false`). Gateway and shelf run in lockstep on the
 * simulation's clock (LoopDriver), paced by the RealClock. The status line is the gateway's own
 * view (what it read over the buses), each number labelled with the lane it came from.
 *
 * Discovery runs unpaced, so the shelf's clock (whose epoch starts at the wall clock) is ahead
 * of the wall clock when it ends: its epoch is re-anchored then, before the north side sees a
 * timestamp. `durationS` counts from there, so a short run still reaches the control loop.
 */
export async function runLiveCommand(o: LiveOptions): Promise<void> {
  const sharedDir = o.sharedDir ?? defaultSharedDir();
  const scenario = o.scenarioFile
    ? loadScenarioFile(o.scenarioFile, { sharedDir })
    : parseScenario(demoScenarioJson(), { sharedDir });
  if (!(o.speed > 0)) throw new RangeError('--speed must be > 0');
  if (o.durationS !== undefined && !(o.durationS > 0))
    throw new RangeError('--duration must be > 0');
  const control = o.control !== false;
  const real = new RealClock();
  // Flags, config file and environment are checked before anything starts.
  const attachRedfish = o.redfish ? redfishAttacher({ clock: real, ...o.redfish }) : undefined;
  const sg = createSimGateway(scenario, {
    epochOriginMs: real.epochMs(),
    ...(control ? { gateway: { fastLane: false } } : {}),
  });
  const { sim, gateway } = sg;
  let minBusV = Infinity;
  const driver = new LoopDriver(sg, {
    withControl: control,
    control: { nominalVac: scenario.grid.nominalVac },
    yieldEveryTicks: YIELD_EVERY_TICKS,
    onTick: () => {
      const v = driver.loop?.lastZoneView?.busV ?? NaN;
      if (v < minBusV) minBusV = v;
    },
  });
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    `orv3gw: gateway on the simulated shelf "${scenario.name}" ` +
      `(${scenario.description || 'no description'}), ${o.speed}× real time, ` +
      `${control ? 'control loop on' : 'polling only (no control)'}, Ctrl-C to stop\n`,
  );
  let stop = false;
  const onSig = (): void => {
    stop = true;
  };
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  const offSignals = (): void => {
    process.off('SIGINT', onSig);
    process.off('SIGTERM', onSig);
  };
  const at = (): string => `t=${(sim.clock.nowMs() / 1000).toFixed(1)} s`;

  // What the loop decides and commands (exclusions at its start, mode changes, restarts) as it
  // happens: a 150 ms ride falls between two status lines.
  const unsubscribe = gateway.journal.subscribe((e) => {
    if (e.origin !== 'control' && e.origin !== 'safety' && e.origin !== 'command') return;
    const line = `orv3gw: ${at()}: ${e.message}`;
    process.stdout.write(tty ? `\r\x1b[K${line}\n` : `${line}\n`);
  });

  // Discovery runs unpaced: ~11 s of bus time on an HPR shelf that nobody needs to watch. A
  // signal during it stops the gateway, and the shelf lives on until the sweep has ended.
  if (!(await driver.start(DISCOVERY_MAX_MS, () => stop))) {
    await driver.stop(DISCOVERY_MAX_MS);
    offSignals();
    unsubscribe();
    process.stdout.write(
      stop
        ? `orv3gw: stopped during discovery at ${at()}\n`
        : `orv3gw: discovery did not finish within ${DISCOVERY_MAX_MS / 1000} s of bus time; stopped at ${at()}\n`,
    );
    return;
  }
  const discoveredMs = sim.clock.nowMs();
  process.stdout.write(
    `orv3gw: discovered ${gateway.registry.live().length} devices in ` +
      `${(discoveredMs / 1000).toFixed(1)} s of bus time\n`,
  );
  const loop = driver.loop;
  // Discovery's bus time (~11 s on the HPR shelf) went by in about a second of wall time:
  // without this every epoch stamp from here on (Redfish readings and LogEntries, Sparkplug
  // metrics) would be ~10 s in the future. The journal's discovery entries move back with it.
  rebaseEpoch(sg, real.epochMs());
  const detach = o.onGateway ? await o.onGateway(gateway) : undefined;
  const detachRedfish = attachRedfish ? await attachRedfish(gateway) : undefined;

  // Real-time pacing shares the event loop with the Redfish service and the uplink: the shelf
  // runs in short slices (and the driver yields every few ticks within one), under a CPU duty
  // cap, and a stall is caught up only so far — the rest slips (src/simlink/real-time-pacer.ts).
  // The scenario's own end is on its clock (discovery included); --duration counts from here.
  const endMs = Math.min(
    scenario.durationS * 1000,
    discoveredMs + (o.durationS ?? Infinity) * 1000,
  );
  const pacer = new RealTimePacer(
    sim.clock,
    real,
    async (ms) => {
      const left = endMs - sim.clock.nowMs();
      // Simulated time is whole microseconds: a smaller step would not move it.
      if (left >= 0.001) await driver.advanceTo(sim.clock.nowMs() + Math.min(ms, left));
      else await real.sleep(5);
    },
    { speed: o.speed, maxLagMs: 50 * o.speed, sliceMs: Math.min(2 * o.speed, MAX_SLICE_MS) },
  );
  // The shelf stood still while the north side attached (a certificate generated, a broker
  // connected): anchor again so that shelf and wall clock start together.
  rebaseEpoch(sg, real.epochMs());
  pacer.start();
  const rate = new TickRate();
  let lastPrint = -Infinity;
  while (!stop && endMs - sim.clock.nowMs() >= 0.001) {
    const now = real.nowMs();
    if (now - lastPrint >= (tty ? 200 : 1000)) {
      const tS = sim.clock.nowMs() / 1000;
      const line = loop
        ? controlStatusLine(gateway, loop, tS, rate.hz(loop, sim.clock.nowMs()))
        : statusLine(gateway, tS);
      process.stdout.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      lastPrint = now;
    }
    await real.sleep(20);
  }
  await pacer.stop();
  offSignals();
  const stoppedAt = at();
  unsubscribe();
  if (detachRedfish) await detachRedfish();
  if (detach) await detach();
  // The lanes finish their in-flight transactions on simulated time (a transaction to a dead
  // address may wait out its timeout and retries), so the shelf lives on until they have. The
  // control loop is simply no longer ticked: its leases lapse and the shelf reverts to native.
  await driver.stop(60_000);
  const slip =
    pacer.slippedMs >= 1 ? ` (${(pacer.slippedMs / 1000).toFixed(1)} s behind the wall clock)` : '';
  if (tty) process.stdout.write('\n');
  if (loop) {
    const s = loop.stats;
    process.stdout.write(
      `orv3gw: control loop: ${s.ticks} ticks, ${s.overruns} overruns, ${s.readFailures} read failures; ` +
        `lowest bus it read ${f(Number.isFinite(minBusV) ? minBusV : null, 2, ' V')}\n`,
    );
  }
  process.stdout.write(`orv3gw: stopped at ${stoppedAt}${slip}\n`);
}

const f = (v: number | null, d: number, unit: string): string =>
  v === null || Number.isNaN(v) ? '—' : `${v.toFixed(d)}${unit}`;

/** Polling only: the poller's fast lane gives bus and AC at 1 kHz, the slow lane the rest. */
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

/**
 * With control: the loop's own view (its last tick over PMBus: mode, AC, bus, load, BBU
 * output) and its rate on the shelf's clock, then what the slow lane (Modbus, ~1 Hz) last read —
 * the gateway summary's only source while the loop owns the PMBus segments.
 */
export function controlStatusLine(
  gw: Gateway,
  loop: ControlLoop,
  tS: number,
  hz: number | null,
): string {
  const v = loop.lastZoneView;
  let bbuW = NaN;
  if (v) {
    bbuW = 0;
    for (const b of v.bbus) bbuW += Number.isFinite(b.poutW) ? b.poutW : 0;
  }
  const s = gw.summary();
  return (
    `t=${tS.toFixed(1).padStart(7)}s  control ${loop.mode}:` +
    ` AC ${v ? `${f(v.acVac, 0, ' V')} (${loop.acState})` : '—'}  bus ${f(v?.busV ?? null, 2, ' V')}  load ${f((v?.loadW ?? NaN) / 1000, 1, ' kW')}` +
    `  BBU ${f(bbuW / 1000, 1, ' kW')}  ${f(hz, 0, ' ticks/s')} ${loop.stats.overruns} overruns` +
    `  | slow lane: bus ${f(s.busV, 2, ' V')} (age ${f(slowBusAgeMs(gw), 0, ' ms')})` +
    `  PSU in ${f(s.psuInputW / 1000, 1, ' kW')} out ${f(s.psuOutputW / 1000, 1, ' kW')}` +
    `  BBU SoC min ${f(s.minSocPct, 1, ' %')} discharging ${s.bbusDischarging}` +
    `  devices ${s.live} live ${s.dormant} dormant`
  );
}

/** Age of the slow-lane bus reading the summary falls back to (the first BBU's), ms. */
function slowBusAgeMs(gw: Gateway): number | null {
  for (const d of gw.deviceDrivers) {
    if (d.kind !== 'bbu') continue;
    const t = gw.bbu(d.unit);
    if (t) return gw.clock.nowMs() - t.bus.sampledAtMs;
  }
  return null;
}

/** Ticks per second of the shelf's clock between two status lines. */
class TickRate {
  private ticks = 0;
  private atMs = NaN;

  hz(loop: ControlLoop, nowMs: number): number | null {
    const dt = nowMs - this.atMs;
    const n = loop.stats.ticks - this.ticks;
    this.ticks = loop.stats.ticks;
    this.atMs = nowMs;
    return dt > 0 ? (n * 1000) / dt : null;
  }
}
