/**
 * mbpoll (a real Modbus RTU master) against our simulated slave over a socat pty pair: reads of
 * PSU and BBU registers give what the physics holds, writes change the simulated device, and
 * wrong addresses, refused requests and a corrupted CRC behave as on a real line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { encodeRtuRequest, rtuTiming } from '../../src/protocol/modbus/index.js';
import { RtuSerialServer } from '../../sim/servers/index.js';
import type { Simulation } from '../../sim/simulation.js';
import { mbpoll, startPtyPair, warnMissing, type PtyPair } from './support/peers.js';
import { ORV3_BAUD, decodeAt, def, entry, lsb, orv3Simulation } from './support/rig.js';

const missing = warnMissing(['socat', 'mbpoll'], 'RTU slave vs mbpoll over a pty pair');

describe.skipIf(missing)('RTU slave vs mbpoll over a socat pty pair', () => {
  let pair: PtyPair;
  let sim: Simulation;
  let server: RtuSerialServer;
  const PSU = 200;
  const BBU = 64;
  /** mbpoll on the master end, once, 0-based references (PDU addressing), 0.5 s timeout. */
  const MASTER = ['-m', 'rtu', '-b', String(ORV3_BAUD), '-P', 'none', '-1', '-o', '0.5'];
  /** mbpoll once on the master end, 0.5 s timeout; `-0` = 0-based references (PDU addresses). */
  const poll = (...args: string[]) => mbpoll([...MASTER, ...args, pair.b]);
  /** A holding-register write: `mbpoll [options] device value` (the value after the device). */
  const write = (unit: number, ref: number, value: number) =>
    mbpoll([
      ...MASTER,
      '-a',
      String(unit),
      '-t',
      '4',
      '-0',
      '-r',
      String(ref),
      pair.b,
      String(value),
    ]);
  const readRefs = async (unit: number, start: number, count: number): Promise<number[]> => {
    const r = await poll('-a', String(unit), '-0', '-r', String(start), '-c', String(count));
    expect(r.code, r.stderr).toBe(0);
    return Array.from({ length: count }, (_, i) => r.values.get(start + i)!);
  };

  beforeAll(async () => {
    pair = await startPtyPair();
    sim = orv3Simulation();
    server = await RtuSerialServer.open(sim.devices, pair.a, {
      baudRate: ORV3_BAUD,
      parity: 'none',
      checkInterCharGap: false, // pty reads are chunks, not characters
    });
  });

  afterAll(async () => {
    await server?.close();
    await pair?.close();
  });

  it('serves the pty as an instant wire, paced by the model', () => {
    expect(server.wire).toBe('instant');
  });

  it('mbpoll reads PSU telemetry equal to the physics', async () => {
    const psu = entry(sim, PSU);
    const words = await readRefs(PSU, 79, 11); // PSU_Output_Voltage … PSU_Input_Current_AC
    expect(words).toEqual(Array.from(psu.modbus.readHoldingRegisters(79, 11)));
    const phys = sim.instruments.psu(psu.index);
    const checks: [string, number][] = [
      ['PSU_Input_Voltage_AC', phys.vacV],
      ['PSU_Output_Power', phys.poutW],
      ['PSU_Input_Power', phys.pinW],
      ['PSU_Output_Current', phys.ioutA],
      ['PSU_Bulk_Cap_Voltage', phys.bulkV],
    ];
    for (const [name, want] of checks) {
      const d = def(psu, name);
      expect(decodeAt(d, 79, words) as number, name).toBeCloseTo(want, 0);
      expect(Math.abs((decodeAt(d, 79, words) as number) - want), name).toBeLessThanOrEqual(lsb(d));
    }
    expect(phys.poutW).toBeGreaterThan(1000); // 9 kW shared by 6 PSUs: the values are live
  });

  it('mbpoll reads BBU state of charge and busbar voltage equal to the physics', async () => {
    const bbu = entry(sim, BBU);
    const [soc] = await readRefs(BBU, 126, 1);
    const [busMv] = await readRefs(BBU, 147, 1);
    expect(soc).toBe(Math.round(sim.instruments.bbu(bbu.index).socPct));
    expect(Math.abs(busMv! - sim.instruments.busV * 1000)).toBeLessThanOrEqual(1);
  });

  it('mbpoll references are 1-based unless -0: -r 80 reads register 79', async () => {
    const r = await poll('-a', String(PSU), '-r', '80', '-c', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.values.get(80)).toBe(entry(sim, PSU).modbus.readHoldingRegisters(79, 1)[0]);
  });

  it('a BBU System_Control_Mode + Forced_Discharge_Time write through mbpoll discharges it', async () => {
    const bbu = entry(sim, BBU);
    expect(sim.instruments.bbu(bbu.index).poutW).toBe(0);
    const mode = await write(BBU, 306, 1);
    expect(mode.code, mode.stderr).toBe(0);
    expect(mode.stdout).toContain('Written 1 references');
    const time = await write(BBU, 305, 30);
    expect(time.code, time.stderr).toBe(0);
    expect(bbu.modbus.readHoldingRegisters(305, 2)).toEqual(Uint16Array.of(30, 1));
    sim.advanceTo(sim.tUs + 200_000);
    expect(sim.instruments.bbu(bbu.index).poutW).toBeGreaterThan(1000);
    // Mode 0 hands the BBU back to its native behaviour and ends the forced discharge.
    expect((await write(BBU, 306, 0)).code).toBe(0);
    sim.advanceTo(sim.tUs + 200_000);
    expect(sim.instruments.bbu(bbu.index).poutW).toBe(0);
  });

  it('a PSU Vout setpoint write needs the write-enable sequence', async () => {
    const psu = entry(sim, PSU);
    const vH = def(psu, 'Vout_Setpoint_H');
    const before = psu.modbus.readHoldingRegisters(vH.begin, 1)[0]!;
    const target = 50.5 * 2 ** vH.precision; // FLOAT, 10 fractional bits
    const locked = await write(PSU, 103, target);
    expect(locked.code).toBe(0); // acknowledged …
    expect(psu.modbus.readHoldingRegisters(103, 1)[0]).toBe(before); // … and ignored
    expect(psu.modbus.counters.ignoredWrites).toBeGreaterThan(0);
    // PSU_Setting_Register: bit 0 write enable, bit 9 = 51 V mode (Vout_Setpoint_H is active).
    const enable = (1 << 0) | (1 << 9);
    expect((await write(PSU, 94, enable)).code).toBe(0);
    const set = await write(PSU, 103, target);
    expect(set.code, set.stderr).toBe(0);
    expect(psu.modbus.readHoldingRegisters(103, 1)[0]).toBe(target);
    expect(await readRefs(PSU, 103, 1)).toEqual([target]);
  });

  it('a refused request comes back as an exception mbpoll reports', async () => {
    const noReg = await poll('-a', String(PSU), '-0', '-r', '58', '-c', '1');
    expect(noReg.code).not.toBe(0);
    expect(noReg.stderr).toMatch(/Illegal data address/i);
    const badValue = await write(PSU, 96, 101);
    expect(badValue.stderr).toMatch(/Illegal data value/i);
    expect(server.slave.device(PSU).exceptionCodes).toMatchObject({ 2: 1, 3: 1 });
  });

  it('an address nobody has times out and is counted, silent', async () => {
    const before = server.slave.line.otherAddress;
    const r = await poll('-a', '17', '-0', '-r', '0', '-c', '1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/timed out/i);
    expect(server.slave.line.otherAddress).toBe(before + 1);
  });

  it('a frame with a corrupted CRC gets no answer and is counted; the line then recovers', async () => {
    const port = new SerialPort({ path: pair.b, baudRate: ORV3_BAUD, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    const got: Buffer[] = [];
    port.on('data', (d: Buffer) => got.push(d));
    try {
      const before = server.slave.line.crcErrors;
      const bad = encodeRtuRequest(PSU, { fc: 0x03, start: 79, count: 1 });
      bad[6]! ^= 0xff;
      port.write(Buffer.from(bad));
      await new Promise((r) => setTimeout(r, 150));
      expect(got).toEqual([]);
      expect(server.slave.line.crcErrors).toBe(before + 1);
      // A good request after the silence: answered, and not before the model allows.
      const t0 = performance.now();
      port.write(Buffer.from(encodeRtuRequest(PSU, { fc: 0x03, start: 79, count: 1 })));
      while (got.reduce((n, b) => n + b.length, 0) < 7 && performance.now() - t0 < 1000) {
        await new Promise((r) => setTimeout(r, 1));
      }
      const rtMs = performance.now() - t0;
      const t = rtuTiming(ORV3_BAUD);
      // Paced by the model although a pty moves bytes at once: 8 request characters, then
      // max(t3.5, turnaround), then 7 response characters.
      expect(rtMs).toBeGreaterThanOrEqual((8 * t.charUs + t.t35Us + 7 * t.charUs) / 1000 - 0.5);
      expect(Buffer.concat(got)[0]).toBe(PSU);
    } finally {
      await new Promise<void>((r) => port.close(() => r()));
    }
  });
});
