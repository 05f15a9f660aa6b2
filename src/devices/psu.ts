import type { ModbusClient } from '../bus/modbus/client.js';
import type { Clock } from '../clock/index.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import type {
  FlagsValue,
  ModbusRegisterMap,
  PmbusCommandDef,
  RegisterDef,
} from '../regmap/index.js';
import { ModbusDriver, SampleView } from './driver-base.js';
import type { PsuFastPoint } from './fast-points.js';
import {
  buildPsuTelemetry,
  PSU_ALARMS,
  PSU_COUNTERS,
  PSU_IDENTITY,
  PSU_INPUT,
  PSU_OUTPUT,
  PSU_THERMAL,
  psuSettingNames,
} from './psu-telemetry.js';
import type { PsuTelemetry } from './psu-telemetry.js';
import { checkNumericWrite, planReads, writeWords } from './register-io.js';
import type { ReadPlan } from './register-io.js';
import type { DeviceIdentity, DriverOptions, Stamped } from './types.js';

/** PSU_Setting_Register bits (both families; bit 9 ORv3 only). */
const BIT_WRITE_ENABLE = 0;
const BIT_SELECT_51V = 9;
const BIT_CLEAR_FAULTS = 14;
const BIT_POWER_CYCLE = 15;
/** The device turns its output off for 5 s; a second cycle inside that window is refused. */
export const POWER_CYCLE_GUARD_MS = 10_000;

/**
 * PMBus MFR_ID data as a name: NUL and space padding trimmed at both ends, then printable ASCII
 * or nothing — an unprogrammed EEPROM (0xFF, NULs) or bytes in some other encoding give null,
 * never a mangled string. Longer than the command allows is not a name either.
 */
export function mfrIdText(data: Uint8Array, maxLength = Infinity): string | null {
  if (data.length > maxLength) return null;
  const pad = (b: number | undefined): boolean => b === 0x00 || b === 0x20;
  let lo = 0;
  let hi = data.length;
  while (lo < hi && pad(data[lo])) lo++;
  while (hi > lo && pad(data[hi - 1])) hi--;
  const text = data.subarray(lo, hi);
  if (text.length === 0 || text.some((b) => b < 0x20 || b > 0x7e)) return null;
  return String.fromCharCode(...text);
}

export interface PsuFastSample extends Stamped {
  readonly acInputV: number;
  readonly outputA: number;
  readonly outputV: number;
  readonly inputW: number;
}

/**
 * One PSU: Modbus telemetry and commands from its register map (ORv3 or HPR), plus the fast
 * lane over PMBus when a link is given. Setting changes use the write-enable sequence of
 * PSU_Setting_Register: the change with bit 0 set, then a write with bit 0 clear that locks.
 */
export class Psu extends ModbusDriver {
  readonly kind = 'psu' as const;
  readonly telemetryPlan: ReadPlan;
  private readonly setting: RegisterDef;
  private lastPowerCycleMs = -Infinity;
  private readonly onIdentityError: ((error: unknown) => void) | undefined;
  /** MFR_ID once the device answered it (null: no usable name); undefined until then. */
  private mfrId: string | null | undefined;
  private withMfrId: DeviceIdentity | undefined;
  private mfrIdFailed = 0;

  constructor(
    modbus: ModbusClient,
    unit: number,
    map: ModbusRegisterMap,
    clock: Clock,
    options: DriverOptions = {},
  ) {
    super('psu', modbus, unit, map, clock, options, PSU_IDENTITY);
    this.telemetryPlan = planReads(map, [
      ...PSU_INPUT,
      ...PSU_OUTPUT,
      ...PSU_THERMAL,
      ...PSU_COUNTERS,
      ...PSU_ALARMS,
      ...psuSettingNames(map),
    ]);
    this.setting = this.reg('PSU_Setting_Register');
    for (const bit of [BIT_WRITE_ENABLE, BIT_CLEAR_FAULTS, BIT_POWER_CYCLE]) this.bitName(bit);
    this.onIdentityError = options.onIdentityError;
  }

  /**
   * The Modbus identity, with the manufacturer from PMBus MFR_ID when the fast lane is configured
   * (the ORv3 and HPR PSU maps have no register for it). MFR_ID is read once, after the Modbus
   * identity; a failed read is counted, reported to `onIdentityError` and tried again at the next
   * call, and the identity is returned without it: PMBus never fails the Modbus identity.
   */
  override async identity(): Promise<DeviceIdentity> {
    const id = await super.identity();
    if (this.endpoint === undefined || id.manufacturer !== null) return id;
    if (this.mfrId === undefined) this.mfrId = await this.readMfrId();
    if (typeof this.mfrId !== 'string') return id;
    this.withMfrId ??= Object.freeze({ ...id, manufacturer: this.mfrId });
    return this.withMfrId;
  }

