import { BbuState } from '../physics/bbu.js';
import type { SimBbu } from '../physics/bbu.js';

/**
 * The BBU's flag registers by flag name (both families); names a family's register lacks are
 * dropped when the bits are packed.
 */
export type FlagRecord = Record<string, boolean>;

export function bbuStatus(bbu: SimBbu, shelfAcOk: boolean): FlagRecord {
  const a = bbu.alarms;
  return {
    Pack_Over_Current: a.packOverCurrent,
    Pack_Under_Voltage: a.fullyDischarged,
    Charge_Not_Allowed: !shelfAcOk,
    Discharge_Not_Allowed: bbu.state === BbuState.Inhibit,
  };
}

export function bbuMode(bbu: SimBbu): FlagRecord {
  return {
    Charging: bbu.alarms.charging,
    Discharge: bbu.discharging,
    System_Control_Enable: bbu.systemControlMode !== 0,
  };
}

export function batteryStatus(bbu: SimBbu): FlagRecord {
  const a = bbu.alarms;
  return {
    Fully_Discharged: a.fullyDischarged,
    Fully_Charged: a.fullyCharged,
    Discharging: bbu.discharging,
    Initialized: true,
    Terminate_Discharge_Alarm: a.maxTimeReached || a.fullyDischarged,
  };
}
