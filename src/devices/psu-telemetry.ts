import type { ModbusRegisterMap } from '../regmap/index.js';
import type { SampleView } from './driver-base.js';
import type { AlarmGroup, DeviceIdentity, Stamped } from './types.js';

/** Register names of a PSU telemetry sweep; the same in the ORv3 and HPR maps. */
export const PSU_INPUT = [
  'PSU_Input_Voltage_AC',
  'PSU_Input_Current_AC',
  'PSU_Input_Power',
  'PSU_Input_Frequency_AC',
  'PSU_Power_Factor',
  'PSU_ITHD',
] as const;
export const PSU_OUTPUT = [
  'PSU_Output_Voltage',
  'PSU_Output_Current',
  'PSU_Output_Power',
  'PSU_Bulk_Cap_Voltage',
] as const;
export const PSU_THERMAL = [
  'PSU_Temp0_Inlet',
  'PSU_Temp1_Outlet',
  'PSU_Max_Temp',
  'PSU_Min_Temp',
  'PSU_RPM_Fan0',
  'PSU_RPM_Fan1',
] as const;
export const PSU_COUNTERS = [
  'AC_Power_Cycle_Counter',
  'AC_Outage_Counter',
  'PSU_Fault_Counter',
] as const;
export const PSU_ALARMS = [
  'General_Alarm_Status_Register',
  'PFC_Alarm_Status_Register',
  'DCDC_Alarm_Status_Register',
  'Temperature_Alarm_Status_Register',
  'Communication_Alarm_Status_Register',
] as const;
export const PSU_IDENTITY = {
  model: 'PSU_MFR_Model',
  serial: 'PSU_MFR_Serial',
  partNumber: 'PSU_FBPN',
  date: 'PSU_MFR_Date',
  hwRevision: 'PSU_HW_Revision',
  fwRevision: 'PSU_FW_Revision',
} as const;

/** ORv3 holds a 51 V-range and a 48 V-range setpoint (bit 9 selects); HPR one active setpoint. */
export function psuSettingNames(map: ModbusRegisterMap): string[] {
  return map.byName.has('Vout_Setpoint')
    ? ['PSU_Setting_Register', 'Vout_Setpoint']
    : ['PSU_Setting_Register', 'Vout_Setpoint_H', 'Vout_Setpoint_L'];
}

export interface PsuTelemetry {
  readonly kind: 'psu';
  readonly family: string;
  readonly unit: number;
  readonly identity: DeviceIdentity;
  readonly input: Stamped & {
    readonly voltageV: number;
    readonly currentA: number;
    readonly powerW: number;
    readonly frequencyHz: number;
    readonly powerFactor: number;
    readonly ithdPct: number;
  };
  readonly output: Stamped & {
    readonly voltageV: number;
    readonly currentA: number;
    readonly powerW: number;
    readonly bulkV: number;
  };
  readonly thermal: Stamped & {
    readonly inletC: number;
    readonly outletC: number;
    readonly maxC: number;
    readonly minC: number;
    readonly fanRpm: readonly number[];
  };
  readonly counters: Stamped & {
    readonly acPowerCycles: number;
    readonly acOutages: number;
    readonly faults: number;
  };
  readonly alarms: AlarmGroup;
  readonly settings: Stamped & {
    /** ORv3 bit 9 (true = 51 V range); null on HPR, which has no range select. */
    readonly select51V: boolean | null;
    /** The setpoint in force: ORv3 the one of the selected range. */
    readonly voutSetpointV: number;
    /** Write enable still set (a sequence was interrupted before it could lock). */
    readonly writeEnabled: boolean;
  };
}

export function buildPsuTelemetry(
  v: SampleView,
  map: ModbusRegisterMap,
  unit: number,
  identity: DeviceIdentity,
): PsuTelemetry {
  const settings = v.flags('PSU_Setting_Register');
  const hpr = map.byName.has('Vout_Setpoint');
  const select51V = hpr ? null : settings['Output_Voltage_Setting_51V_48V'] === true;
  const setpoint = hpr ? 'Vout_Setpoint' : select51V ? 'Vout_Setpoint_H' : 'Vout_Setpoint_L';
  const alarms = v.alarms(PSU_ALARMS);
  return Object.freeze({
    kind: 'psu',
    family: map.family,
    unit,
    identity,
    input: Object.freeze({
      sampledAtMs: v.stamp(PSU_INPUT),
      voltageV: v.num('PSU_Input_Voltage_AC'),
      currentA: v.num('PSU_Input_Current_AC'),
      powerW: v.num('PSU_Input_Power'),
      frequencyHz: v.num('PSU_Input_Frequency_AC'),
      powerFactor: v.num('PSU_Power_Factor'),
      ithdPct: v.num('PSU_ITHD'),
    }),
    output: Object.freeze({
      sampledAtMs: v.stamp(PSU_OUTPUT),
      voltageV: v.num('PSU_Output_Voltage'),
      currentA: v.num('PSU_Output_Current'),
      powerW: v.num('PSU_Output_Power'),
      bulkV: v.num('PSU_Bulk_Cap_Voltage'),
    }),
    thermal: Object.freeze({
      sampledAtMs: v.stamp(PSU_THERMAL),
      inletC: v.num('PSU_Temp0_Inlet'),
      outletC: v.num('PSU_Temp1_Outlet'),
      maxC: v.num('PSU_Max_Temp'),
      minC: v.num('PSU_Min_Temp'),
      fanRpm: Object.freeze([v.num('PSU_RPM_Fan0'), v.num('PSU_RPM_Fan1')]),
    }),
    counters: Object.freeze({
      sampledAtMs: v.stamp(PSU_COUNTERS),
      acPowerCycles: v.num('AC_Power_Cycle_Counter'),
      acOutages: v.num('AC_Outage_Counter'),
      faults: v.num('PSU_Fault_Counter'),
    }),
    alarms: Object.freeze({
      sampledAtMs: v.stamp(PSU_ALARMS),
      registers: alarms.registers,
      active: Object.freeze(alarms.active),
    }),
    settings: Object.freeze({
      sampledAtMs: v.stamp(psuSettingNames(map)),
      select51V,
      voutSetpointV: v.num(setpoint),
      writeEnabled: settings['PSU_Write_Enable'] === true,
    }),
  });
}
