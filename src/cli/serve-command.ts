/**
 * `orv3gw sim serve`: the simulated shelf in real time on real transports — Modbus RTU on a
 * serial path (an RS-485 adapter, or a socat pty for mbpoll / our own client) and Modbus TCP —
 * so a gateway, mbpoll or a HIL bench can talk to it as to a rack.
 */
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { RealClock } from '../clock/index.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import { defaultSharedDir, loadScenarioFile, parseScenario } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { demoScenarioJson } from '../../sim/demo.js';
import {
  ModbusTcpServer,
  RtuSerialServer,
  type ModbusSlaveSet,
  type Parity,
} from '../../sim/servers/index.js';

export interface ServeOptions {
  /** Scenario JSON; default the embedded demo (sim/demo.ts). */
  scenarioFile?: string | undefined;
  sharedDir?: string | undefined;
  /** Serial path for Modbus RTU (e.g. /dev/ttyUSB0, or one end of a socat pty pair). */
  rtuPath?: string | undefined;
  /** Line speed; default the register map's (ORv3 19200, HPR 115200). */
  baudRate?: number | undefined;
  parity?: Parity | undefined;
  /** Device turnaround, ms (default the timing model's). */
  turnaroundMs?: number | undefined;
  /** `HOST:PORT`, `:PORT` or `PORT` (host defaults to loopback; port 0 = any free port). */
  tcp?: string | undefined;
  /** Simulated seconds per wall second. */
  speed: number;
  /** Stop after this many simulated seconds (the scenario's end stops it anyway). */
  durationS?: number | undefined;
  out: (s: string) => void;
}

export interface ServeHandle {
  readonly sim: Simulation;
  readonly rtu: RtuSerialServer | undefined;
  readonly tcp: ModbusTcpServer | undefined;
  readonly tcpAddress: AddressInfo | undefined;
  /** Resolves once stopped (duration, scenario end or stop()) and every transport is closed. */
  readonly done: Promise<void>;
  stop(): void;
}

const PACE_MS = 50;

/** Parses `HOST:PORT`, `:PORT`, `PORT` or `[v6]:PORT`. */
export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s) ?? /^()()(\d+)$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `--modbus-tcp "${s}" is not HOST:PORT`);
  }
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

/** Starts the simulation and its servers; the caller decides how long it lives. */
export async function startServe(o: ServeOptions): Promise<ServeHandle> {
  if (!(o.speed > 0)) throw new Orv3Error(ErrorCode.ConfigInvalid, '--speed must be > 0');
  if (o.rtuPath === undefined && o.tcp === undefined) {
    throw new Orv3Error(
      ErrorCode.ConfigInvalid,
      'nothing to serve: give --modbus-rtu PATH and/or --modbus-tcp HOST:PORT',
    );
  }
  const sharedDir = o.sharedDir ?? defaultSharedDir();
  const scenario = o.scenarioFile
    ? loadScenarioFile(o.scenarioFile, { sharedDir })
    : parseScenario(demoScenarioJson(), { sharedDir });
  const sim = new Simulation(scenario);
  const clock = new RealClock();
  const endS = Math.min(scenario.durationS, o.durationS ?? Infinity);
  const startMs = clock.nowMs();
  const targetS = (): number => Math.min(endS, ((clock.nowMs() - startMs) / 1000) * o.speed);
  // Every request first brings the physics up to the wall clock, so a master reads "now".
  const sync = (): void => {
    const us = Math.round(targetS() * 1e6);
    if (us > sim.tUs) sim.advanceTo(us);
  };
  const slaves: ModbusSlaveSet = {
    modbus: (address) => {
      sync();
      return sim.devices.modbus(address);
    },
    list: () => sim.devices.list(),
  };
  const devices = sim.devices.list();
  const baudRate = o.baudRate ?? devices[0]?.modbus.map.baudRate ?? 19200;
  const turnaroundUs = o.turnaroundMs === undefined ? undefined : o.turnaroundMs * 1000;

  const tcpTarget = o.tcp === undefined ? undefined : parseHostPort(o.tcp);
  const tcp = tcpTarget === undefined ? undefined : new ModbusTcpServer(slaves);
  let rtu: RtuSerialServer | undefined;
  let tcpAddress: AddressInfo | undefined;
  try {
    if (tcp && tcpTarget) tcpAddress = await tcp.listen(tcpTarget.port, tcpTarget.host);
    if (o.rtuPath !== undefined) {
      rtu = await RtuSerialServer.open(slaves, o.rtuPath, {
        baudRate,
        parity: o.parity ?? 'none',
        turnaroundUs,
        // OS reads deliver chunks, not characters: a t1.5 check would see gaps the wire never had.
        checkInterCharGap: false,
        onError: (e) => o.out(`orv3gw: serial ${o.rtuPath}: ${e.message}\n`),
      });
    }
  } catch (e) {
    await tcp?.close();
    throw new Orv3Error(ErrorCode.TransportIo, `cannot start the servers: ${String(e)}`, {
      cause: String(e),
    });
  }

  o.out(
    `orv3gw: serving simulated shelf "${scenario.name}" (${scenario.description || 'no description'}), ` +
      `${o.speed}× real time until t=${endS} s, Ctrl-C to stop\n` +
      addressTable(sim) +
      (rtu
        ? `Modbus RTU  ${o.rtuPath} at ${baudRate} baud, parity ${o.parity ?? 'none'}, ` +
          `turnaround ${rtu.slave.turnaroundUs / 1000} ms` +
          `${rtu.wire === 'instant' ? ' (pty: responses paced by the timing model)' : ''}\n`
        : '') +
      (tcpAddress
        ? `Modbus TCP  ${tcpAddress.address}:${tcpAddress.port}, unit id = Modbus address, ` +
          `0x0B for others\n`
        : ''),
  );

  let stopRequested = false;
  let wake: (() => void) | undefined;
  const stop = (): void => {
    stopRequested = true;
    wake?.();
  };
  const done = (async () => {
    while (!stopRequested && targetS() < endS) {
      sync();
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, PACE_MS);
      });
    }
    sync();
    await Promise.all([rtu?.close(), tcp?.close()]);
    o.out(`orv3gw: stopped at t=${sim.instruments.tS.toFixed(1)} s\n${summary(rtu, tcp)}`);
  })();
  return { sim, rtu, tcp, tcpAddress, done, stop };
}

