/**
 * BBU register binding for both families (ORv3 `orv3-bbu`, HPR `hpr-bbu` maps): every register
 * name of either map reads a live value of a SimBbu, a tracked value, or a static one.
 *
 * Interpretations that are ours (also in sim/facade/README.md):
 * - System_Control_Mode (306): 0 = native behaviour; 1, 2 and 3 all mean "system control
 *   enabled" (the public map gives no values). BBU_Mode.System_Control_Enable mirrors mode ≠ 0.
 *   Writing 0 cancels a forced discharge the Modbus path started.
 * - Forced_Discharge_Time (305): writing N > 0 while System_Control_Mode ≠ 0 starts a
 *   discharge at rated power for N s (SimBbu.commandDischarge); with mode 0 the write is
 *   refused with exception 03. Writing 0 cancels. Reads return the seconds left (rounded up)
 *   of whatever forced discharge is running, fast-lane ones included.
 * - Configurable_BBU_Maximum_Discharge_Time (289) is SimBbu.maxDischargeS; 0 = no limit.
 * - Charge_Delay_Time is SimBbu.chargeDelayS, in seconds.
 * - BBU_Clear_Fault bit 0 clears the max-discharge-time latch; the register reads 0.
 * - PSU_AC_OK reads the shelf's AC-OK line (SimZone.isShelfAcOk) as 1/0; writes are
 *   acknowledged and ignored, because the simulated BBU takes AC-OK from the shelf wiring.
 * - Capacities in mAh = energy / nominal pack voltage, nominal = cells × 3.6 V.
 * - Run_Time_To_Empty / Average_Time_To_Empty (min) = stored energy / present pack discharge
 *   power; 65535 while not discharging (SBS). At_Rate = 0, so At_Rate times read 65535.
 * - Battery and cell voltages from the pack voltage, all cells equal. Current is positive
 *   while charging (SBS sign). Temperatures: inlet + 0.01 °C per W of loss. Fans: 2000 rpm
 *   idle to 12000 rpm at rated power (discharge or charge); Fan_Speed_Override % sets it.
 * - Cycle_Count = discharged energy / capacity, whole cycles; BBU_Total_Service_Time in hours
 *   of simulated time. The HPR bus min/max are sampled when the device is accessed.
 */
import type { RegisterDef } from '../../src/regmap/index.js';
import { BbuState } from '../physics/bbu.js';
import type { SimBbu } from '../physics/bbu.js';
import { addressLines, DeviceClock, identity, TableBinding } from './binding-kit.js';
import type { FacadeContext, Placement, Tables } from './binding-kit.js';
import { batteryStatus, bbuMode, bbuStatus } from './bbu-flags.js';
import type { WriteOutcome } from './modbus-device.js';
import { clamp, flagBits, numeric, toRegisterUnit } from './values.js';

export const NOMINAL_CELL_V = 3.6;
export const BBU_FAN_IDLE_RPM = 2000;
export const BBU_FAN_MAX_RPM = 12000;
const TEMP_RISE_C_PER_W = 0.01;
const SBS_NONE = 65535;
/** SBS ManufactureDate of 2026-01-01: (year − 1980)·512 + month·32 + day. */
const SBS_DATE = (2026 - 1980) * 512 + 32 + 1;

export class BbuModbusBinding extends TableBinding {
  private readonly clock: DeviceClock;
  private readonly nominalV: number;
  private forcedUntilMs = 0;
  private fanOverride = 0;
  private busMinV = Infinity;
  private busMaxV = 0;

  constructor(
    private readonly ctx: FacadeContext,
    private readonly bbu: SimBbu,
    private readonly at: Placement,
  ) {
    super();
    this.clock = new DeviceClock(ctx.epochMs);
    this.nominalV = bbu.p.cells * NOMINAL_CELL_V;
  }

  responding(): boolean {
    return true;
  }

  /** Refuses a forced discharge unless system control is on (checked before any write applies). */
  override refusal(def: RegisterDef, value: number): string | undefined {
    if (def.name === 'Forced_Discharge_Time' && value > 0 && this.bbu.systemControlMode === 0) {
      return 'System_Control_Mode is 0 (native): forced discharge refused';
    }
    return undefined;
  }