  /** Failed PMBus MFR_ID reads so far (NACK, PEC error, bad block, I/O fault). */
  get mfrIdFailures(): number {
    return this.mfrIdFailed;
  }

  /** One sweep of the telemetry plan at telemetry priority (identity read the first time). */
  async readTelemetry(): Promise<PsuTelemetry> {
    const identity = await this.identity();
    const samples = await this.read(this.telemetryPlan, 'telemetry');
    return buildPsuTelemetry(new SampleView(this.map, samples), this.map, this.unit, identity);
  }

  /** Whether the map has the 51 V / 48 V range select (ORv3 bit 9). */
  get hasRangeSelect(): boolean {
    return this.setting.flags.some((f) => f.bit === BIT_SELECT_51V);
  }

  /**
   * Sets the output voltage setpoint (V). HPR: `Vout_Setpoint`. ORv3: `Vout_Setpoint_H` (51 V
   * range) or `_L` (48 V range) — the one of the selected range unless `range` says which.
   */
  async setOutputVoltage(volts: number, opts: { range?: 'high' | 'low' } = {}): Promise<void> {
    const single = this.map.byName.get('Vout_Setpoint');
    const high = single ?? this.reg('Vout_Setpoint_H');
    const low = single ?? this.reg('Vout_Setpoint_L');
    const candidates = opts.range === 'high' ? [high] : opts.range === 'low' ? [low] : [high, low];
    for (const def of candidates) checkNumericWrite(def, volts);
    await this.withWriteEnable({}, async (current) => {
      const selected51 = (current & (1 << BIT_SELECT_51V)) !== 0;
      const target = opts.range === undefined ? (selected51 ? high : low) : candidates[0]!;
      await this.writeRegister(target, volts);
    });
  }

  /** Selects the 51 V or 48 V output range (ORv3 bit 9). */
  async selectOutputVoltage(volts: 51 | 48): Promise<void> {
    if (volts !== 51 && volts !== 48) {
      throw new Orv3Error(
        ErrorCode.CommandOutOfBounds,
        `output range ${String(volts)} V is not 48 or 51`,
        {
          register: this.setting.name,
          value: volts,
        },
      );
    }
    if (!this.hasRangeSelect) {
      throw new Orv3Error(
        ErrorCode.UnsupportedCommand,
        `${this.map.family}: no 51 V/48 V select bit; use setOutputVoltage()`,
        { unit: this.unit },
      );
    }
    await this.withWriteEnable({ [BIT_SELECT_51V]: volts === 51 });
  }

  /**
   * Locate: blue LED on (or back to automatic) through LED_Override (bit 0 takes the LEDs over,
   * bit 5 the blue LED). No write-enable: LED_Override is not a gated setting.
   */
  async locate(on: boolean): Promise<void> {
    await this.writeRegister(this.reg('LED_Override'), on ? (1 << 0) | (1 << 5) : 0);
  }

  /** Clears latched faults (bit 14). */
  async clearFaults(): Promise<void> {
    await this.withWriteEnable({ [BIT_CLEAR_FAULTS]: true });
  }

  /**
   * Turns the output off for 5 s and on again (bit 15). Guarded: the caller must confirm, and a
   * second cycle within POWER_CYCLE_GUARD_MS of the last is refused — a PSU that is still off
   * is not load-bearing, and cycling it again only extends the outage.
   */
  async powerCycle(guard: { readonly confirm: true }): Promise<void> {
    if (guard?.confirm !== true) {
      throw new Orv3Error(ErrorCode.CommandOutOfBounds, `power cycle needs { confirm: true }`, {
        register: this.setting.name,
        unit: this.unit,
      });
    }
    const since = this.clock.nowMs() - this.lastPowerCycleMs;
    if (since < POWER_CYCLE_GUARD_MS) {
      throw new Orv3Error(
        ErrorCode.CommandOutOfBounds,
        `unit ${this.unit}: power cycle ${since} ms after the last one (guard ${POWER_CYCLE_GUARD_MS} ms)`,
        {
          register: this.setting.name,
          unit: this.unit,
          sinceMs: since,
          guardMs: POWER_CYCLE_GUARD_MS,
        },
      );
    }
    this.lastPowerCycleMs = this.clock.nowMs();
    await this.withWriteEnable({ [BIT_POWER_CYCLE]: true });
  }

