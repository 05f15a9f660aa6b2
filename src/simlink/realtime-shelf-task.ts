/**
 * A real-time task (src/control/realtime) that runs the real control loop against a simulated
 * shelf inside the worker thread: the shelf's physics is caught up to the worker's clock at the
 * start of each tick, then `ControlLoop.tick()` reads, decides and writes over the simulated
 * PMBus segments exactly as it would over i2c-dev (framing, PEC, codecs — only the wire time is
 * not paid in real time). bench:loop uses it to measure the loop's own jitter and sample-to-
 * command latency with the real control code; it is a harness, so it lives in simlink.
 *
 * Options (JSON): { scenario?: object (DESIGN §6; default the demo shelf), sharedDir?: string,
 * payWireTime?: boolean (default true: the tick's modelled bus time is slept, as the blocking
 * i2c-dev ioctls would hold the thread) }.
 * Telemetry record: tick, sampleAtMs, commandAtMs, busV, loadW, dischargeW, mode code, physicsMs.
 */
import { SyncPmbusClient } from '../bus/pmbus/index.js';
import { ControlLoop, FAMILY_FACTS, FastLaneIo, type ControlDevice } from '../control/index.js';
import type { JsonValue, RealtimeTask, TaskContext } from '../control/realtime/index.js';
import { demoScenarioJson } from '../../sim/demo.js';
import { parseScenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { simulatedSmbusAdapter } from './wires.js';

const MODE_CODE = { autonomous: 0, normal: 1, ride: 2, recover: 3 } as const;

export function createTask(options: JsonValue, ctx: TaskContext): RealtimeTask {
  const o =
    options !== null && typeof options === 'object' && !Array.isArray(options) ? options : {};
  const rec = o as Record<string, JsonValue>;
  const sharedDir = typeof rec['sharedDir'] === 'string' ? rec['sharedDir'] : undefined;
  const doc =
    rec['scenario'] !== undefined && rec['scenario'] !== null && typeof rec['scenario'] === 'object'
      ? (rec['scenario'] as Record<string, unknown>)
      : demoScenarioJson();
  const scenario = parseScenario(doc, sharedDir === undefined ? {} : { sharedDir });
  const sim = new Simulation(scenario);
  const segments = Array.from(
    { length: scenario.zone.shelves },
    (_, shelf) =>
      new SyncPmbusClient(simulatedSmbusAdapter(sim.devices, shelf, sim.clock, 1_000_000)),
  );
  // The site inventory (what a deployment's config lists): the zone's modules and slots.
  const devices: ControlDevice[] = sim.devices.list().map((d) => ({
    id: `${d.kind}-${d.modbusAddress}`,
    kind: d.kind,
    unit: d.modbusAddress,
    segment: d.shelf,
    address: d.pmbusAddress,
    ratedW: FAMILY_FACTS[d.family]?.ratedW ?? 0,
  }));
  let capW: number | null = null;
  const pay = rec['payWireTime'] !== false;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  // The shelf's t=0 is the task's creation: init's transactions already cost wire time.
  const t0 = ctx.clock.nowMs();
  // Worker-clock time the wire is busy until. Each transaction moves it on by its modelled time
  // and the shelf's physics runs to that point (it is the other side of the wire); the debt is
  // slept once, at the end of the tick's bus work. Slept, not spun: a blocking ioctl costs the
  // wire time but no CPU, and the CPU the loop does not use is what the main thread's services
  // run on. Once, not per transaction: every sleep here is a wake-up whose lateness is the
  // machine's (a VM's vCPU wake-ups run ms late: bench:loop's platform floor), and the 11-14 of
  // them a tick measured the hypervisor, not the loop; the tick still costs the wire's time.
  let wireUntil = t0;
  const wireTime = (us: number): void => {
    wireUntil = Math.max(wireUntil, ctx.clock.nowMs()) + us / 1000;
    const endUs = Math.round((wireUntil - t0) * 1000);
    if (endUs > sim.tUs) sim.advanceTo(endUs);
  };
  const payWire = (): void => {
    const left = wireUntil - ctx.clock.nowMs();
    if (left > 0) Atomics.wait(sleeper, 0, 0, left);
  };
  const loop = new ControlLoop({
    clock: ctx.clock,
    io: new FastLaneIo(segments),
    devices,
    config: { nominalVac: scenario.grid.nominalVac, tickMs: ctx.periodMs },
    bbuCapacityWh: () => scenario.zone.bbuEnergyWh,
    // On hardware the ioctl blocks the thread for the wire time while the shelf lives on: here
    // the shelf's physics runs in that time (it is the other side of the wire), then the rest
    // of the transaction is slept, so the tick costs what the wire costs, not the simulator.
    ...(pay ? { elapse: (us: number) => wireTime(us) } : {}),
    powerCapW: () => capW,
  });
  loop.init();
  payWire();
  const record = new Float64Array(ctx.telemetryWidth);
  let ticks = 0;
  return {
    command(cmd): void {
      if (cmd.kind === 'setPowerCap') capW = Number.isFinite(cmd.watts) ? cmd.watts : null;
      else loop.hint(cmd.deltaW, cmd.leadMs);
    },
    tick(nowMs: number): void {
      // The other side of the wire: the shelf lives on while the loop sleeps.
      const endUs = Math.round((nowMs - t0) * 1000);
      if (endUs > sim.tUs) sim.advanceTo(endUs);
      const sampleAt = ctx.clock.nowMs();
      const d = loop.tick();
      payWire(); // the last transaction, the command's write, ends when the wire does
      const commandAt = ctx.clock.nowMs();
      ctx.recordLatency(sampleAt, commandAt);
      const v = loop.lastZoneView;
      let dis = 0;
      for (let i = 0; i < d.dischargeW.length; i++) dis += d.dischargeW[i]!;
      record[0] = ++ticks;
      record[1] = sampleAt;
      record[2] = commandAt;
      record[3] = v?.busV ?? NaN;
      record[4] = v?.loadW ?? NaN;
      record[5] = dis;
      record[6] = MODE_CODE[d.mode];
      record[7] = sampleAt - nowMs;
      ctx.publish(record);
    },
  };
}
