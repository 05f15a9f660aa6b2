/**
 * PSU register binding for both families (ORv3 `orv3-psu`, HPR `hpr-psu` maps): every register
 * name of either map reads a live value of a SimPsu, a tracked value, or a static one.
 *
 * Interpretations that are ours (also in sim/facade/README.md):
 * - Write enable: a PSU_Setting_Register write with bit 0 (PSU_Write_Enable) set applies its
 *   other bits and unlocks the PSU's configuration registers (Vout_Setpoint_H/L, Vout_Setpoint,
 *   Vout_Change_Timer, Fan_Duty_Cycle_Override, Communication_Baud_Rate,
 *   Configurable_PLS_Timing); a write with bit 0 clear locks them again and its other bits are
 *   ignored. The unlock also ends when the controller loses power. A locked write is
 *   acknowledged and ignored (no exception), like firmware that drops unauthorised settings.
 *   Unix_Time and LED_Override need no unlock (time sync must always work).
 * - Bit 0 reads back 1 while unlocked; bits 14 (Clear_Faults_Latch) and 15 (power cycle) are
 *   commands and read 0. Bit 15 turns the output off for 5 s (both families), then on.
 * - HPR has no 48/51 V select bit: Vout_Setpoint reads and writes the active setpoint.
 * - Vout_Change_Timer (s) delays a Vout setpoint write by that long; 0 = at once.
 * - Fans: idle 3000 rpm rising linearly to 18000 rpm at rated output; a nonzero
 *   Fan_Duty_Cycle_Override sets 18000·duty/100. 0 rpm while the controller is unpowered.
 * - ITHD 3 % and power factor 0.99 while drawing input power, else 0; input current =
 *   P_in / (V_ac · PF).
 * - Temperature alarms above 60 °C inlet / 95 °C outlet; PFC_Fail is never set (the physics
 *   has no PFC failure mode); DCDC_Fail = latched over-current shutdown (FaultOc).
 * - AC_Not_OK = any of AC_UVP/AC_OVP/Freq_Low/Freq_High. Input_Relay_Off = controller cold.
 * - Total_Up_Time and Time_Since_Last_On are in seconds of simulated time. Power-cycle and
 *   power-off times and the HPR bus min/max are sampled when the device is accessed.
 * - Vin_Min/Vin_Max report the PFC cut-off and AC over-voltage limits of the physics.
 */
import type { RegisterDef } from '../../src/regmap/index.js';
import type { SimPsu } from '../physics/psu.js';
import { addressLines, DeviceClock, identity, TableBinding } from './binding-kit.js';
import type { FacadeContext, Placement, Tables } from './binding-kit.js';
import {
  acNotOk,
  dcdcAlarms,
  generalAlarms,
  pfcAlarms,
  PSU_ITHD_PCT,
  PSU_PF,
  psuFanRpm,
  psuInputCurrentA,
  tempAlarms,
} from './psu-derived.js';
import { GATED_SETTINGS, PsuSettings } from './psu-settings.js';
import { flagBits, numeric, toRegisterUnit } from './values.js';

export class PsuModbusBinding extends TableBinding {
  private readonly clock: DeviceClock;
  private readonly settings: PsuSettings;
  private wasOn: boolean;
  private lastOnMs = 0;
  private seenCycles: number;
  private powerCycleUnix = 0;
  private powerOffUnix = 0;
  private busMinV = Infinity;
  private busMaxV = 0;

  constructor(
    private readonly ctx: FacadeContext,
    private readonly psu: SimPsu,
    private readonly at: Placement,
  ) {
    super();
    this.clock = new DeviceClock(ctx.epochMs);
    this.settings = new PsuSettings(ctx, psu, at.family);
    this.wasOn = psu.outputOn;
    this.seenCycles = psu.acPowerCycleCount;
  }

  responding(): boolean {
    return this.psu.controllerAlive;
  }

