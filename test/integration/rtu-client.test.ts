/**
 * Our ModbusRtuClient against our simulated RTU slave over a socat pty pair — the same bytes as
 * mbpoll sees (checked first, with mbpoll, on the same line), plus the faults a real line has:
 * a wrong address times out, a corrupted CRC gets no answer, an exception is typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../src/errors.js';
import {
  ModbusExceptionError,
  ModbusRtuClient,
  openSerialPortLine,
  type SerialPortLine,
} from '../../src/bus/modbus/index.js';
import { encodeRtuRequest, rtuTiming } from '../../src/protocol/modbus/index.js';
import { RtuSerialServer } from '../../sim/servers/index.js';
import type { Simulation } from '../../sim/simulation.js';
import { mbpoll, startPtyPair, warnMissing, type PtyPair } from './support/peers.js';
import { ORV3_BAUD, def, entry, orv3Simulation } from './support/rig.js';

const missing = warnMissing(['socat', 'mbpoll'], 'ModbusRtuClient vs the simulated RTU slave');

describe.skipIf(missing)('ModbusRtuClient vs the simulated RTU slave over a pty pair', () => {
  const PSU = 203;
  const BBU = 66;
  let pair: PtyPair;
  let sim: Simulation;
  let server: RtuSerialServer;
  let line: SerialPortLine;
  let client: ModbusRtuClient;
  /** What mbpoll read before our client took the master end (one reader per pty at a time). */
  const viaMbpoll = new Map<string, number[]>();

  beforeAll(async () => {
    pair = await startPtyPair();
    sim = orv3Simulation();
    server = await RtuSerialServer.open(sim.devices, pair.a, {
      baudRate: ORV3_BAUD,
      parity: 'none',
      checkInterCharGap: false,
    });
    for (const [unit, start, count] of [
      [PSU, 79, 11],
      [BBU, 126, 22],
    ] as const) {
      const r = await mbpoll([
        ...['-m', 'rtu', '-b', String(ORV3_BAUD), '-P', 'none', '-1', '-0'],
        ...['-a', String(unit), '-r', String(start), '-c', String(count), pair.b],
      ]);
      expect(r.code, r.stderr).toBe(0);
      viaMbpoll.set(`${unit}:${start}`, [...r.values.values()]);
    }
    const clock = new RealClock();
    line = await openSerialPortLine({ path: pair.b, baudRate: ORV3_BAUD, clock });
    client = new ModbusRtuClient({ clock, line, retries: 0 });
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    await pair?.close();
  });

  it('reads the same PSU and BBU words as mbpoll, and as the physics holds', async () => {
    const psu = await client.readHoldingRegisters(PSU, 79, 11);
    const bbu = await client.readInputRegisters(BBU, 126, 22);
    expect(Array.from(psu)).toEqual(viaMbpoll.get(`${PSU}:79`));
    expect(Array.from(bbu)).toEqual(viaMbpoll.get(`${BBU}:126`));
    expect(psu).toEqual(entry(sim, PSU).modbus.readHoldingRegisters(79, 11));
    const soc = bbu[0]!;
    expect(soc).toBe(Math.round(sim.instruments.bbu(entry(sim, BBU).index).socPct));
  });

  it('a round trip takes what the wire would take, not what the pty does', async () => {
    const t = rtuTiming(ORV3_BAUD);
    const turn = Math.max(t.t35Us, server.slave.turnaroundUs);
    const minMs = (8 * t.charUs + turn + 7 * t.charUs) / 1000; // request, turnaround, response
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await client.readHoldingRegisters(PSU, 79, 1);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(minMs - 0.5);
    }
  });

  it('writes: a single register, a multi-register value, and a broadcast', async () => {
    const psu = entry(sim, PSU);
    await client.writeSingleRegister(PSU, 96, 40); // locked without write enable: acknowledged
    const unix = def(psu, 'Unix_Time');
    await client.writeMultipleRegisters(PSU, unix.begin, [0x6a00, 0x0001]);
    expect(Array.from(psu.modbus.readHoldingRegisters(unix.begin, 2))).toEqual([0x6a00, 0x0001]);
    // Broadcast Wall_Clock_Time: every BBU applies it, nobody answers.
    const before = server.slave.line.broadcasts;
    await client.writeMultipleRegisters(0, 302, [0x6a00, 0x0002]);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.slave.line.broadcasts).toBe(before + 1);
    for (const e of sim.devices.list().filter((d) => d.kind === 'bbu')) {
      expect(Array.from(e.modbus.readHoldingRegisters(302, 2))).toEqual([0x6a00, 0x0002]);
    }
  });

  it('an exception response is a typed error, counted on both sides', async () => {
    const err = await client.readHoldingRegisters(PSU, 58, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModbusExceptionError);
    expect((err as ModbusExceptionError).exceptionCode).toBe(2);
    expect(client.counters(PSU).exceptions).toBe(1);
    expect(server.slave.device(PSU).exceptionCodes[2]).toBe(1);
  });

  it('a wrong address times out and is counted; the slave stayed silent', async () => {
    const silent = server.slave.line.otherAddress;
    const err = await client
      .readHoldingRegisters(17, 0, 1, { timeoutMs: 150 })
      .catch((e: unknown) => e);
    expect(isOrv3Error(err, ErrorCode.ModbusTimeout)).toBe(true);
    expect(client.counters(17).timeouts).toBe(1);
    expect(server.slave.line.otherAddress).toBe(silent + 1);
  });

  it('a corrupted CRC written raw gets no answer, is counted by the slave, and the line recovers', async () => {
    const got: Uint8Array[] = [];
    const off = line.onData((b) => got.push(b));
    const crc = server.slave.line.crcErrors;
    const bad = encodeRtuRequest(PSU, { fc: 0x03, start: 79, count: 1 });
    bad[7]! ^= 0x5a;
    await line.write(bad);
    await new Promise((r) => setTimeout(r, 150));
    off();
    expect(got).toEqual([]);
    expect(server.slave.line.crcErrors).toBe(crc + 1);
    expect(await client.readHoldingRegisters(PSU, 79, 1)).toEqual(
      entry(sim, PSU).modbus.readHoldingRegisters(79, 1),
    );
  });
});
