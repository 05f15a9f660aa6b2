/**
 * The register façade over a running scenario: during the 0 p.u. sag the alarm registers show
 * what the physics does, as a gateway would read them — and the Simulation exposes nothing of
 * the physics beyond the façades and the read-only instruments.
 */
import { describe, expect, it } from 'vitest';
import { decodeRegister, loadBuiltinMaps, type FlagsValue } from '../../src/regmap/index.js';
import { libraryScenario, simulate } from '../support/sim.js';

const maps = loadBuiltinMaps();

function read(
  sim: ReturnType<typeof simulate>,
  family: 'hpr-psu' | 'hpr-bbu',
  address: number,
  name: string,
) {
  const def = maps.modbus[family].byName.get(name)!;
  const dev = sim.devices.modbus(address)!;
  return decodeRegister(def, dev.readHoldingRegisters(def.begin, def.length));
}

describe('registers during an AC loss (HPR shelf)', () => {
  it('reflect hold-up, BBU backup and the cold PSU controllers', () => {
    const sim = simulate(libraryScenario('sag-0pu-150ms-at-80pct'));
    const psu = sim.devices.list().find((d) => d.kind === 'psu' && d.slot === 0)!;
    const bbu = sim.devices.list().find((d) => d.kind === 'bbu' && d.slot === 0)!;
    sim.advanceTo(1.9e6);
    const v = read(sim, 'hpr-psu', psu.modbusAddress, 'PSU_Output_Voltage') as number;
    expect(v).toBeCloseTo(sim.instruments.busV, 2);
    expect((read(sim, 'hpr-bbu', bbu.modbusAddress, 'BBU_Status') as FlagsValue).raw).toBe(0);

    // 10 ms into the outage: PFC under-voltage alarm, output still up from the bulk capacitor.
    sim.advanceTo(2.01e6);
    const pfc = read(sim, 'hpr-psu', psu.modbusAddress, 'PFC_Alarm_Status_Register') as FlagsValue;
    expect(pfc.bits.AC_UVP).toBe(true);
    expect(pfc.bits.AC_Not_OK).toBe(true);
    expect(read(sim, 'hpr-psu', psu.modbusAddress, 'PSU_Input_Voltage_AC')).toBe(0);

    // 100 ms in: BBUs in backup, the PSU controllers lost (they no longer answer).
    sim.advanceTo(2.1e6);
    const mode = read(sim, 'hpr-bbu', bbu.modbusAddress, 'BBU_Mode') as FlagsValue;
    expect(mode.bits.Discharge).toBe(true);
    expect(sim.devices.modbus(psu.modbusAddress)!.responding).toBe(false);
    const soc = read(sim, 'hpr-bbu', bbu.modbusAddress, 'Relative_State_Of_Charge') as number;
    expect(Math.abs(soc - sim.instruments.bbu(0).socPct)).toBeLessThanOrEqual(1);
  });

  it('exposes no physics object through the Simulation', () => {
    const sim = simulate(libraryScenario('sag-0.8pu-500ms-at-80pct'));
    const exposed = [
      ...Object.keys(sim),
      ...Object.getOwnPropertyNames(Object.getPrototypeOf(sim) as object),
    ];
    expect(exposed.sort()).toEqual(
      [
        'advanceTo',
        'clock',
        'constructor',
        'devices',
        'grid',
        'instruments',
        'scenario',
        'tUs',
      ].sort(),
    );
    // Instruments hand out copies: mutating them changes nothing.
    sim.advanceTo(10_000);
    const r = sim.instruments.psu(0) as { poutW: number };
    expect(() => {
      r.poutW = 0;
    }).not.toThrow();
    expect(sim.instruments.psu(0).poutW).toBeGreaterThan(0);
  });
});