  protected define(t: Tables): void {
    const p = this.psu;
    const id = identity(this.at.family, 'psu', p.index, p.ratedW);
    const u = (get: () => number) => (def: RegisterDef) => toRegisterUnit(def, get());
    const busMin = (): number => (this.busMinV === Infinity ? 0 : this.busMinV);
    t.s('PSU_FBPN', id.partNumber)
      .s('PSU_MFR_Model', id.model)
      .s('PSU_MFR_Date', id.date)
      .s('PSU_MFR_Serial', id.serial)
      .s('PSU_Workorder', id.workorder)
      .s('PSU_HW_Revision', id.hwRevision)
      .s('PSU_FW_Revision', id.fwRevision)
      .s('PSU_FBL_FW_Revision', id.fwRevision)
      .s('Region', 0)
      .s('Size_Module_Reg_Map', 126)
      .s('Input_Power_Planned', p.ratedW)
      .r('Total_Up_Time', () => Math.floor(this.ctx.zone.tMs / 1000))
      .r('Time_Since_Last_On', () =>
        p.outputOn ? Math.floor((this.ctx.zone.tMs - this.lastOnMs) / 1000) : 0,
      )
      .r('AC_Power_Cycle_Counter', () => p.acPowerCycleCount)
      .r('AC_Outage_Counter', () => p.acOutageCount)
      .r('PSU_Fault_Counter', () => p.faultCount)
      .r('General_Alarm_Status_Register', (d) => flagBits(d, generalAlarms(p)))
      .r('PFC_Alarm_Status_Register', (d) => flagBits(d, pfcAlarms(p)))
      .r('DCDC_Alarm_Status_Register', (d) => flagBits(d, dcdcAlarms(p)))
      .r('Temperature_Alarm_Status_Register', (d) => flagBits(d, tempAlarms(p)))
      .r('Communication_Alarm_Status_Register', (d) => flagBits(d, { Modbus_Active: true }))
      .r(
        'PSU_RPM_Fan0',
        u(() => psuFanRpm(p, this.settings.value('Fan_Duty_Cycle_Override'))),
      )
      .r(
        'PSU_RPM_Fan1',
        u(() => psuFanRpm(p, this.settings.value('Fan_Duty_Cycle_Override'))),
      )
      .r(
        'PSU_Temp0_Inlet',
        u(() => p.tempInletC),
      )
      .r(
        'PSU_Temp1_Outlet',
        u(() => p.tempOutletC),
      )
      .r(
        'PSU_Max_Temp',
        u(() => Math.max(p.tempInletC, p.tempOutletC)),
      )
      .r(
        'PSU_Min_Temp',
        u(() => Math.min(p.tempInletC, p.tempOutletC)),
      )
      .r(
        'Bus_Clip_Temp_Pos',
        u(() => p.tempOutletC),
      )
      .r(
        'Bus_Clip_Temp_Neg',
        u(() => p.tempOutletC),
      )
      .r('PSU_Position_Number', () => this.at.slot + 1)
      .r(
        'PSU_Output_Voltage',
        u(() => p.voutV),
      )
      .r(
        'PSU_Output_Voltage_ORing',
        u(() => this.ctx.zone.busV),
      )
      .r(
        'PSU_Output_Current',
        u(() => Math.max(0, p.ioutA)),
      )
      .r(
        'I_Share_Current_Value',
        u(() => Math.max(0, p.ioutA)),
      )
      .r(
        'PSU_Output_Power',
        u(() => Math.max(0, p.poutW)),
      )
      .r(
        'PSU_Bulk_Cap_Voltage',
        u(() => p.bulkV),
      )
      .r(
        'PSU_Input_Frequency_AC',
        u(() => p.freqHz),
      )
      .r(
        'PSU_ITHD',
        u(() => (p.pinW > 0 ? PSU_ITHD_PCT : 0)),
      )
      .r('PSU_Power_Factor', () => (p.pinW > 0 ? PSU_PF : 0))
      .r(
        'PSU_Input_Power',
        u(() => p.pinW),
      )
      .r(
        'PSU_Input_Power_Inst',
        u(() => p.pinW),
      )
      .r(
        'PSU_Input_Voltage_AC',
        u(() => p.vacV),
      )
      .r(
        'PSU_Input_Current_AC',
        u(() => psuInputCurrentA(p)),
      )
      .r(
        'PSU_Input_Current_AC_Inst',
        u(() => psuInputCurrentA(p)),
      )
      .r('Power_Cycle_Unix_Time', () => this.powerCycleUnix)
      .r('Power_Off_Unix_Time', () => this.powerOffUnix)
      .r(
        'Vin_Min',
        u(() => p.p.pfcCutoffVac),
      )
      .r(
        'Vin_Max',
        u(() => p.p.acOvpVac),
      )
      .r(
        'Bus_Voltage_Max_Since_Power_On',
        u(() => this.busMaxV),
      )
      .r('Bus_Voltage_Min_Since_Power_On', u(busMin))
      .r(
        'Bus_Voltage_Max_Over_Period',
        u(() => this.busMaxV),
      )
      .r('Bus_Voltage_Min_Over_Period', u(busMin))
      .r('Hardware_Signal', (d) =>
        flagBits(d, { ...addressLines(this.at.slot, this.at.shelf), AC_Loss_L: !acNotOk(p) }),
      )
      .r('Shelf_Location', () => this.at.shelf)
      .r('Unix_Time', () => this.clock.unixS())
      .w('Unix_Time', (v) => {
        this.clock.set(numeric(v));
        return 'applied';
      })
      .r('PSU_Setting_Register', (d) => this.settings.readSetting(d))
      .w('PSU_Setting_Register', (v, d) => this.settings.writeSetting(d, numeric(v)))
      .r(
        'Vout_Setpoint_H',
        u(() => p.vsetHighV),
      )
      .r(
        'Vout_Setpoint_L',
        u(() => p.vsetLowV),
      )
      .r(
        'Vout_Setpoint',
        u(() => p.vsetV),
      );
    for (const name of GATED_SETTINGS) {
      t.w(name, (v, d) => this.settings.writeGated(d, numeric(v)));
      if (!name.startsWith('Vout_Setpoint')) t.r(name, () => this.settings.value(name));
    }
  }

  /** Bookkeeping that needs transitions; sampled on every access (see the header). */
  protected observe(): void {
    const p = this.psu;
    const now = this.ctx.zone.tMs;
    this.ctx.scheduler.runDue(now);
    this.settings.observe();
    const on = p.outputOn;
    if (on && !this.wasOn) this.lastOnMs = now;
    if (!on && this.wasOn) this.powerOffUnix = this.clock.unixS();
    this.wasOn = on;
    if (p.acPowerCycleCount !== this.seenCycles) {
      this.seenCycles = p.acPowerCycleCount;
      this.powerCycleUnix = this.clock.unixS();
    }
    if (on) {
      this.busMaxV = Math.max(this.busMaxV, p.voutV);
      this.busMinV = Math.min(this.busMinV, p.voutV);
    }
  }
}
