import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/index.js';
import { DeviceRegistry, scanBus } from '../../../src/devices/index.js';
import type { DeviceRecord } from '../../../src/devices/index.js';
import { ErrorCode, Orv3Error } from '../../../src/errors.js';
import { ModbusException, ModbusFacade } from '../../../sim/facade/index.js';
import { FakeModbusClient, maps, shelf } from '../../support/fake-buses.js';

const allMaps = Object.values(maps.modbus);
const addressesOf = (s: ReturnType<typeof shelf>): number[] =>
  s.dir
    .list()
    .map((e) => e.modbusAddress)
    .sort((a, b) => a - b);

describe('scanBus', () => {
  for (const preset of ['orv3-hpr-33kw', 'orv3-18kw']) {
    it(`${preset}: finds exactly the shelf's devices, family by address, at the line's baud`, async () => {
      const s = shelf(preset, { transport: 'rtu' });
      const report = await scanBus(s.modbus, allMaps);
      expect(report.devices.map((d) => d.address)).toEqual(addressesOf(s));
      for (const d of report.devices) {
        const entry = s.dir.list().find((e) => e.modbusAddress === d.address)!;
        expect(d.family).toBe(entry.family);
        expect(d.kind).toBe(entry.kind);
        expect(d.probeText).toMatch(/^[\x20-\x7e]{1,2}$/);
      }
      expect(report.anomalies).toEqual([]);
      const family = s.zone.spec.family;
      expect(report.skippedFamilies).toEqual(
        allMaps.map((m) => m.family).filter((f) => !f.startsWith(family)),
      );
      expect(report.silent).toBe(report.probed - report.devices.length);
      const probes = s.modbus.log;
      expect(probes.every((r) => r.priority === 'background' && r.count === 1)).toBe(true);
      expect(probes.every((r) => r.timeoutMs === 50)).toBe(true);
    });
  }

  it('on a TCP line scans every family: an HPR and an ORv3 shelf side by side', async () => {
    const a = shelf('orv3-hpr-33kw');
    const b = shelf('orv3-18kw');
    const client = new FakeModbusClient((u) => a.dir.modbus(u) ?? b.dir.modbus(u), {
      transport: 'tcp',
    });
    const report = await scanBus(client, allMaps);
    expect(report.devices.map((d) => d.address).sort((x, y) => x - y)).toEqual(
      [...addressesOf(a), ...addressesOf(b)].sort((x, y) => x - y),
    );
    expect(report.devices.filter((d) => d.family.startsWith('hpr'))).toHaveLength(12);
  });

  it('reports implausible answers and exceptions as anomalies and goes on', async () => {
    const s = shelf('orv3-hpr-33kw');
    const map = maps.modbus['hpr-psu'];
    const blank = new ModbusFacade(150, map, {
      read: (def) => (def.format === 'STRING' ? '' : 0),
      write: () => 'applied',
      responding: () => true,
    });
    const failing = new ModbusFacade(151, map, {
      read: () => {
        throw new ModbusException(4, 3, 'device failure');
      },
      write: () => 'applied',
      responding: () => true,
    });
    const extra: Record<number, ModbusFacade> = { 150: blank, 151: failing };
    const client = new FakeModbusClient((u) => extra[u] ?? s.dir.modbus(u));
    const report = await scanBus(client, [map]);
    expect(report.devices.map((d) => d.address)).toEqual([144, 145, 146, 147, 148, 149]);
    expect(report.anomalies.map((a) => [a.address, a.code])).toEqual([
      [150, 'implausible'],
      [151, ErrorCode.ModbusException],
    ]);
  });
});

describe('DeviceRegistry', () => {
  function rig() {
    const s = shelf('orv3-hpr-33kw');
    const clock = new VirtualClock();
    const registry = new DeviceRegistry(s.modbus, allMaps, clock, { reprobePeriodMs: 5000 });
    const events: string[] = [];
    const log = (e: string) => (d: DeviceRecord) => events.push(`${e}:${d.address}`);
    registry.on('found', log('found'));
    registry.on('lost', log('lost'));
    registry.on('recovered', log('recovered'));
    return { ...s, clock, registry, events };
  }

  it('a device vanishing mid-scan is counted and marked; the scan goes on', async () => {
    const { registry, modbus, events } = rig();
    await registry.scan();
    expect(registry.live()).toHaveLength(12);
    expect(events.filter((e) => e.startsWith('found'))).toHaveLength(12);
    // PSU 146 vanishes while the scan is at 145
    const report = await registry.scan({
      onProbe: (address) => {
        if (address === 145) modbus.silence(146);
      },
    });
    expect(report.devices).toHaveLength(11);
    expect(report.devices.some((d) => d.address > 146)).toBe(true);
    const rec = registry.get(146)!;
    expect(rec).toMatchObject({ state: 'live', consecutiveFailures: 1, failures: 1 });
    expect(rec.lastError).toMatch(/silent/);
    await registry.scan();
    await registry.scan();
    expect(registry.get(146)!.state).toBe('dormant');
    expect(events).toContain('lost:146');
    expect(registry.live()).toHaveLength(11);
  });

  it('goes dormant after N link failures, not after device exceptions; re-probes and recovers', async () => {
    const { registry, modbus, clock, events } = rig();
    await registry.scan();
    const timeout = new Orv3Error(ErrorCode.ModbusTimeout, 'no response');
    registry.recordFailure(48, new Orv3Error(ErrorCode.ModbusException, 'exception 03'));
    registry.recordFailure(48, timeout);
    registry.recordFailure(48, timeout);
    expect(registry.get(48)!.state).toBe('live');
    expect(registry.get(48)!.deviceErrors).toBe(1);
    modbus.silence(48);
    registry.recordFailure(48, timeout);
    expect(registry.get(48)!.state).toBe('dormant');
    expect(() => registry.assertLive(48)).toThrow(/dormant/);
    registry.start();
    modbus.log.length = 0;
    await clock.advanceAsync(20_000, 1000);
    // one background probe per period while it stays silent
    expect(modbus.log).toHaveLength(4);
    expect(modbus.log.every((r) => r.unit === 48 && r.priority === 'background')).toBe(true);
    modbus.restore(48);
    await clock.advanceAsync(5000, 1000);
    registry.stop();
    expect(registry.get(48)).toMatchObject({
      state: 'live',
      recoveries: 1,
      consecutiveFailures: 0,
    });
    expect(events.slice(-2)).toEqual(['lost:48', 'recovered:48']);
    const n = modbus.log.length;
    await clock.advanceAsync(20_000, 1000);
    expect(modbus.log).toHaveLength(n); // stopped, and nothing dormant anyway
  });
});
