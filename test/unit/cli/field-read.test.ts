/**
 * `orv3gw read` on the in-process simulated shelf: named registers decoded with their units,
 * raw words by number, the whole map, and the errors a field engineer will meet.
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runFieldCli } from '../../../src/cli/field/standalone.js';
import { loadBuiltinMaps } from '../../../src/regmap/index.js';
import type { Simulation } from '../../../sim/simulation.js';
import { REPO } from '../../support/sim.js';
import { capture } from '../../support/capture.js';

/** Runs a field command; `sim` is the simulated shelf behind --sim once it exists. */
function runner(): { run: (...args: string[]) => Promise<number>; sim: () => Simulation } {
  let sim: Simulation | undefined;
  return {
    run: (...args) => runFieldCli(['node', 'orv3gw', ...args], { onSimulation: (s) => (sim = s) }),
    sim: () => sim!,
  };
}

const SAG = resolve(REPO, 'sim/scenarios/sag-0.8pu-500ms-at-80pct.json');

interface NamedJson {
  registers: { name: string; value: unknown; unit?: string; si?: number; error?: string }[];
}

describe('orv3gw read --sim', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [label, extra] of [
    ['the demo shelf', []],
    ['a library scenario', ['--scenario', SAG]],
  ] as const) {
    it(`reads PSU_Output_Voltage ≈ the bus voltage on ${label}`, async () => {
      const r = runner();
      const c = capture();
      const code = await r.run('read', '--sim', ...extra, '144', 'PSU_Output_Voltage', '--json');
      vi.restoreAllMocks();
      expect(code).toBe(0);
      const j = JSON.parse(c.out()) as NamedJson;
      const v = j.registers[0]!;
      expect(v.name).toBe('PSU_Output_Voltage');
      expect(v.unit).toBe('V');
      // The PSU's output sits one droop step above the busbar; well inside half a volt.
      expect(v.value as number).toBeCloseTo(r.sim().instruments.busV, 0);
      expect(v.value as number).toBeGreaterThan(48);
    });
  }

  it('prints the value with its unit, and the raw words with --raw', async () => {
    const c = capture();
    expect(await runner().run('read', '--sim', '144', 'PSU_Output_Voltage', '--raw')).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/^ 79\s+1\s+PSU_Output_Voltage\s+5\d\.\d+ V\s+\{0x[0-9a-f]{4}\}$/m);
  });

  it('adds the SI value to map units that are not SI (BBU mV)', async () => {
    const c = capture();
    expect(await runner().run('read', '--sim', '48', 'Battery_Voltage')).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/Battery_Voltage\s+\d+ mV \(\d+(\.\d+)? V\)/);
  });

  it('reads `all`: every register of the map, decoded, none failing', async () => {
    const c = capture();
    expect(await runner().run('read', '--sim', '48', 'all', '--json')).toBe(0);
    vi.restoreAllMocks();
    const j = JSON.parse(c.out()) as NamedJson;
    const map = loadBuiltinMaps().modbus['hpr-bbu'];
    expect(j.registers.map((x) => x.name)).toEqual(map.registers.map((x) => x.name));
    expect(j.registers.filter((x) => x.error !== undefined)).toEqual([]);
    const soc = j.registers.find((x) => x.name === 'Relative_State_Of_Charge')!;
    expect(soc.value).toBe(100);
  });

  it('reads raw words by number (0x03), annotated with the map, and --count registers by name', async () => {
    let c = capture();
    expect(await runner().run('read', '--sim', '144', '0x3c', '--count', '2')).toBe(0);
    vi.restoreAllMocks();
    expect(c.out()).toMatch(/^ 60\s+0x[0-9a-f]{4}\s+\d+\s+General_Alarm_Status_Register$/m);
    expect(c.out()).toMatch(/^ 61\s+0x[0-9a-f]{4}\s+\d+\s+PFC_Alarm_Status_Register$/m);
    c = capture();
    expect(await runner().run('read', '--sim', '144', 'PSU_Output_Voltage', '--count', '3')).toBe(
      0,
    );
    vi.restoreAllMocks();
    expect(c.out().trim().split('\n')).toHaveLength(5); // title, header, 3 registers
  });

  it('answers an unknown register name with exit 2 and a "did you mean"', async () => {
    const c = capture();
    expect(await runner().run('read', '--sim', '144', 'PSU_Output_Voltag')).toBe(2);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/unknown register "PSU_Output_Voltag" in the hpr-psu map/);
    expect(c.err()).toMatch(/did you mean PSU_Output_Voltage/);
  });

  it('exits 1 for an address no map serves, 2 for a malformed one', async () => {
    let c = capture();
    expect(await runner().run('read', '--sim', '12', 'PSU_Output_Voltage')).toBe(1);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/E504_UNKNOWN_DEVICE: unknown device: address 12/);
    c = capture();
    expect(await runner().run('read', '--sim', '0x1g', 'all')).toBe(2);
    expect(await runner().run('read', '--sim', '144', '70000')).toBe(2);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/malformed device address "0x1g"/);
    expect(c.err()).toMatch(/malformed register address "70000"/);
  });

  it('exits 1 with the bus error when the device is silent', async () => {
    const c = capture();
    // 150 is an HPR PSU address, but the demo shelf has no device there.
    expect(await runner().run('read', '--sim', '150', 'PSU_Output_Voltage')).toBe(1);
    vi.restoreAllMocks();
    expect(c.err()).toMatch(/E401_MODBUS_TIMEOUT/);
  });
});
