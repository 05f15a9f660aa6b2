/**
 * bench:bus — the wire, measured on one simulated HPR shelf (6 PSUs + 6 BBUs) through our real
 * clients over the simulated twins (every transaction costs its modelled wire time):
 *  - a full slow-lane telemetry sweep at 19200 and 115200 baud, next to the line-rate minimum
 *    for the same registers (characters + mandatory silences with an infinitely fast device);
 *    the ratio is the share of line capacity used for payload + framing (target ≥ 0.8);
 *  - the fast lane (PMBus at 1 MHz, the default control points at 1 kHz): achieved rate and
 *    p99 sample age; and what 400 kHz would allow (the poller refuses an over-capacity plan).
 * Prints a table, or JSON with --json. Times are simulated (the model's), not wall-clock.
 */
import { parseScenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { PMBUS_BBU_BASE, PMBUS_PSU_BASE } from '../../sim/facade/index.js';
import { loadBuiltinMaps } from '../../src/regmap/index.js';
import { lineRateMinimumUs, rtuTiming } from '../../src/protocol/modbus/index.js';
import {
  addressSlot,
  createDriver,
  defaultFastPoints,
  DeviceRegistry,
  Poller,
} from '../../src/devices/index.js';
import { isOrv3Error, ErrorCode } from '../../src/errors.js';
import { lockstep, settle, simulatedPmbus, simulatedRtu } from '../../src/simlink/index.js';

const asJson = process.argv.includes('--json');
const maps = loadBuiltinMaps();

function newSim(): Simulation {
  return new Simulation(
    parseScenario(
      {
        name: 'bench-bus',
        seed: 1,
        durationS: 120,
        zone: { preset: 'orv3-hpr-33kw' },
        load: { kind: 'constant', watts: 26400 },
        grid: { events: [] },
        criteria: {},
      },
      {},
    ),
  );
}

type Driver = ReturnType<typeof createDriver>;

async function shelfDrivers(sim: Simulation, baud: number, pmbusHz: number) {
  const { client: modbus, line } = simulatedRtu(sim.devices, sim.clock, baud);
  const pmbus = simulatedPmbus(sim.devices, 0, sim.clock, pmbusHz);
  // 'any': the bench runs the HPR shelf at 19200 too, off its map's native 115200.
  const registry = new DeviceRegistry(modbus, Object.values(maps.modbus), sim.clock, {
    baud: 'any',
  });
  let done = false;
  void registry.scan().then(() => (done = true));
  while (!done) await lockstep(sim, 100);
  const drivers: Driver[] = registry.live().map((d) =>
    createDriver(d, modbus, sim.clock, {
      pmbus,
      pmbusAddress:
        (d.kind === 'psu' ? PMBUS_PSU_BASE : PMBUS_BBU_BASE) + addressSlot(d.map, d.address)!.slot,
    }),
  );
  return { registry, drivers, modbus, line };
}

interface SweepRow {
  baud: number;
  devices: number;
  transactions: number;
  words: number;
  sweepMs: number;
  lineMinimumMs: number;
  ratio: number;
}

async function sweep(baud: number): Promise<SweepRow> {
  const sim = newSim();
  const { drivers } = await shelfDrivers(sim, baud, 1_000_000);
  // First sweep reads identities too; time the next three (what the slow lane repeats).
  for (const d of drivers) await settle<unknown>(sim.clock, d.readTelemetry());
  const t0 = sim.clock.nowMs();
  const n = 3;
  for (let i = 0; i < n; i++)
    for (const d of drivers) await settle<unknown>(sim.clock, d.readTelemetry());
  const sweepMs = (sim.clock.nowMs() - t0) / n;
  const requests = drivers.flatMap((d) =>
    d.telemetryPlan.transactions.map((t) => ({
      fc: 0x03 as const,
      start: t.begin,
      count: t.length,
    })),
  );
  const lineMinimumMs = lineRateMinimumUs(requests, rtuTiming(baud)) / 1000;
  return {
    baud,
    devices: drivers.length,
    transactions: requests.length,
    words: requests.reduce((a, r) => a + r.count, 0),
    sweepMs,
    lineMinimumMs,
    ratio: lineMinimumMs / sweepMs,
  };
}

interface FastRow {
  pmbusHz: number;
  points: number;
  targetHz: number;
  achievedHz: number | null;
  sampleAgeP50Ms: number | null;
  sampleAgeP99Ms: number | null;
  refused: string | null;
}

async function fastLane(pmbusHz: number): Promise<FastRow> {
  const sim = newSim();
  const { registry, drivers } = await shelfDrivers(sim, 115200, pmbusHz);
  const points = defaultFastPoints(drivers);
  let poller: Poller;
  try {
    poller = new Poller({
      clock: sim.clock,
      registry,
      slow: { devices: drivers, periodMs: 1000 },
      fast: { points, periodMs: 1 },
    });
  } catch (e) {
    if (!isOrv3Error(e, ErrorCode.ScheduleOverCapacity)) throw e;
    return {
      pmbusHz,
      points: points.length,
      targetHz: 1000,
      achievedHz: null,
      sampleAgeP50Ms: null,
      sampleAgeP99Ms: null,
      refused: e.message,
    };
  }
  poller.start();
  await lockstep(sim, 5000);
  const stopping = poller.stop();
  await lockstep(sim, 50);
  await stopping;
  const fast = poller.stats().fast!;
  return {
    pmbusHz,
    points: points.length,
    targetHz: 1000,
    achievedHz: fast.achievedHz,
    sampleAgeP50Ms: fast.sampleAgeP50Ms,
    sampleAgeP99Ms: fast.sampleAgeP99Ms,
    refused: null,
  };
}

const sweeps = [await sweep(19200), await sweep(115200)];
const fast = [await fastLane(1_000_000), await fastLane(400_000)];

if (asJson) {
  process.stdout.write(
    JSON.stringify({ bench: 'bus', shelf: 'orv3-hpr-33kw', sweeps, fast }, null, 2) + '\n',
  );
} else {
  const out: string[] = ['bench:bus — one HPR shelf on the simulated wire (modelled time)', ''];
  out.push(
    'slow lane: full telemetry sweep (Modbus RTU, 11-bit characters, 2 ms device turnaround)',
  );
  out.push('baud     devices  transactions  words  sweep ms  line-rate minimum ms  ratio');
  for (const s of sweeps)
    out.push(
      `${String(s.baud).padEnd(8)} ${String(s.devices).padEnd(8)} ${String(s.transactions).padEnd(13)} ` +
        `${String(s.words).padEnd(6)} ${s.sweepMs.toFixed(1).padEnd(9)} ${s.lineMinimumMs.toFixed(1).padEnd(21)} ${s.ratio.toFixed(3)}`,
    );
  out.push('', 'fast lane: PMBus control points at a 1 kHz target');
  out.push('SMBus clock  points  achieved Hz  sample age p50 ms  p99 ms');
  for (const f of fast)
    out.push(
      f.refused
        ? `${String(f.pmbusHz).padEnd(12)} ${String(f.points).padEnd(7)} refused by the poller: ${f.refused}`
        : `${String(f.pmbusHz).padEnd(12)} ${String(f.points).padEnd(7)} ${f.achievedHz!.toFixed(1).padEnd(12)} ` +
            `${f.sampleAgeP50Ms!.toFixed(3).padEnd(18)} ${f.sampleAgeP99Ms!.toFixed(3)}`,
    );
  const worst = Math.min(...sweeps.map((s) => s.ratio));
  out.push('', `lowest sweep ratio: ${worst.toFixed(3)} (target ≥ 0.8)`);
  process.stdout.write(out.join('\n') + '\n');
}
