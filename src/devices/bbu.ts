import type { ModbusClient } from '../bus/modbus/client.js';
import type { Clock } from '../clock/index.js';
import type { ModbusRegisterMap } from '../regmap/index.js';
import {
  BBU_ALARMS,
  BBU_BUS,
  BBU_CHARGE,
  BBU_CONTROL,
  BBU_COUNTERS,
  BBU_IDENTITY,
  BBU_PACK,
  BBU_STATUS,
  BBU_THERMAL,
  buildBbuTelemetry,
} from './bbu-telemetry.js';
import type { BbuTelemetry } from './bbu-telemetry.js';
import { ModbusDriver, SampleView } from './driver-base.js';
import type { BbuFastPoint } from './fast-points.js';
import { checkNumericWrite, planReads } from './register-io.js';
import type { ReadPlan } from './register-io.js';
import type { DriverOptions, Stamped } from './types.js';

export interface BbuOptions extends DriverOptions {
  /**
   * The longest forced discharge (s) this gateway may command, tighter than the map's
   * Forced_Discharge_Time bound; each call may tighten it further.
   */
  readonly maxForcedDischargeS?: number;
}

export interface BbuFastSample extends Stamped {
  readonly busV: number;
  readonly socPct: number;
}

/**
 * One BBU: Modbus telemetry and the slow control path (System_Control_Mode, Forced_Discharge_Time,
 * maximum discharge time, clear faults) from its register map, plus the fast lane's leased
 * discharge and charge setpoints over PMBus when a link is given.
 */
export class Bbu extends ModbusDriver {
  readonly kind = 'bbu' as const;
  readonly telemetryPlan: ReadPlan;
  private readonly maxForcedS: number | undefined;

  constructor(
    modbus: ModbusClient,
    unit: number,
    map: ModbusRegisterMap,
    clock: Clock,
    options: BbuOptions = {},
  ) {
    super('bbu', modbus, unit, map, clock, options, BBU_IDENTITY);
    this.maxForcedS = options.maxForcedDischargeS;
    this.telemetryPlan = planReads(map, [
      ...BBU_CHARGE,
      ...BBU_PACK,
      ...BBU_BUS,
      ...BBU_THERMAL,
      ...BBU_STATUS,
      ...BBU_ALARMS,
      ...BBU_COUNTERS,
      ...BBU_CONTROL,
    ]);
  }

  /** One sweep of the telemetry plan at telemetry priority (identity read the first time). */
  async readTelemetry(): Promise<BbuTelemetry> {
    const identity = await this.identity();
    const samples = await this.read(this.telemetryPlan, 'telemetry');
    return buildBbuTelemetry(new SampleView(this.map, samples), this.map, this.unit, identity);
  }

  /**
   * Forced discharge at rated power for `seconds` (0 cancels). The device only accepts it with
   * System_Control_Mode ≠ 0, so a mode of 0 is first set to `opts.mode` (default 1), in its own
   * request: the device checks the mode before it applies anything of a request. `seconds` is
   * bounded by the map, the driver's `maxForcedDischargeS` and `opts.limitS`; nothing is sent
   * when any of them refuses it.
   */
  async forceDischarge(
    seconds: number,
    opts: { limitS?: number; mode?: number } = {},
  ): Promise<void> {
    const time = this.reg('Forced_Discharge_Time');
    const modeDef = this.reg('System_Control_Mode');
    const limits = [this.maxForcedS, opts.limitS].filter((x): x is number => x !== undefined);
    const limit = limits.length === 0 ? undefined : Math.min(...limits);
    checkNumericWrite(time, seconds, limit);
    const mode = opts.mode ?? 1;
    if (seconds > 0) checkNumericWrite(modeDef, mode);
    if (seconds > 0 && mode !== 0 && Number(await this.readNow(modeDef)) === 0) {
      await this.writeRegister(modeDef, mode);
    }
    await this.writeRegister(time, seconds, limit);
  }

  /** System_Control_Mode: 0 = native (also cancels a Modbus forced discharge), 1–3 = system. */
  setSystemControlMode(mode: number): Promise<void> {
    return this.writeRegister(this.reg('System_Control_Mode'), mode);
  }

  /** Configurable_BBU_Maximum_Discharge_Time (s, 0 = no limit). */
  setMaxDischargeTime(seconds: number): Promise<void> {
    return this.writeRegister(this.reg('Configurable_BBU_Maximum_Discharge_Time'), seconds);
  }

  /** BBU_Clear_Fault bit 0: clears faults and the max-discharge-time latch. */
  clearFaults(): Promise<void> {
    return this.writeRegister(this.reg('BBU_Clear_Fault'), 1);
  }

  // ---- fast lane (PMBus) ----

  readPoint(point: BbuFastPoint): Promise<number> {
    return this.readFastPoint(point);
  }

  /** EXT_READ_BUS_VOLTAGE (LINEAR16) and EXT_READ_BBU_SOC (DIRECT, 0.01 %). */
  async readFast(): Promise<BbuFastSample> {
    const busV = await this.readPoint('busV');
    const socPct = await this.readPoint('socPct');
    return Object.freeze({ sampledAtMs: this.clock.nowMs(), busV, socPct });
  }

  /** Discharge setpoint (W, 0 = none) for a lease of `expiryMs` (extension 0xD1/0xD2). */
  setDischargeSetpoint(watts: number, expiryMs: number): Promise<void> {
    return this.fast().writeLeased('EXT_BBU_DISCHARGE_W', watts, expiryMs);
  }

  /** Ends a running discharge lease at once (EXPIRY_MS 0, as the extension defines). */
  async endDischargeLease(): Promise<void> {
    await this.fast().write('EXT_BBU_DISCHARGE_EXPIRY_MS', 0);
  }

  /** Charge limit (W, 0 = pause charging) for a lease of `expiryMs` (0xD9/0xDC). */
  setChargeLimit(watts: number, expiryMs: number): Promise<void> {
    return this.fast().writeLeased('EXT_BBU_CHARGE_LIMIT_W', watts, expiryMs);
  }

  async readExtStatus(): Promise<Readonly<Record<string, boolean>>> {
    return (await this.fast().readFlags('EXT_STATUS')).bits;
  }

  clearFaultsFast(): Promise<void> {
    return this.fast().send('CLEAR_FAULTS');
  }
}
