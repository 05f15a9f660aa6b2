import { PsuState } from '../physics/psu.js';
import type { SimPsu } from '../physics/psu.js';
import { clamp } from './values.js';

/**
 * PSU quantities the physics does not carry directly, shared by the Modbus binding (both
 * families) and the PMBus binding: the alarm picture by register flag name (names a family's
 * register lacks are dropped when the bits are packed), fan speed, input current.
 */

/** Thresholds of ours: the physics has no over-temperature model, so these rarely fire. */
export const INLET_ALARM_C = 60;
export const OUTLET_ALARM_C = 95;

export type AlarmBits = Record<string, boolean>;

export function acNotOk(psu: SimPsu): boolean {
  const a = psu.alarms;
  return a.acUvp || a.acOvp || a.freqLow || a.freqHigh;
}

export function pfcAlarms(psu: SimPsu): AlarmBits {
  const a = psu.alarms;
  return {
    AC_UVP: a.acUvp,
    AC_OVP: a.acOvp,
    Freq_Low: a.freqLow,
    Freq_High: a.freqHigh,
    AC_Not_OK: acNotOk(psu),
    Bulk_Not_Ok: a.bulkNotOk,
    Input_Relay_Off: psu.state === PsuState.OffCold,
    // The physics has no PFC failure mode.
    PFC_Fail: false,
  };
}

export function dcdcAlarms(psu: SimPsu): AlarmBits {
  const a = psu.alarms;
  return { Main_UVP: a.mainUvp, Main_OCP: a.mainOcp, DCDC_Fail: psu.state === PsuState.FaultOc };
}

export function tempAlarms(psu: SimPsu): AlarmBits {
  return {
    Inlet_Temp_Alarm: psu.tempInletC > INLET_ALARM_C,
    Outlet_Temp_Alarm: psu.tempOutletC > OUTLET_ALARM_C,
  };
}

const any = (r: AlarmBits): boolean => Object.values(r).some((b) => b);

export function generalAlarms(psu: SimPsu): AlarmBits {
  const temp = any(tempAlarms(psu));
  return {
    PFC: any(pfcAlarms(psu)),
    DCDC: any(dcdcAlarms(psu)),
    Temperature: temp,
    PFC_Converter_Fail: false,
    DCDC_Converter_Failure: psu.state === PsuState.FaultOc,
    Temp_Alarm: temp,
  };
}

export const PSU_FAN_IDLE_RPM = 3000;
export const PSU_FAN_MAX_RPM = 18000;
/** Power factor and input current THD while drawing input power (ours). */
export const PSU_PF = 0.99;
export const PSU_ITHD_PCT = 3;

/** Idle speed rising linearly to full at rated output; a duty override (%) wins; 0 when cold. */
export function psuFanRpm(psu: SimPsu, overrideDutyPct = 0): number {
  if (!psu.controllerAlive) return 0;
  if (overrideDutyPct > 0) return (PSU_FAN_MAX_RPM * overrideDutyPct) / 100;
  const x = clamp(psu.poutW / psu.ratedW, 0, 1);
  return PSU_FAN_IDLE_RPM + (PSU_FAN_MAX_RPM - PSU_FAN_IDLE_RPM) * x;
}

export function psuInputCurrentA(psu: SimPsu): number {
  return psu.vacV > 1 && psu.pinW > 0 ? psu.pinW / (psu.vacV * PSU_PF) : 0;
}