  protected define(t: Tables): void {
    const b = this.bbu;
    const z = this.ctx.zone;
    const id = identity(this.at.family, 'bbu', b.index, b.ratedW);
    const u = (get: () => number) => (def: RegisterDef) => toRegisterUnit(def, get());
    const ah = (joules: number): number => joules / 3600 / this.nominalV;
    const busMin = (): number => (this.busMinV === Infinity ? 0 : this.busMinV);
    t.s('Manufacture_Name', id.manufacturer)
      .s('Manufacture_Model', id.model)
      .s('Manufacture_Date', id.date)
      .s('Facebook_Part_Number', id.partNumber)
      .s('Build_Revision', 'A0')
      .s('HW_Revision', id.hwRevision)
      .s('FW_Revision', id.fwRevision)
      .s('Workorder', id.workorder)
      .s('MFR_Serial', id.serial)
      .s('Device_Chemistry', 'LION')
      .s('Manufacturer_Name', id.manufacturer)
      .s('Device_Name', id.model)
      .s('Specification_Info', 0x0031)
      .s('Manufacturer_Date', SBS_DATE)
      .s('Serial_Number', b.index + 1)
      .s('Battery_Pack_FW_Revision', 0x0100)
      .s('SOH', 100)
      .s('Max_Error', 1)
      .s('At_Rate_Time_To_Full', SBS_NONE)
      .s('At_Rate_Time_To_Empty', SBS_NONE)
      .s('At_Rate_OK', 1)
      .s('Number_of_BBU_CAN_Bus', 1)
      .s('Number_of_Shelf_CAN_Bus', 1)
      .s('Size_Module_Reg_Map', 314)
      .s('Variable_Modbus_Baud_Rate', this.at.family === 'hpr' ? 4 : 1)
      .s('Number_of_Installed_BBUs', z.spec.bbusPerShelf)
      .r('BBU_Status', (d) => flagBits(d, bbuStatus(b, this.acOk())))
      .r('BBU_Mode', (d) => flagBits(d, bbuMode(b)))
      .r('Battery_Status', (d) => flagBits(d, batteryStatus(b)))
      .r('BBU_Status_Power_Boost', (d) =>
        flagBits(d, { Power_Boost_OCP: b.alarms.packOverCurrent }),
      )
      .r('Battery_Pack_Hardware_Signals', (d) =>
        flagBits(d, { BMS_Charge_Enable: this.acOk(), SYS_PRES: true }),
      )
      .r('BBU_Module_Hardware_Signals', (d) =>
        flagBits(d, addressLines(this.at.slot, this.at.shelf)),
      )
      .r('LED_Status', (d) => flagBits(d, { Power_Good_LED_On: b.state !== BbuState.Inhibit }))
      .r('Relative_State_Of_Charge', () => Math.round(clamp(b.socPct, 0, 100)))
      .r('Absolute_State_Of_Charge', () => Math.round(clamp(b.socPct, 0, 100)))
      .r(
        'Battery_Voltage',
        u(() => b.packV),
      )
      .r(
        'Battery_Current',
        u(() => b.packA),
      )
      .r(
        'Average_Current',
        u(() => b.packA),
      )
      .r(
        'Charging_Current',
        u(() => Math.max(0, b.packA)),
      )
      .r(
        'Variable_Charge_Calculated_Current',
        u(() => Math.max(0, b.packA)),
      )
      .r(
        'Discharge_Current',
        u(() => Math.max(0, -b.packA)),
      )
      .r(
        'Charging_Voltage',
        u(() => b.p.cells * b.p.cellOcvCurveV.at(-1)!),
      )
      .r(
        'Remaining_Capacity',
        u(() => ah(b.energyJ)),
      )
      .r(
        'Full_Charge_Capacity',
        u(() => ah(b.capacityJ)),
      )
      .r(
        'Design_Capacity',
        u(() => ah(b.capacityJ)),
      )
      .r(
        'Design_Voltage',
        u(() => this.nominalV),
      )
      .r(
        'Capacity_Throughput',
        u(() => ah(b.eOutJ)),
      )
      .r(
        'Energy_Throughput',
        u(() => b.eOutJ / 3600),
      )
      .r('Cycle_Count', () => Math.floor(b.eOutJ / b.capacityJ))
      .r('Run_Time_To_Empty', (d) => this.timeToEmpty(d))
      .r('Average_Time_To_Empty', (d) => this.timeToEmpty(d))
      .r(
        'Shelf_Busbar_Voltage',
        u(() => z.busV),
      )
      .r(
        'BBU_Discharger_Output_Voltage_Inside_Oring',
        u(() => (b.discharging ? z.busV : 0)),
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
      .r(
        'Inlet_Ambient_Temperature',
        u(() => b.p.inletTempC),
      )
      .r(
        'Outlet_Ambient_Temperature',
        u(() => this.packTempC()),
      )
      .r(
        'Charge_Buck_Temperature',
        u(() => this.packTempC()),
      )
      .r(
        'Discharge_Buck_Temperature',
        u(() => this.packTempC()),
      )
      .r(
        'Highest_Of_Temp1_To_Temp4',
        u(() => this.packTempC()),
      )
      .r(
        'Fan_Speed',
        u(() => this.fanRpm()),
      )
      .r('Count_of_Discharge_Events', () => b.dischargeEvents)
      .r('BBU_Total_Service_Time', () => z.tMs / 3_600_000)
      .r('Shelf_Location', () => this.at.shelf)
      .r('CANBUS_Address', () => this.at.slot)
      .r('Wall_Clock_Time', () => this.clock.unixS())
      .w('Wall_Clock_Time', (v) => this.applied(() => this.clock.set(numeric(v))))
      .r('Configurable_BBU_Maximum_Discharge_Time', () => b.maxDischargeS)
      .w('Configurable_BBU_Maximum_Discharge_Time', (v) =>
        this.applied(() => (b.maxDischargeS = numeric(v))),
      )
      .r('Charge_Delay_Time', () => b.chargeDelayS)
      .w('Charge_Delay_Time', (v) => this.applied(() => (b.chargeDelayS = numeric(v))))
      .r('Forced_Discharge_Time', () => this.forcedRemainingS())
      .w('Forced_Discharge_Time', (v) => this.applied(() => this.forceDischarge(numeric(v))))
      .r('System_Control_Mode', () => b.systemControlMode)
      .w('System_Control_Mode', (v) => this.applied(() => this.setMode(numeric(v))))
      .r('PSU_AC_OK', () => (this.acOk() ? 1 : 0))
      .w('PSU_AC_OK', () => 'ignored')
      .r('BBU_Clear_Fault', () => 0)
      .w('BBU_Clear_Fault', (v) =>
        this.applied(() => {
          if ((numeric(v) & 1) !== 0) b.alarms.maxTimeReached = false;
        }),
      )
      .r('Fan_Speed_Override', () => this.fanOverride)
      .w('Fan_Speed_Override', (v) => this.applied(() => (this.fanOverride = numeric(v))));
    for (let i = 1; i <= 12; i++) {
      t.r(
        `Cell_Voltage${i}`,
        u(() => (i <= b.p.cells ? b.packV / b.p.cells : 0)),
      );
    }
    for (let i = 1; i <= 4; i++)
      t.r(
        `Temp${i}`,
        u(() => this.packTempC()),
      );
  }

  protected observe(): void {
    this.ctx.scheduler.runDue(this.ctx.zone.tMs);
    const v = this.ctx.zone.busV;
    this.busMaxV = Math.max(this.busMaxV, v);
    this.busMinV = Math.min(this.busMinV, v);
  }

  private applied(fn: () => void): WriteOutcome {
    fn();
    return 'applied';
  }

  private acOk(): boolean {
    return this.ctx.zone.isShelfAcOk(this.at.shelf);
  }

  private forcedActive(): boolean {
    return this.bbu.forcedW > 0 && this.bbu.forcedExpiresMs > this.ctx.zone.tMs;
  }

  private forcedRemainingS(): number {
    if (!this.forcedActive()) return 0;
    return Math.ceil((this.bbu.forcedExpiresMs - this.ctx.zone.tMs) / 1000);
  }

  /** Cancels only a discharge this register started, never a fast-lane lease. */
  private cancelSlowPath(): void {
    if (this.forcedActive() && this.bbu.forcedExpiresMs === this.forcedUntilMs) {
      this.bbu.commandDischarge(this.ctx.zone.tMs, 0, 0);
    }
    this.forcedUntilMs = 0;
  }

  private forceDischarge(seconds: number): void {
    if (seconds === 0) return this.cancelSlowPath();
    const now = this.ctx.zone.tMs;
    this.bbu.commandDischarge(now, this.bbu.ratedW, seconds * 1000);
    this.forcedUntilMs = this.bbu.forcedExpiresMs;
  }

  private setMode(mode: number): void {
    this.bbu.systemControlMode = mode;
    if (mode === 0) this.cancelSlowPath();
  }

  private timeToEmpty(def: RegisterDef): number {
    const b = this.bbu;
    const packW = Math.max(0, b.poutW) / b.p.dischargeEfficiency;
    if (!b.discharging || packW < 1) return SBS_NONE;
    return toRegisterUnit(def, b.energyJ / packW);
  }

  private packTempC(): number {
    return this.bbu.p.inletTempC + TEMP_RISE_C_PER_W * this.bbu.lossW;
  }

  private fanRpm(): number {
    if (this.fanOverride > 0) return (BBU_FAN_MAX_RPM * this.fanOverride) / 100;
    const b = this.bbu;
    const x = clamp(Math.max(b.poutW, b.chargeW) / b.ratedW, 0, 1);
    return BBU_FAN_IDLE_RPM + (BBU_FAN_MAX_RPM - BBU_FAN_IDLE_RPM) * x;
  }
}