  // ---- fast lane (PMBus) ----

  /** One fast-lane quantity in engineering units. */
  readPoint(point: PsuFastPoint): Promise<number> {
    return this.readFastPoint(point);
  }

  /** READ_VIN, READ_IOUT, READ_VOUT (LINEAR16, VOUT_MODE read once), READ_PIN. */
  async readFast(): Promise<PsuFastSample> {
    const acInputV = await this.readPoint('acInputV');
    const outputA = await this.readPoint('outputA');
    const outputV = await this.readPoint('outputV');
    const inputW = await this.readPoint('inputW');
    return Object.freeze({ sampledAtMs: this.clock.nowMs(), acInputV, outputA, outputV, inputW });
  }

  /** Output-power limit (W, 0 = none) for a lease of `expiryMs` (extension 0xD3/0xD4). */
  setPowerLimit(watts: number, expiryMs: number): Promise<void> {
    return this.fast().writeLeased('EXT_PSU_POUT_LIMIT_W', watts, expiryMs);
  }

  /** Keeps the controller powered from the bus aux path on AC loss, for a lease (0xD5/0xDB). */
  holdControllerOnAux(on: boolean, expiryMs: number): Promise<void> {
    return this.fast().writeLeased('EXT_PSU_HOLD_CONTROLLER_ON_AUX', on ? 1 : 0, expiryMs);
  }

  /** Starts a held PSU's PFC now that AC is back (0xD6; only valid in RESTART_PENDING). */
  restart(): Promise<void> {
    return this.fast().send('EXT_PSU_RESTART');
  }

  /** EXT_STATUS (0xDA) named bits. */
  async readExtStatus(): Promise<Readonly<Record<string, boolean>>> {
    return (await this.fast().readFlags('EXT_STATUS')).bits;
  }

  /** PMBus CLEAR_FAULTS (also clears the extension's latched EXT_STATUS bits). */
  clearFaultsFast(): Promise<void> {
    return this.fast().send('CLEAR_FAULTS');
  }

  /** MFR_ID through the PMBus client (block read, PEC checked); undefined when it failed. */
  private async readMfrId(): Promise<string | null | undefined> {
    const ep = this.fast();
    let c: PmbusCommandDef;
    try {
      c = ep.command('MFR_ID');
    } catch {
      return null; // command sets without MFR_ID (UnsupportedCommand): nothing to ask or retry
    }
    try {
      const data = await ep.client.readBlock(ep.address, c.code, { priority: 'telemetry' });
      return mfrIdText(data, c.maxLength);
    } catch (e) {
      this.mfrIdFailed++;
      try {
        this.onIdentityError?.(e);
      } catch {
        /* a logging hook must not fail the identity */
      }
      return undefined;
    }
  }

  // ---- write-enable sequence ----

  private bitName(bit: number): string {
    const f = this.setting.flags.find((x) => x.bit === bit);
    if (f === undefined) {
      throw new Orv3Error(
        ErrorCode.RegisterMapInvalid,
        `${this.map.file}: PSU_Setting_Register has no bit ${bit}`,
        { bit },
      );
    }
    return f.name;
  }

  /**
   * Read-modify-write of PSU_Setting_Register: the present bits (so bit 9 is kept unless
   * changed), command bits 14/15 only when asked, bit 0 set; then `inside` (writes the unlock
   * gates); then the same bits with 0, 14 and 15 clear, which locks without repeating a command
   * on a device that would act on the lock write's other bits. The lock is sent even when
   * `inside` fails, so a failed setpoint write never leaves the PSU unlocked.
   */
  private async withWriteEnable(
    bits: Readonly<Record<number, boolean>>,
    inside?: (current: number) => Promise<void>,
  ): Promise<void> {
    const def = this.setting;
    const defined = def.flags.reduce((m, f) => m | (1 << f.bit), 0);
    const commands = (1 << BIT_CLEAR_FAULTS) | (1 << BIT_POWER_CYCLE);
    const read = (await this.readNow(def)) as FlagsValue;
    let value = Number(read.raw) & defined & ~commands;
    for (const [bit, on] of Object.entries(bits)) {
      value = on ? value | (1 << Number(bit)) : value & ~(1 << Number(bit));
    }
    await writeWords(this.modbus, this.unit, def, [value | (1 << BIT_WRITE_ENABLE)]);
    try {
      await inside?.(value);
    } finally {
      await writeWords(this.modbus, this.unit, def, [value & ~commands & ~(1 << BIT_WRITE_ENABLE)]);
    }
  }
}
