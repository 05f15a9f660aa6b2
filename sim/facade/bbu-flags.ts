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

/**
 * Address strap lines of a module in a shelf, under every name the four maps use for them.
 * Active-low lines that are not asserted read 1.
 */
export function addressLines(slot: number, shelf: number): FlagRecord {
  const s = (v: number, bit: number): boolean => (v & (1 << bit)) !== 0;
  return {
    A0: s(slot, 0),
    A1: s(slot, 1),
    A2: s(slot, 2),
    PSU_A0: s(slot, 0),
    PSU_A1: s(slot, 1),
    PSU_A2: s(slot, 2),
    RS485_Addr0: s(shelf, 0),
    RS485_Addr1: s(shelf, 1),
    RS485_Addr2: s(shelf, 2),
    Shelf_Addr_int_0: s(shelf, 0),
    Shelf_Addr_int_1: s(shelf, 1),
    Shelf_Addr_int_2: s(shelf, 2),
    Shelf_Addr_Int_A0: s(shelf, 0),
    Shelf_Addr_Int_A1: s(shelf, 1),
    Shelf_Addr_Int_A2: s(shelf, 2),
    SYNC_START_L: true,
    PLS_L: true,
    Pulse_Mgmt_L: true,
  };
}