/** Runs until --duration, the scenario's end, SIGINT or SIGTERM. */
export async function runServeCommand(o: ServeOptions): Promise<void> {
  // Handlers go in before anything starts: a signal during start-up must stop, not kill, us.
  let handle: ServeHandle | undefined;
  let signalled = false;
  const onSignal = (): void => {
    signalled = true;
    handle?.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    handle = await startServe(o);
    if (signalled) handle.stop();
    await handle.done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function addressTable(sim: Simulation): string {
  const rows = sim.devices
    .list()
    .map(
      (e) =>
        `  ${e.kind.padEnd(4)} ${e.family.padEnd(9)} ${String(e.shelf).padStart(5)} ` +
        `${String(e.slot).padStart(4)} ${String(e.modbusAddress).padStart(6)} ` +
        `0x${e.pmbusAddress.toString(16).padStart(2, '0')}`,
    );
  return ['  kind family    shelf slot modbus pmbus', ...rows].join('\n') + '\n';
}

function summary(rtu: RtuSerialServer | undefined, tcp: ModbusTcpServer | undefined): string {
  const kv = (o: object): string =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  return (
    (rtu ? `Modbus RTU: ${kv(rtu.slave.line)}\n` : '') +
    (tcp ? `Modbus TCP: ${kv(tcp.counters)}\n` : '')
  );
}

interface ServeCliOptions {
  scenario?: string;
  sharedDir?: string;
  modbusRtu?: string;
  baud?: string;
  parity?: string;
  turnaroundMs?: string;
  modbusTcp?: string;
  speed: string;
  duration?: string;
}

const PARITIES: readonly Parity[] = ['none', 'even', 'odd'];

/**
 * Adds `serve` under the `sim` command. Options of `sim` itself (its --scenario, --shared-dir)
 * are read through optsWithGlobals(): commander lets the parent claim them wherever they appear.
 */
export function registerServeCommand(sim: Command): void {
  sim
    .command('serve')
    .description('serve the simulated shelf in real time over Modbus RTU and/or Modbus TCP')
    .option('-s, --scenario <file>', 'scenario JSON (default: the embedded demo)')
    .option('--modbus-rtu <path>', 'serial path for Modbus RTU (e.g. one end of a socat pty pair)')
    .option('--baud <n>', 'RTU baud rate (default: the register map’s, ORv3 19200, HPR 115200)')
    .option('--parity <p>', 'RTU parity: none (2 stop bits), even, odd', 'none')
    .option('--turnaround-ms <ms>', 'device turnaround: request end → response start')
    .option('--modbus-tcp <host:port>', 'Modbus TCP listen address (host default 127.0.0.1)')
    .option('--speed <x>', 'simulated seconds per wall second', '1')
    .option('--duration <s>', 'stop after this many simulated seconds')
    .option('--shared-dir <dir>', 'folder that $SHARED/ paths resolve against')
    .action(async (_o: ServeCliOptions, cmd: Command) => {
      const o = cmd.optsWithGlobals<ServeCliOptions>();
      const parity = o.parity ?? 'none';
      if (!(PARITIES as readonly string[]).includes(parity)) {
        throw new Orv3Error(
          ErrorCode.ConfigInvalid,
          `--parity must be one of ${PARITIES.join(', ')}`,
        );
      }
      await runServeCommand({
        scenarioFile: o.scenario,
        sharedDir: o.sharedDir,
        rtuPath: o.modbusRtu,
        baudRate: num(o.baud, '--baud'),
        parity: parity as Parity,
        turnaroundMs: num(o.turnaroundMs, '--turnaround-ms'),
        tcp: o.modbusTcp,
        speed: num(o.speed, '--speed') ?? 1,
        durationS: num(o.duration, '--duration'),
        out: (s) => process.stdout.write(s),
      });
    });
}

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `${name} must be a number ≥ 0, got "${v}"`);
  }
  return n;
}
