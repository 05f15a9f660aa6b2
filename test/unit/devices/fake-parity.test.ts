/**
 * Holds the device tests' FakeModbusClient to the real thing: the same driver work through
 * ModbusRtuClient over the simulated RS-485 line (RTU framing, CRC, timing, server core) must
 * give identical results — values, requests on the wire, errors.
 */
import { describe, expect, it } from 'vitest';
import type { ModbusClient } from '../../../src/bus/modbus/index.js';
import { VirtualClock } from '../../../src/clock/index.js';
import { Bbu, Psu, scanBus } from '../../../src/devices/index.js';
import type { Driver } from '../../../src/devices/index.js';
import { ErrorCode, isOrv3Error } from '../../../src/errors.js';
import { ModbusExceptionError, decodeRtuRequest } from '../../../src/protocol/modbus/index.js';
import type { DeviceDirectory } from '../../../sim/facade/index.js';
import { FakeModbusClient, maps, shelf, simulatedRtu } from '../../support/fake-buses.js';
import { settle } from './drive.js';

const PRESETS = [
  ['hpr', 'orv3-hpr-33kw', 115200],
  ['orv3', 'orv3-18kw', 19200],
] as const;

function drivers(dir: DeviceDirectory, client: ModbusClient, clock: VirtualClock): Driver[] {
  return dir.list().map((e) => {
    const map = maps.modbus[e.family as keyof typeof maps.modbus];
    return e.kind === 'psu'
      ? new Psu(client, e.modbusAddress, map, clock)
      : new Bbu(client, e.modbusAddress, map, clock);
  });
}

/** Timestamps differ by design (the real line charges wire time); everything else must not. */
function withoutTimes(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'sampledAtMs' ? undefined : v)));
}

async function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => 'ok',
    (e: unknown) => e,
  );
}

describe.each(PRESETS)(
  '%s: FakeModbusClient ≡ ModbusRtuClient over SimulatedLine',
  (_, preset, baud) => {
    it('reads every device of the shelf to identical snapshots', async () => {
      const s = shelf(preset);
      const clock = new VirtualClock();
      const real = simulatedRtu(s.dir, clock, baud);
      const viaFake = drivers(s.dir, s.modbus, new VirtualClock());
      const viaReal = drivers(s.dir, real.client, clock);
      for (let i = 0; i < viaFake.length; i++) {
        const a = await viaFake[i]!.readTelemetry();
        const b = await settle<unknown>(clock, viaReal[i]!.readTelemetry());
        expect(withoutTimes(b)).toEqual(withoutTimes(a));
      }
      expect(real.line.stats.silenceViolations).toBe(0);
      const c = real.client.counters(viaReal[0]!.unit);
      expect(c).toMatchObject({ timeouts: 0, crcErrors: 0, exceptions: 0 });
    });

    it('commands put the same requests on the wire and leave the same device state', async () => {
      const fake = shelf(preset);
      const twin = shelf(preset);
      const clock = new VirtualClock();
      const real = simulatedRtu(twin.dir, clock, baud);
      const [fpsu, fbbu] = [fake.dir.list()[0]!, fake.dir.list()[6]!];
      const run = async (client: ModbusClient, dir: DeviceDirectory, c: VirtualClock) => {
        const psu = drivers(dir, client, c)[0] as Psu;
        const bbu = drivers(dir, client, c)[6] as Bbu;
        await psu.setOutputVoltage(49.5);
        await psu.clearFaults();
        await bbu.forceDischarge(20);
        await bbu.setMaxDischargeTime(200);
        await bbu.syncTime();
        return [await psu.readTelemetry(), await bbu.readTelemetry()];
      };
      const a = await run(fake.modbus, fake.dir, new VirtualClock());
      const b = await settle(clock, run(real.client, twin.dir, clock));
      expect(withoutTimes(b)).toEqual(withoutTimes(a));
      const wire = real.line.transcript
        .filter((r) => r.dir === 'tx')
        .map((r) => {
          const d = decodeRtuRequest(r.bytes);
          if (!d.ok) throw new Error('undecodable request on the wire');
          const q = d.value.request;
          const start = 'start' in q ? q.start : q.address;
          const values = 'values' in q ? [...q.values] : 'value' in q ? [q.value] : undefined;
          return [d.value.unit, q.fc, start, values];
        });
      // Unix time differs (two clocks); compare writes' values except the time-sync one
      const ours = fake.modbus.log.map((r) => [r.unit, r.fc, r.start, r.values]);
      const noTime = (x: unknown[]): unknown[] =>
        x.map((r) =>
          (r as number[])[2] === 101 || (r as number[])[2] === 302
            ? (r as unknown[]).slice(0, 3)
            : r,
        );
      expect(noTime(wire)).toEqual(noTime(ours));
      expect(fpsu.modbusAddress).toBe(wire[0]![0]);
      expect(fbbu.kind).toBe('bbu');
    });

    it('errors have the same shape: exception responses and silence', async () => {
      const s = shelf(preset);
      const clock = new VirtualClock();
      const real = simulatedRtu(s.dir, clock, baud);
      const bbu = s.dir.list()[6]!.modbusAddress;
      // Forced_Discharge_Time with System_Control_Mode 0: the device refuses (exception 03)
      const fe = await outcome(s.modbus.writeSingleRegister(bbu, 305, 30));
      const re = await settle(clock, outcome(real.client.writeSingleRegister(bbu, 305, 30)));
      for (const e of [fe, re]) {
        expect(e).toBeInstanceOf(ModbusExceptionError);
        expect(e).toMatchObject({ unit: bbu, functionCode: 0x06, exceptionCode: 3 });
      }
      const ft = await outcome(s.modbus.readHoldingRegisters(1, 0, 1));
      const rt = await settle(clock, outcome(real.client.readHoldingRegisters(1, 0, 1)));
      expect(
        isOrv3Error(ft, ErrorCode.ModbusTimeout) && isOrv3Error(rt, ErrorCode.ModbusTimeout),
      ).toBe(true);
    });

    it('discovery finds the same devices', async () => {
      const s = shelf(preset);
      const clock = new VirtualClock();
      const real = simulatedRtu(s.dir, clock, baud);
      const fake = new FakeModbusClient((u) => s.dir.modbus(u), {
        transport: 'rtu',
        baudRate: baud,
      });
      const all = Object.values(maps.modbus);
      const a = await scanBus(fake, all);
      const b = await settle(clock, scanBus(real.client, all));
      expect(b.devices.map((d) => [d.address, d.family, d.probeText])).toEqual(
        a.devices.map((d) => [d.address, d.family, d.probeText]),
      );
      expect([b.probed, b.silent, b.anomalies.length]).toEqual([a.probed, a.silent, 0]);
      expect(b.unaddressable).toEqual(a.unaddressable);
      expect(b.unaddressable).toEqual(
        preset === 'orv3-hpr-33kw' ? [248, 249, 250, 251, 252, 253, 254, 255] : [],
      );
    });
  },
);
