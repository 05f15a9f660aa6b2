/**
 * One HPR shelf over the simulated wires, end to end, as the CLI and the bench build it: a
 * Simulation (physics on a VirtualClock), ModbusRtuClient over SimulatedLine at the map's baud
 * rate, SmbusPmbusClient over the SMBus twin, discovery into a registry, drivers from what was
 * found, and the two-lane poller — all advancing in lockstep on the simulation's clock.
 */
import { describe, expect, it } from 'vitest';
import {
  addressSlot,
  createDriver,
  defaultFastPoints,
  DeviceRegistry,
  Poller,
} from '../../../src/devices/index.js';
import type { BbuTelemetry, PsuTelemetry } from '../../../src/devices/index.js';
import { PMBUS_BBU_BASE, PMBUS_PSU_BASE } from '../../../sim/facade/index.js';
import { inlineScenario, simulate } from '../../support/sim.js';
import { maps, simulatedPmbus, simulatedRtu } from '../../support/fake-buses.js';
import { lockstep } from './drive.js';

describe('full stack on one simulated HPR shelf', () => {
  it('discovers, polls both lanes and sees a grid sag on the fast lane', async () => {
    const sim = simulate(
      inlineScenario({
        name: 'stack',
        durationS: 20,
        zone: { preset: 'orv3-hpr-33kw' },
        load: { kind: 'constant', watts: 20000 },
        grid: { nominalVac: 277, events: [{ atS: 13, pu: 0.75, durationMs: 200 }] },
      }),
    );
    const clock = sim.clock;
    const { client: modbus, line } = simulatedRtu(sim.devices, clock, 115200);
    const pmbus = simulatedPmbus(sim.devices, 0, clock, 1_000_000);

    const registry = new DeviceRegistry(modbus, Object.values(maps.modbus), clock);
    let scanned = false;
    void registry.scan().then(() => (scanned = true));
    while (!scanned) await lockstep(sim, 100);
    expect(registry.live()).toHaveLength(12);
    // 114 silent addresses × (50 ms probe timeout + the client's 50 ms late-response guard)
    expect(clock.nowMs()).toBeLessThan(12_000);

    // Shelf 0's modules: PMBus slot = position in the Modbus address range
    const devices = registry.live().map((d) =>
      createDriver(d, modbus, clock, {
        pmbus,
        pmbusAddress:
          (d.kind === 'psu' ? PMBUS_PSU_BASE : PMBUS_BBU_BASE) +
          addressSlot(d.map, d.address)!.slot,
      }),
    );
    const poller = new Poller({
      clock,
      registry,
      slow: { devices, periodMs: 1000 },
      fast: { points: defaultFastPoints(devices), periodMs: 1 },
    });
    const t0 = clock.nowMs();
    poller.start();
    let minVin = Infinity;
    while (clock.nowMs() - t0 < 2500) {
      await lockstep(sim, 10);
      minVin = Math.min(minVin, poller.point('psu144.acInputV')?.value ?? Infinity);
    }
    const stopping = poller.stop();
    await lockstep(sim, 50);
    await stopping;

    const { slow, fast } = poller.stats();
    expect(fast!.achievedHz).toBeGreaterThan(950);
    expect(fast!.errors).toBe(0);
    expect(fast!.sampleAgeP99Ms).toBeLessThan(2);
    expect(slow!.completed).toBeGreaterThanOrEqual(2);
    expect(slow!.errors).toBe(0);
    // the 0.75 pu sag (277 V → ≈ 208 V, above the PFC cut-off: PSUs ride it) on the fast lane
    expect(minVin).toBeLessThan(215);
    expect(minVin).toBeGreaterThan(200);
    const psu = poller.telemetry('psu', 144)!.value as PsuTelemetry;
    const bbu = poller.telemetry('bbu', 48)!.value as BbuTelemetry;
    expect(psu.identity.model).toBe('SIM-HPR-PSU-5K5');
    expect(psu.output.voltageV).toBeGreaterThan(47);
    expect(bbu.bus.voltageV).toBeCloseTo(poller.point('bbu48.busV')!.value, 0);
    expect(line.stats.silenceViolations).toBe(0);
    expect(line.stats.collisions).toBe(0);
  });
});
