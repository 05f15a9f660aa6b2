import type { ModbusRegisterMap } from '../regmap/index.js';
import type { SampleView } from './driver-base.js';
import type { AlarmGroup, DeviceIdentity, FlagRegisters, Stamped } from './types.js';

/** Register names of a BBU telemetry sweep; the same in the ORv3 and HPR maps. */
export const BBU_CHARGE = [
  'Relative_State_Of_Charge',
  'Absolute_State_Of_Charge',
  'Remaining_Capacity',
  'Full_Charge_Capacity',
  'Run_Time_To_Empty',
  'Average_Time_To_Empty',
] as const;
export const BBU_PACK = ['Battery_Voltage', 'Battery_Current', 'Average_Current'] as const;
export const BBU_BUS = ['Shelf_Busbar_Voltage'] as const;
export const BBU_THERMAL = [
  'Temp1',
  'Temp2',
  'Temp3',
  'Temp4',
  'Inlet_Ambient_Temperature',
  'Outlet_Ambient_Temperature',
  'Fan_Speed',
] as const;
export const BBU_STATUS = ['Battery_Status', 'BBU_Mode'] as const;
export const BBU_ALARMS = [
  'BBU_Status',
  'Permanent_Failures',
  'BBU_Status_Word',
  'BBU_Status_Power_Boost',
  'BBU_Status_Buck_Converter',
  'BBU_Status_Charger',
  'BBU_Status_Temperature',
  'End_of_Life_Status',
] as const;
export const BBU_COUNTERS = ['Cycle_Count', 'Count_of_Discharge_Events'] as const;
export const BBU_CONTROL = [
  'System_Control_Mode',
  'Forced_Discharge_Time',
  'Configurable_BBU_Maximum_Discharge_Time',
] as const;
export const BBU_IDENTITY = {
  manufacturer: 'Manufacture_Name',
  model: 'Manufacture_Model',
  serial: 'MFR_Serial',
  partNumber: 'Facebook_Part_Number',
  date: 'Manufacture_Date',
  hwRevision: 'HW_Revision',
  fwRevision: 'FW_Revision',
} as const;

/** Smart Battery Data Specification: 65535 in a time register means "not applicable". */
const SBS_NONE = 65535;

export interface BbuTelemetry {
  readonly kind: 'bbu';
  readonly family: string;
  readonly unit: number;
  readonly identity: DeviceIdentity;
  readonly charge: Stamped & {
    readonly socPct: number;
    readonly absoluteSocPct: number;
    readonly remainingAh: number;
    readonly fullChargeAh: number;
    /** null while not discharging (SBS 65535). */
    readonly runTimeToEmptyS: number | null;
    readonly averageTimeToEmptyS: number | null;
  };
  readonly pack: Stamped & {
    readonly voltageV: number;
    /** Positive while charging (SBS sign). */
    readonly currentA: number;
    readonly averageCurrentA: number;
  };
  readonly bus: Stamped & { readonly voltageV: number };
  readonly thermal: Stamped & {
    readonly cellTempsC: readonly number[];
    readonly inletC: number;
    readonly outletC: number;
    readonly fanRpm: number;
  };
  readonly status: Stamped & {
    readonly charging: boolean;
    readonly discharging: boolean;
    readonly fullyCharged: boolean;
    readonly fullyDischarged: boolean;
    readonly systemControlEnabled: boolean;
    /** Battery_Status and BBU_Mode named bits. */
    readonly flags: FlagRegisters;
  };
  readonly alarms: AlarmGroup;
  readonly counters: Stamped & { readonly cycles: number; readonly dischargeEvents: number };
  readonly control: Stamped & {
    readonly systemControlMode: number;
    /** Seconds left of a forced discharge (either path), 0 = none. */
    readonly forcedDischargeRemainingS: number;
    /** 0 = no limit. */
    readonly maxDischargeTimeS: number;
  };
}

export function buildBbuTelemetry(
  v: SampleView,
  map: ModbusRegisterMap,
  unit: number,
  identity: DeviceIdentity,
): BbuTelemetry {
  const time = (name: string): number | null => (v.raw(name) === SBS_NONE ? null : v.num(name));
  const battery = v.flags('Battery_Status');
  const mode = v.flags('BBU_Mode');
  const alarms = v.alarms(BBU_ALARMS);
  return Object.freeze({
    kind: 'bbu',
    family: map.family,
    unit,
    identity,
    charge: Object.freeze({
      sampledAtMs: v.stamp(BBU_CHARGE),
      socPct: v.num('Relative_State_Of_Charge'),
      absoluteSocPct: v.num('Absolute_State_Of_Charge'),
      remainingAh: v.num('Remaining_Capacity'),
      fullChargeAh: v.num('Full_Charge_Capacity'),
      runTimeToEmptyS: time('Run_Time_To_Empty'),
      averageTimeToEmptyS: time('Average_Time_To_Empty'),
    }),
    pack: Object.freeze({
      sampledAtMs: v.stamp(BBU_PACK),
      voltageV: v.num('Battery_Voltage'),
      currentA: v.num('Battery_Current'),
      averageCurrentA: v.num('Average_Current'),
    }),
    bus: Object.freeze({ sampledAtMs: v.stamp(BBU_BUS), voltageV: v.num('Shelf_Busbar_Voltage') }),
    thermal: Object.freeze({
      sampledAtMs: v.stamp(BBU_THERMAL),
      cellTempsC: Object.freeze(['Temp1', 'Temp2', 'Temp3', 'Temp4'].map((n) => v.num(n))),
      inletC: v.num('Inlet_Ambient_Temperature'),
      outletC: v.num('Outlet_Ambient_Temperature'),
      fanRpm: v.num('Fan_Speed'),
    }),
    status: Object.freeze({
      sampledAtMs: v.stamp(BBU_STATUS),
      charging: mode['Charging'] === true,
      discharging: battery['Discharging'] === true || mode['Discharge'] === true,
      fullyCharged: battery['Fully_Charged'] === true,
      fullyDischarged: battery['Fully_Discharged'] === true,
      systemControlEnabled: mode['System_Control_Enable'] === true,
      flags: Object.freeze({ Battery_Status: battery, BBU_Mode: mode }),
    }),
    alarms: Object.freeze({
      sampledAtMs: v.stamp(BBU_ALARMS),
      registers: alarms.registers,
      active: Object.freeze(alarms.active),
    }),
    counters: Object.freeze({
      sampledAtMs: v.stamp(BBU_COUNTERS),
      cycles: v.num('Cycle_Count'),
      dischargeEvents: v.num('Count_of_Discharge_Events'),
    }),
    control: Object.freeze({
      sampledAtMs: v.stamp(BBU_CONTROL),
      systemControlMode: v.num('System_Control_Mode'),
      forcedDischargeRemainingS: v.num('Forced_Discharge_Time'),
      maxDischargeTimeS: v.num('Configurable_BBU_Maximum_Discharge_Time'),
    }),
  });
}
