import { describe, expect, it } from 'vitest';
import { decodeRegister, encodeRegister } from '../../../../src/regmap/index.js';
import type { FlagsValue, RegisterDef } from '../../../../src/regmap/index.js';
import { PsuState } from '../../../../sim/physics/psu.js';
import type { DeviceEntry } from '../../../../sim/facade/index.js';
import { reg, rig, stepMs, words } from './fixture.js';

const value = (e: DeviceEntry, name: string) => decodeRegister(reg(e, name), words(e, name));
const num = (e: DeviceEntry, name: string): number => Number(value(e, name));
const bits = (e: DeviceEntry, name: string) => (value(e, name) as FlagsValue).bits;
/** One least significant bit of a FLOAT register, in engineering units. */
const lsb = (def: RegisterDef): number => def.scale / 2 ** def.precision;

describe('PSU binding: registers read the physics', () => {
  for (const preset of ['orv3-18kw', 'orv3-hpr-33kw']) {
    it(`${preset}: electrical readings decode to the physics values within one LSB`, () => {
      const r = rig(preset);
      const p = r.zone.psus[0]!;
      const within = (name: string, expected: number): void => {
        expect(Math.abs(num(r.psu, name) - expected)).toBeLessThanOrEqual(lsb(reg(r.psu, name)));
      };
      within('PSU_Output_Voltage', r.zone.busV);
      within('PSU_Output_Voltage', p.voutV);
      within('PSU_Output_Current', p.ioutA);
      within('PSU_Output_Power', p.poutW);
      within('PSU_Input_Power', p.pinW);
      within('PSU_Input_Voltage_AC', 277);
      within('PSU_Bulk_Cap_Voltage', p.bulkV);
      within('PSU_Temp1_Outlet', p.tempOutletC);
      expect(num(r.psu, 'PSU_Input_Frequency_AC')).toBe(60);
      // 60 % of the shelf rating shared by six PSUs.
      expect(num(r.psu, 'PSU_Output_Power')).toBeCloseTo(0.6 * p.ratedW, -2);
      const rpm = num(r.psu, 'PSU_RPM_Fan0');
      expect(rpm).toBeGreaterThan(3000);
      expect(rpm).toBeLessThan(18000);
      expect(value(r.psu, 'PSU_MFR_Serial')).toMatch(/^SIM(ORV3|HPR)PSU00000$/);
    });
  }

  it('raises the PFC alarm bits and the counters through an AC outage', () => {
    const r = rig('orv3-18kw');
    const p = r.zone.psus[0]!;
    p.alarms.acUvp = true;
    expect(bits(r.psu, 'PFC_Alarm_Status_Register')).toMatchObject({
      AC_UVP: true,
      AC_Not_OK: true,
    });
    expect(bits(r.psu, 'General_Alarm_Status_Register')['PFC']).toBe(true);
    p.acOutageCount = 3;
    p.faultCount = 2;
    expect(num(r.psu, 'AC_Outage_Counter')).toBe(3);
    expect(num(r.psu, 'PSU_Fault_Counter')).toBe(2);
  });

  it('reports an over-current latch in the DCDC register', () => {
    const r = rig('orv3-18kw');
    r.zone.psus[0]!.injectedFault = true;
    stepMs(r, 5);
    expect(r.zone.psus[0]!.state).toBe(PsuState.FaultOc);
    expect(bits(r.psu, 'DCDC_Alarm_Status_Register')).toMatchObject({
      Main_OCP: true,
      DCDC_Fail: true,
    });
    expect(bits(r.psu, 'General_Alarm_Status_Register')['DCDC']).toBe(true);
  });
});

