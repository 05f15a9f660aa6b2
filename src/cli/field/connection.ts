/**
 * The wire a field command talks over, chosen by exactly one of --sim, --modbus-tcp or --port:
 * the real bus clients in every case (over the simulated line for --sim), so what works here
 * works on the rack. For --sim the shelf runs on its VirtualClock and `run` drives it in
 * lockstep with the gateway side; `wait` paces it against the wall clock (monitor).
 */
import type { Command } from 'commander';
import type { ModbusClient } from '../../bus/index.js';
import { modbus } from '../../bus/index.js';
import { RealClock } from '../../clock/index.js';
import type { Clock } from '../../clock/index.js';
import { loadBuiltinMaps } from '../../regmap/index.js';
import type { BuiltinModbusFamily, ModbusRegisterMap } from '../../regmap/index.js';
import { lockstep, simulatedRtu } from '../../simlink/index.js';
import { defaultSharedDir, loadScenarioFile, parseScenario } from '../../../sim/scenario/index.js';
import { Simulation } from '../../../sim/simulation.js';
import { demoScenarioJson } from '../../../sim/demo.js';
import { parseHostPort } from '../serve-command.js';
import { FieldUsageError, parsePositive } from './args.js';

/** Options every field command takes (commander's camel-cased names). */
export interface ConnectionCliOptions {
  sim?: boolean;
  scenario?: string;
  sharedDir?: string;
  modbusTcp?: string;
  port?: string;
  baud?: string;
  parity?: string;
  family: string;
  timeoutMs?: string;
  json?: boolean;
}

