import { describe, expect, it } from 'vitest';
import { decodeRegister } from '../../../../src/regmap/index.js';
import type { FlagsValue } from '../../../../src/regmap/index.js';
import { BbuState } from '../../../../sim/physics/bbu.js';
import { ModbusException } from '../../../../sim/facade/index.js';
import type { DeviceEntry } from '../../../../sim/facade/index.js';
import { reg, rig, stepMs, words } from './fixture.js';

const value = (e: DeviceEntry, name: string) => decodeRegister(reg(e, name), words(e, name));
const num = (e: DeviceEntry, name: string): number => Number(value(e, name));
const bits = (e: DeviceEntry, name: string) => (value(e, name) as FlagsValue).bits;
const write = (e: DeviceEntry, name: string, v: number): void =>
  e.modbus.writeSingleRegister(reg(e, name).begin, v);

describe('BBU binding: registers read the physics', () => {
  for (const preset of ['orv3-18kw', 'orv3-hpr-33kw']) {
    it(`${preset}: SoC, voltages, capacities and the bus`, () => {
      const r = rig(preset, 12000, 63.4);
      const b = r.zone.bbus[0]!;
      expect(num(r.bbu, 'Relative_State_Of_Charge')).toBe(Math.round(b.socPct));
      expect(num(r.bbu, 'Absolute_State_Of_Charge')).toBe(Math.round(b.socPct));
      expect(Math.abs(num(r.bbu, 'Shelf_Busbar_Voltage') / 1000 - r.zone.busV)).toBeLessThan(0.001);
      expect(Math.abs(num(r.bbu, 'Battery_Voltage') / 1000 - b.packV)).toBeLessThan(0.001);
      // Charging after start-up at 63 %: SBS sign, positive into the pack, in mA after decoding.
      const amps =
        preset === 'orv3-18kw'
          ? num(r.bbu, 'Battery_Current') / 100
          : num(r.bbu, 'Battery_Current') / 1000;
      expect(b.packA).toBeGreaterThan(0);
      expect(Math.abs(amps - b.packA)).toBeLessThanOrEqual(0.01);
      expect(bits(r.bbu, 'BBU_Mode')['Charging']).toBe(true);
      const full = num(r.bbu, 'Full_Charge_Capacity');
      expect(full).toBe(Math.round((b.capacityJ / 3600 / (b.p.cells * 3.6)) * 1000));
      expect(num(r.bbu, 'Remaining_Capacity') / full).toBeCloseTo(b.socPct / 100, 2);
      expect(num(r.bbu, 'Run_Time_To_Empty')).toBe(65535);
      expect(num(r.bbu, 'PSU_AC_OK')).toBe(1);
      expect(value(r.bbu, 'MFR_Serial')).toMatch(/^SIM(ORV3|HPR)BBU00000$/);
    });
  }
});

describe('BBU binding: slow-path system control', () => {
  it('Forced_Discharge_Time is refused (03) while System_Control_Mode is 0', () => {
    const r = rig();
    let err: unknown;
    try {
      write(r.bbu, 'Forced_Discharge_Time', 10);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModbusException);
    expect((err as ModbusException).exceptionCode).toBe(3);
    expect(r.zone.bbus[0]!.forcedW).toBe(0);
  });

  it('starts a forced discharge at rated power for N s when the zone is stepped', () => {
    const r = rig();
    const b = r.zone.bbus[0]!;
    write(r.bbu, 'System_Control_Mode', 1);
    expect(bits(r.bbu, 'BBU_Mode')['System_Control_Enable']).toBe(true);
    write(r.bbu, 'Forced_Discharge_Time', 3);
    stepMs(r, 100);
    expect(b.state).toBe(BbuState.Forced);
    expect(b.poutW).toBeGreaterThan(1000);
    expect(num(r.bbu, 'Forced_Discharge_Time')).toBe(3);
    expect(bits(r.bbu, 'BBU_Mode')['Discharge']).toBe(true);
    expect(bits(r.bbu, 'Battery_Status')['Discharging']).toBe(true);
    expect(num(r.bbu, 'Battery_Current')).toBeLessThan(0);
    const minutes = num(r.bbu, 'Run_Time_To_Empty');
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThan(65535);
    expect(num(r.bbu, 'Count_of_Discharge_Events')).toBe(1);
    stepMs(r, 3000);
    expect(b.state).toBe(BbuState.Standby);
    expect(num(r.bbu, 'Forced_Discharge_Time')).toBe(0);
  });

  it('0 cancels, and so does returning System_Control_Mode to 0', () => {
    const r = rig();
    const b = r.zone.bbus[0]!;
    write(r.bbu, 'System_Control_Mode', 2);
    write(r.bbu, 'Forced_Discharge_Time', 60);
    stepMs(r, 50);
    write(r.bbu, 'Forced_Discharge_Time', 0);
    stepMs(r, 50);
    expect(b.state).toBe(BbuState.Standby);
    write(r.bbu, 'Forced_Discharge_Time', 60);
    stepMs(r, 50);
    expect(b.state).toBe(BbuState.Forced);
    write(r.bbu, 'System_Control_Mode', 0);
    stepMs(r, 50);
    expect(b.state).toBe(BbuState.Standby);
  });

  it('maps the maximum discharge time and charge delay onto the physics, within bounds', () => {
    const r = rig();
    const b = r.zone.bbus[0]!;
    write(r.bbu, 'Configurable_BBU_Maximum_Discharge_Time', 120);
    write(r.bbu, 'Charge_Delay_Time', 30);
    expect(b.maxDischargeS).toBe(120);
    expect(b.chargeDelayS).toBe(30);
    expect(() => write(r.bbu, 'Configurable_BBU_Maximum_Discharge_Time', 601)).toThrow(
      ModbusException,
    );
    expect(() => write(r.bbu, 'System_Control_Mode', 4)).toThrow(ModbusException);
    b.alarms.maxTimeReached = true;
    write(r.bbu, 'BBU_Clear_Fault', 1);
    expect(b.alarms.maxTimeReached).toBe(false);
  });

  it('keeps settings the physics does not model and reads them back', () => {
    const r = rig();
    write(r.bbu, 'EOL_Threshold_Override', 70);
    expect(num(r.bbu, 'EOL_Threshold_Override')).toBe(70);
    write(r.bbu, 'PSU_AC_OK', 0);
    expect(num(r.bbu, 'PSU_AC_OK')).toBe(1);
  });
});
