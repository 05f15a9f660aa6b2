/**
 * The gateway process on a simulated HPR shelf, seen through its own buses only: discovery,
 * both lanes, the telemetry view the north side gets, and the commands it accepts or refuses.
 */
import { describe, expect, it } from 'vitest';
import { createSimGateway, lockstep } from '../../../src/simlink/index.js';
import { decodeRegister, loadBuiltinMaps, type FlagsValue } from '../../../src/regmap/index.js';
import { inlineScenario } from '../../support/sim.js';

const maps = loadBuiltinMaps();

async function running(socPct = 100) {
  const { sim, gateway } = createSimGateway(
    inlineScenario({
      name: 'gw',
      durationS: 120,
      zone: { preset: 'orv3-hpr-33kw' },
      load: { kind: 'constant', watts: 20000 },
      grid: { events: [] },
      initial: { socPct },
    }),
  );
  let started = false;
  void gateway.start().then(() => (started = true));
  while (!started) await lockstep(sim, 100);
  await lockstep(sim, 2500);
  return { sim, gateway };
}

describe('Gateway on the simulated shelf', () => {
  it('discovers the shelf and reports what the physics holds, through the buses', async () => {
    const { sim, gateway } = await running();
    const s = gateway.summary();
    expect(s.live).toBe(12);
    expect(s.busV!).toBeCloseTo(sim.instruments.busV, 1);
    expect(s.busAgeMs!).toBeLessThan(2);
    expect(s.fastHz!).toBeGreaterThan(950);
    // 20 kW load + conversion losses, read over Modbus from the six PSUs.
    expect(s.psuOutputW).toBeGreaterThan(19_500);
    expect(s.psuOutputW).toBeLessThan(20_500);
    expect(s.minSocPct).toBe(100);
    const devices = gateway.telemetry.devices();
    expect(devices.map((d) => d.id).sort()).toEqual(
      [48, 49, 50, 51, 52, 53]
        .map((u) => `bbu-${u}`)
        .concat(
          [144, 145, 146, 147, 148, 149].map((u) => `psu-${u}`),
          ['shelf-0'],
        )
        .sort(),
    );
    const psu = devices.find((d) => d.id === 'psu-144')!;
    const vin = psu.metrics.find((m) => m.name === 'Input/Voltage')!;
    expect(vin.value as number).toBeCloseTo(277, 0);
    expect(vin.unit).toBe('V');
    // Timestamps leave in Unix ms of the gateway's clock.
    expect(vin.timestampMs).toBeGreaterThan(sim.clock.epochMs() - 2000);
    expect(vin.timestampMs).toBeLessThanOrEqual(sim.clock.epochMs());
  });

  it('bounds the power cap, and stores and reflects a valid one', async () => {
    const { gateway } = await running();
    expect((await gateway.commands.setPowerCapW(50_000)).ok).toBe(false);
    expect((await gateway.commands.setPowerCapW(Number.NaN)).ok).toBe(false);
    expect(await gateway.commands.setPowerCapW(25_000)).toEqual({ ok: true });
    expect(gateway.summary().powerCapW).toBe(25_000);
    const cap = gateway.telemetry.nodeMetrics().find((m) => m.name === 'Node Control/Power Cap W');
    expect(cap?.value).toBe(25_000);
    expect(await gateway.commands.setPowerCapW(null)).toEqual({ ok: true });
  });

  it('locates a PSU by its LED override, over Modbus', async () => {
    const { sim, gateway } = await running();
    const pending = gateway.commands.locate('psu-145', true);
    await lockstep(sim, 50);
    expect(await pending).toEqual({ ok: true });
    const def = maps.modbus['hpr-psu'].byName.get('LED_Override')!;
    const led = decodeRegister(def, sim.devices.modbus(145)!.readHoldingRegisters(def.begin, 1));
    expect((led as FlagsValue).bits.Blue_LED).toBe(true);
    expect((await gateway.commands.locate('bbu-48', true)).ok).toBe(false);
    expect((await gateway.commands.locate('psu-999', true)).ok).toBe(false);
  });

  it('runs a BBU self-test as a short forced discharge, and refuses it below 95 % SoC', async () => {
    const { sim, gateway } = await running();
    const pending = gateway.commands.bbuSelfTest('bbu-49');
    await lockstep(sim, 100);
    expect(await pending).toEqual({ ok: true });
    await lockstep(sim, 500);
    expect(sim.instruments.bbu(1).state).toBe('forced');
    const low = await running(80);
    const refused = low.gateway.commands.bbuSelfTest('bbu-49');
    await lockstep(low.sim, 100);
    const r = await refused;
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/below 95 %/);
  });
});
