/**
 * The Modbus TCP server with real peers: mbpoll (-m tcp) and our ModbusTcpClient read the same
 * words the physics holds, write through to the device, and get 0x0B for a unit id with no
 * device behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../src/clock/index.js';
import { ModbusExceptionError, ModbusTcpClient } from '../../src/bus/modbus/index.js';
import { ModbusTcpServer } from '../../sim/servers/index.js';
import type { Simulation } from '../../sim/simulation.js';
import { mbpoll, warnMissing } from './support/peers.js';
import { decodeAt, def, entry, lsb, orv3Simulation } from './support/rig.js';

const noMbpoll = warnMissing(['mbpoll'], 'Modbus TCP server vs mbpoll');

describe('Modbus TCP server with real peers', () => {
  let sim: Simulation;
  let server: ModbusTcpServer;
  let port: number;
  let client: ModbusTcpClient;
  const PSU = 204;
  const BBU = 68;
  const tcp = (...args: string[]) =>
    mbpoll(['-m', 'tcp', '-p', String(port), '-1', '-o', '0.5', ...args, '127.0.0.1']);

  beforeAll(async () => {
    sim = orv3Simulation();
    server = new ModbusTcpServer(sim.devices);
    port = (await server.listen(0)).port;
    client = new ModbusTcpClient({ clock: new RealClock(), host: '127.0.0.1', port, retries: 0 });
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it.skipIf(noMbpoll)('mbpoll -m tcp reads PSU and BBU words equal to the physics', async () => {
    const psu = entry(sim, PSU);
    const r = await tcp('-a', String(PSU), '-0', '-r', '79', '-c', '11');
    expect(r.code, r.stderr).toBe(0);
    const words = [...r.values.values()];
    expect(words).toEqual(Array.from(psu.modbus.readHoldingRegisters(79, 11)));
    const pout = def(psu, 'PSU_Output_Power');
    const got = decodeAt(pout, 79, words) as number;
    expect(Math.abs(got - sim.instruments.psu(psu.index).poutW)).toBeLessThanOrEqual(lsb(pout));
    const soc = await tcp('-a', String(BBU), '-t', '3', '-0', '-r', '126', '-c', '1');
    expect(soc.values.get(126)).toBe(Math.round(sim.instruments.bbu(entry(sim, BBU).index).socPct));
  });

  it.skipIf(noMbpoll)('mbpoll -m tcp writes a BBU register', async () => {
    const w = await mbpoll([
      ...['-m', 'tcp', '-p', String(port), '-1', '-a', String(BBU), '-t', '4', '-0', '-r', '289'],
      ...['127.0.0.1', '120'],
    ]);
    expect(w.code, w.stderr).toBe(0);
    expect(entry(sim, BBU).modbus.readHoldingRegisters(289, 1)[0]).toBe(120);
  });

  it.skipIf(noMbpoll)('mbpoll gets 0x0B for a unit id with no device', async () => {
    const r = await tcp('-a', '9', '-0', '-r', '0', '-c', '1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/target device failed to respond/i);
    expect(server.counters.unknownUnits).toBeGreaterThan(0);
  });

  it('ModbusTcpClient reads, writes and gets typed exceptions', async () => {
    const psu = entry(sim, PSU);
    expect(await client.readHoldingRegisters(PSU, 79, 11)).toEqual(
      psu.modbus.readHoldingRegisters(79, 11),
    );
    await client.writeMultipleRegisters(BBU, 302, [0x6a00, 0x0003]);
    expect(Array.from(entry(sim, BBU).modbus.readHoldingRegisters(302, 2))).toEqual([
      0x6a00, 0x0003,
    ]);
    const e02 = await client.readHoldingRegisters(PSU, 58, 1).catch((e: unknown) => e);
    expect(e02).toBeInstanceOf(ModbusExceptionError);
    expect((e02 as ModbusExceptionError).exceptionCode).toBe(2);
    const e0b = await client.readHoldingRegisters(9, 0, 1).catch((e: unknown) => e);
    expect((e0b as ModbusExceptionError).exceptionCode).toBe(0x0b);
    expect(client.counters(PSU).exceptions).toBe(1);
  });
});