export interface Connection {
  readonly client: ModbusClient;
  readonly clock: Clock;
  /** The register maps of the selected --family. */
  readonly maps: readonly ModbusRegisterMap[];
  /** One line saying what we are talking to. */
  readonly label: string;
  readonly sim: Simulation | undefined;
  /** Response timeout per request from --timeout-ms (undefined: the client's default). */
  readonly timeoutMs: number | undefined;
  /** Runs gateway work to its end; on --sim, the shelf advances in lockstep meanwhile. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Lets `ms` pass on the connection's clock, at wall-clock pace (--sim included). */
  wait(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Lets tests reach the simulated shelf behind --sim (to check what a command did to it). */
export interface FieldHooks {
  readonly onSimulation?: (sim: Simulation) => void;
}

const FAMILIES: Readonly<Record<string, readonly BuiltinModbusFamily[]>> = {
  orv3: ['orv3-psu', 'orv3-bbu'],
  hpr: ['hpr-psu', 'hpr-bbu'],
  auto: ['orv3-psu', 'orv3-bbu', 'hpr-psu', 'hpr-bbu'],
};
const PARITIES = ['none', 'even', 'odd'] as const;
/** The ORv3 specification's line speed, for a real port when nothing says otherwise. */
const ORV3_BAUD = 19200;
/** Slice of virtual time per lockstep call; only bounds how far the shelf overshoots the work. */
const SIM_SLICE_MS = 5;
/** Wall-clock pacing granularity of --sim, as `orv3gw run --sim`. */
const PACE_MS = 50;

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--sim', 'talk to an in-process simulated shelf (no hardware)')
    .option('-s, --scenario <file>', 'with --sim: scenario JSON (default: the embedded demo)')
    .option('--shared-dir <dir>', 'with --sim: folder that $SHARED/ paths resolve against')
    .option('--modbus-tcp <host:port>', 'Modbus TCP gateway, e.g. `orv3gw sim serve --modbus-tcp`')
    .option('--port <path>', 'RS-485 adapter, e.g. /dev/ttyUSB0 (Modbus RTU)')
    .option('--baud <n>', 'RTU line speed (default: the family’s, ORv3 19200, HPR 115200)')
    .option('--parity <p>', 'with --port: none, even or odd', 'none')
    .option('--family <f>', 'register maps to use: orv3, hpr or auto', 'auto')
    .option('--timeout-ms <ms>', 'response timeout per request')
    .option('--json', 'machine-readable output');
}

/** The built-in maps of a --family value. */
export function mapsOfFamily(family: string): readonly ModbusRegisterMap[] {
  const families = FAMILIES[family];
  if (families === undefined) {
    throw new FieldUsageError(`--family must be orv3, hpr or auto, got "${family}"`);
  }
  const all = loadBuiltinMaps().modbus;
  return families.map((f) => all[f]);
}

export async function openConnection(
  o: ConnectionCliOptions,
  hooks: FieldHooks = {},
): Promise<Connection> {
  const chosen = [o.sim === true, o.modbusTcp !== undefined, o.port !== undefined];
  if (chosen.filter(Boolean).length !== 1) {
    throw new FieldUsageError('give exactly one of --sim, --modbus-tcp HOST:PORT, --port PATH');
  }
  if (!o.sim && (o.scenario !== undefined || o.sharedDir !== undefined)) {
    throw new FieldUsageError('--scenario and --shared-dir go with --sim');
  }
  const maps = mapsOfFamily(o.family);
  const parity = PARITIES.find((p) => p === o.parity);
  if (parity === undefined) throw new FieldUsageError(`--parity must be none, even or odd`);
  if (parity !== 'none' && o.port === undefined) {
    throw new FieldUsageError('--parity goes with --port');
  }
  const baud = parsePositive(o.baud, '--baud', 4_000_000);
  const timeoutMs = parsePositive(o.timeoutMs, '--timeout-ms', 600_000);

  if (o.sim) return openSim(o, maps, baud, timeoutMs, hooks);
  const clock = new RealClock();
  const base = {
    clock,
    maps,
    sim: undefined,
    timeoutMs,
    run: <T>(work: Promise<T>) => work,
    wait: (ms: number) => clock.sleep(ms),
  };
  if (o.modbusTcp !== undefined) {
    const { host, port } = hostPort(o.modbusTcp);
    const client = new modbus.ModbusTcpClient({ clock, host, port, baudRate: baud ?? 0 });
    return { ...base, client, label: `Modbus TCP ${host}:${port}`, close: () => client.close() };
  }
  const path = o.port!;
  // One RS-485 line runs at one speed: a family pins it, auto falls back to the ORv3 default.
  const baudRate = baud ?? (o.family === 'hpr' ? maps[0]!.baudRate : ORV3_BAUD);
  const line = await modbus.openSerialPortLine({ path, baudRate, clock, parity });
  const client = new modbus.ModbusRtuClient({ clock, line });
  return {
    ...base,
    client,
    label: `Modbus RTU ${path} at ${baudRate} baud, parity ${parity}`,
    close: () => client.close(),
  };
}

function hostPort(s: string): { host: string; port: number } {
  try {
    return parseHostPort(s);
  } catch {
    throw new FieldUsageError(`--modbus-tcp "${s}" is not HOST:PORT`);
  }
}

function openSim(
  o: ConnectionCliOptions,
  maps: readonly ModbusRegisterMap[],
  baud: number | undefined,
  timeoutMs: number | undefined,
  hooks: FieldHooks,
): Connection {
  const sharedDir = o.sharedDir ?? defaultSharedDir();
  const scenario = o.scenario
    ? loadScenarioFile(o.scenario, { sharedDir })
    : parseScenario(demoScenarioJson(), { sharedDir });
  const sim = new Simulation(scenario);
  hooks.onSimulation?.(sim);
  // The simulated line runs at the shelf's map speed, as the real shelf's RS-485 line would.
  const baudRate = baud ?? sim.devices.list()[0]?.modbus.map.baudRate ?? ORV3_BAUD;
  const { client } = simulatedRtu(sim.devices, sim.clock, baudRate);
  const wall = new RealClock();
  return {
    client,
    clock: sim.clock,
    maps,
    sim,
    timeoutMs,
    label:
      `simulated shelf "${scenario.name}" (${sim.devices.list().length} devices), ` +
      `Modbus RTU over the simulated line at ${baudRate} baud`,
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const mark = (): void => void (done = true);
      work.then(mark, mark);
      while (!done) await lockstep(sim, SIM_SLICE_MS);
      return work;
    },
    async wait(ms: number): Promise<void> {
      // Virtual time follows the wall clock here, so a live table moves at real speed.
      const wall0 = wall.nowMs();
      const t0 = sim.clock.nowMs();
      const end = t0 + ms;
      while (sim.clock.nowMs() < end) {
        await wall.sleep(Math.min(PACE_MS, Math.max(1, end - sim.clock.nowMs())));
        const target = Math.min(end, t0 + (wall.nowMs() - wall0));
        if (target > sim.clock.nowMs()) await lockstep(sim, target - sim.clock.nowMs());
      }
    },
    close: () => client.close(),
  };
}