describe('PSU binding: writes act on the physics', () => {
  it('ORv3: a Vout setpoint write needs the write-enable bit first', () => {
    const r = rig('orv3-18kw');
    const p = r.zone.psus[0]!;
    const hi = reg(r.psu, 'Vout_Setpoint_H');
    const w50 = encodeRegister(hi, 50)[0]!;
    r.psu.modbus.writeSingleRegister(hi.begin, w50);
    expect(p.vsetHighV).toBe(51);
    expect(r.psu.modbus.counters.ignoredWrites).toBe(1);
    // Write enable (bit 0) with 51 V mode (bit 9) kept: unlocks the setpoints.
    r.psu.modbus.writeSingleRegister(94, 0x0201);
    expect(bits(r.psu, 'PSU_Setting_Register')['PSU_Write_Enable']).toBe(true);
    r.psu.modbus.writeSingleRegister(hi.begin, w50);
    expect(p.vsetHighV).toBeCloseTo(50, 2);
    stepMs(r, 200);
    // Its droop line now sits below its neighbours': it carries less of the load.
    expect(p.ioutA).toBeLessThan(0.5 * r.zone.psus[1]!.ioutA);
    expect(num(r.psu, 'Vout_Setpoint_H')).toBeCloseTo(50, 2);
    // Writing the setting register without bit 0 locks again.
    r.psu.modbus.writeSingleRegister(94, 0x0200);
    r.psu.modbus.writeSingleRegister(hi.begin, encodeRegister(hi, 51)[0]!);
    expect(p.vsetHighV).toBeCloseTo(50, 2);
  });

  it('ORv3: bit 9 selects 48 V only together with write enable', () => {
    const r = rig('orv3-18kw');
    const p = r.zone.psus[0]!;
    r.psu.modbus.writeSingleRegister(94, 0x0000);
    expect(p.vsel51).toBe(true);
    r.psu.modbus.writeSingleRegister(94, 0x0001);
    expect(p.vsel51).toBe(false);
    expect(num(r.psu, 'Vout_Setpoint_L')).toBe(48);
    stepMs(r, 300);
    // 48 V against neighbours at 51 V: this PSU's output diode blocks, it carries nothing.
    expect(num(r.psu, 'PSU_Output_Current')).toBeLessThan(0.1);
  });

  it('HPR: Vout_Setpoint writes the active setpoint', () => {
    const r = rig('orv3-hpr-33kw');
    const p = r.zone.psus[0]!;
    const sp = reg(r.psu, 'Vout_Setpoint');
    r.psu.modbus.writeMultipleRegisters(94, [0x0001]);
    r.psu.modbus.writeSingleRegister(sp.begin, encodeRegister(sp, 49.5)[0]!);
    expect(p.vsetV).toBeCloseTo(49.5, 2);
  });

  it('bit 14 clears a fault latch and bit 15 power-cycles the output for 5 s', () => {
    const r = rig('orv3-18kw');
    const p = r.zone.psus[0]!;
    p.injectedFault = true;
    stepMs(r, 5);
    r.psu.modbus.writeSingleRegister(94, 0x4201);
    expect(p.injectedFault).toBe(false);
    stepMs(r, 300);
    expect(p.state).toBe(PsuState.Running);
    r.psu.modbus.writeSingleRegister(94, 0x8201);
    stepMs(r, 10);
    expect(p.state).toBe(PsuState.OffCommanded);
    stepMs(r, 4900);
    expect(p.state).toBe(PsuState.OffCommanded);
    stepMs(r, 400);
    expect(p.state).toBe(PsuState.Running);
    expect(bits(r.psu, 'PSU_Setting_Register')['Power_Cycle_5s']).toBe(false);
  });

  it('Unix_Time write sets the device clock, which then runs with simulated time', () => {
    const r = rig('orv3-18kw');
    const def = reg(r.psu, 'Unix_Time');
    r.psu.modbus.writeMultipleRegisters(def.begin, encodeRegister(def, 2_000_000_000));
    stepMs(r, 3000);
    expect(num(r.psu, 'Unix_Time')).toBe(2_000_000_003);
  });

  it('stops responding while the controller is unpowered', () => {
    const r = rig('orv3-18kw');
    expect(r.psu.modbus.responding).toBe(true);
    r.zone.psus[0]!.state = PsuState.OffCold;
    expect(r.psu.modbus.responding).toBe(false);
  });
});
