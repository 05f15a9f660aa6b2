import type { PmbusCommandDef } from '../../src/regmap/index.js';
import { PsuState } from '../physics/psu.js';
import type { SimPsu } from '../physics/psu.js';
import { identity } from './binding-kit.js';
import type { FacadeContext } from './binding-kit.js';
import type { PmbusBinding, PmbusEngValue } from './pmbus-device.js';
import { FastLane, flagMask, packFlags } from './pmbus-ext.js';
import { acNotOk, psuFanRpm, psuInputCurrentA, tempAlarms } from './psu-derived.js';

/**
 * A PSU on the fast lane: the standard PMBus commands of registers/pmbus-psu.json and the PSU
 * part of our extension. Interpretations that are ours (also in sim/facade/README.md):
 * - STATUS_VOUT/IOUT/INPUT/TEMPERATURE latch what was true at any transaction until
 *   CLEAR_FAULTS or a write of 1s to them; STATUS_WORD summarises them (MFR = a latched
 *   EXT_STATUS bit, OFF and POWER_GOOD# = output off).
 * - OPERATION 0x80 = on; 0x00/0x40 = off (SimPsu.commandedOff); margin bits are kept, unused.
 * - VOUT_COMMAND reads and writes the active setpoint (51 V or 48 V mode, PSU_Setting bit 9).
 * - IOUT_OC_FAULT_LIMIT reads the pulse current limit until written; writes are kept, unused.
 * - EXT_PSU_RESTART outside RESTART_PENDING is acknowledged, ignored, COMMAND_REJECTED latched.
 */
const LATCHED = ['STATUS_VOUT', 'STATUS_IOUT', 'STATUS_INPUT', 'STATUS_TEMPERATURE'] as const;

export class PsuPmbusBinding implements PmbusBinding {
  private readonly cmds: ReadonlyMap<string, PmbusCommandDef>;
  private readonly ext: FastLane;
  private readonly latched = new Map<string, number>(LATCHED.map((n) => [n, 0]));
  private margin = 0;
  private ocLimitA: number | null = null;

  constructor(
    private readonly ctx: FacadeContext,
    private readonly psu: SimPsu,
    private readonly family: 'orv3' | 'hpr',
    commands: readonly PmbusCommandDef[],
  ) {
    this.cmds = new Map(commands.map((c) => [c.name, c]));
    this.ext = new FastLane(ctx.zone, ctx.scheduler, this.cmds);
  }

  responding(): boolean {
    return this.psu.controllerAlive;
  }

  private bit(cmd: string, flag: string): number {
    return flagMask(this.cmds.get(cmd), flag);
  }

  observe(): void {
    this.ext.observe(this.bit('EXT_STATUS', 'COMMAND_EXPIRED'));
    for (const n of LATCHED) this.latched.set(n, this.latched.get(n)! | this.live(n));
  }

  private live(name: (typeof LATCHED)[number]): number {
    const p = this.psu;
    const a = p.alarms;
    const c = this.cmds.get(name);
    switch (name) {
      case 'STATUS_VOUT':
        return packFlags(c, { VOUT_UV_FAULT: a.mainUvp });
      case 'STATUS_IOUT':
        return packFlags(c, {
          IOUT_OC_FAULT: a.mainOcp,
          IOUT_OC_WARNING: p.pulseActive,
          POWER_LIMITING: p.folded || this.limitActive(),
        });
      case 'STATUS_INPUT':
        return packFlags(c, {
          VIN_UV_FAULT: a.acUvp,
          VIN_OV_FAULT: a.acOvp,
          UNIT_OFF_LOW_VIN: a.acUvp && !p.outputOn,
        });
      case 'STATUS_TEMPERATURE':
        return packFlags(c, { OT_WARNING: Object.values(tempAlarms(p)).some((b) => b) });
    }
  }

  private limitActive(): boolean {
    return this.psu.powerLimitW !== null && this.psu.powerLimitExpiresMs > this.ext.nowMs;
  }

  private restartPending(): boolean {
    return this.psu.state === PsuState.OffAux && !acNotOk(this.psu);
  }

  statusWord(): number {
    const l = (n: string): number => this.latched.get(n) ?? 0;
    return packFlags(this.cmds.get('STATUS_WORD'), {
      OFF: !this.psu.outputOn,
      'POWER_GOOD#': !this.psu.outputOn,
      IOUT_OC: (l('STATUS_IOUT') & this.bit('STATUS_IOUT', 'IOUT_OC_FAULT')) !== 0,
      VIN_UV: (l('STATUS_INPUT') & this.bit('STATUS_INPUT', 'VIN_UV_FAULT')) !== 0,
      TEMPERATURE: l('STATUS_TEMPERATURE') !== 0,
      VOUT: l('STATUS_VOUT') !== 0,
      'IOUT/POUT': l('STATUS_IOUT') !== 0,
      INPUT: l('STATUS_INPUT') !== 0,
      MFR: this.ext.latchedBits() !== 0,
    });
  }

  private idCache: ReturnType<typeof identity> | undefined;

  /** Identity strings, built once (get() runs on every fast-lane read). */
  private get id(): ReturnType<typeof identity> {
    return (this.idCache ??= identity(this.family, 'psu', this.psu.index, this.psu.ratedW));
  }

  get(cmd: PmbusCommandDef): PmbusEngValue | undefined {
    const p = this.psu;
    const id = this.id;
    switch (cmd.name) {
      case 'OPERATION':
        return (p.commandedOff ? 0x00 : 0x80) | this.margin;
      case 'VOUT_COMMAND':
        return p.vsetV;
      case 'IOUT_OC_FAULT_LIMIT':
        return this.ocLimitA ?? p.ratedA * p.p.pulseLimitRatio;
      case 'STATUS_VOUT':
      case 'STATUS_IOUT':
      case 'STATUS_INPUT':
      case 'STATUS_TEMPERATURE':
        return this.latched.get(cmd.name);
      case 'READ_VIN':
        // What the PSU measures (a half-cycle RMS), not the instantaneous envelope.
        return Number.isNaN(p.vinMeasV) ? p.vacV : p.vinMeasV;
      case 'READ_IIN':
        return psuInputCurrentA(p);
      case 'READ_VOUT':
        return p.voutV;
      case 'READ_IOUT':
        return Math.max(0, p.ioutA);
      case 'READ_TEMPERATURE_1':
        return p.tempInletC;
      case 'READ_TEMPERATURE_2':
        return p.tempOutletC;
      case 'READ_FAN_SPEED_1':
        return psuFanRpm(p);
      case 'READ_POUT':
        return Math.max(0, p.poutW);
      case 'READ_PIN':
        return p.pinW;
      case 'MFR_VIN_MIN':
        return p.p.pfcCutoffVac;
      case 'MFR_VIN_MAX':
        return p.p.acOvpVac;
      case 'MFR_POUT_MAX':
        return p.ratedW;
      case 'EXT_READ_BUS_VOLTAGE':
        return this.ctx.zone.busV;
      case 'EXT_STATUS':
        return this.extStatus();
    }
    if (cmd.extension) return this.ext.readBack(cmd);
    return {
      MFR_ID: id.manufacturer,
      MFR_MODEL: id.model,
      MFR_REVISION: id.fwRevision,
      MFR_SERIAL: id.serial,
    }[cmd.name];
  }

  private extStatus(): number {
    const p = this.psu;
    const live = packFlags(this.cmds.get('EXT_STATUS'), {
      CONTROLLER_ON_AUX: p.state === PsuState.OffAux,
      HOLD_ARMED: p.auxHold && p.auxHoldExpiresMs > this.ext.nowMs,
      POUT_LIMIT_ACTIVE: this.limitActive(),
      RESTART_PENDING: this.restartPending(),
    });
    return live | this.ext.latchedBits();
  }

  refusal(cmd: PmbusCommandDef, value: PmbusEngValue): string | undefined {
    const v = Number(value);
    if (cmd.name === 'OPERATION' && ((v & 0xc0) === 0xc0 || (v & 0x03) !== 0)) {
      return `0x${v.toString(16)} is not an on/off code`;
    }
    if (cmd.expiry !== undefined && this.ext.leaseMs(cmd.name) === 0) {
      return `${cmd.expiry} is 0: setpoint disabled`;
    }
    return undefined;
  }

  rejected(cmd: PmbusCommandDef): void {
    if (cmd.extension) this.ext.latch(this.bit('EXT_STATUS', 'COMMAND_REJECTED'));
  }

  set(cmd: PmbusCommandDef, value: PmbusEngValue): boolean {
    const p = this.psu;
    const v = Number(value);
    switch (cmd.name) {
      case 'OPERATION':
        p.commandedOff = (v & 0xc0) !== 0x80;
        this.margin = v & 0x3c;
        return true;
      case 'VOUT_COMMAND':
        if (p.vsel51) p.vsetHighV = v;
        else p.vsetLowV = v;
        return true;
      case 'IOUT_OC_FAULT_LIMIT':
        this.ocLimitA = v;
        return true;
      case 'STATUS_VOUT':
      case 'STATUS_IOUT':
      case 'STATUS_INPUT':
      case 'STATUS_TEMPERATURE':
        this.latched.set(cmd.name, this.latched.get(cmd.name)! & ~v);
        return true;
      case 'EXT_PSU_POUT_LIMIT_W':
        this.ext.remember(cmd.name, v);
        if (v > 0) {
          p.powerLimitW = v;
          p.powerLimitExpiresMs = this.ext.startLease(cmd.name);
        } else this.endPowerLimit();
        return true;
      case 'EXT_PSU_HOLD_CONTROLLER_ON_AUX':
        this.ext.remember(cmd.name, v);
        if (v === 1) {
          p.auxHold = true;
          p.auxHoldExpiresMs = this.ext.startLease(cmd.name);
        } else this.endHold();
        return true;
      case 'EXT_PSU_POUT_LIMIT_EXPIRY_MS':
      case 'EXT_PSU_HOLD_EXPIRY_MS':
        this.ext.setExpiry(cmd.name, v);
        if (v === 0 && cmd.name === 'EXT_PSU_HOLD_EXPIRY_MS') this.endHold();
        else if (v === 0) this.endPowerLimit();
        return true;
    }
    return false;
  }

  private endPowerLimit(): void {
    this.psu.powerLimitW = null;
    this.ext.endLease('EXT_PSU_POUT_LIMIT_W');
  }

  private endHold(): void {
    this.psu.auxHold = false;
    this.ext.endLease('EXT_PSU_HOLD_CONTROLLER_ON_AUX');
  }

  send(cmd: PmbusCommandDef): void {
    if (cmd.name !== 'EXT_PSU_RESTART') return;
    if (this.restartPending()) this.psu.requestRestart();
    else this.ext.latch(this.bit('EXT_STATUS', 'COMMAND_REJECTED'));
  }

  clearFaults(): void {
    for (const n of LATCHED) this.latched.set(n, 0);
    this.ext.clear();
    this.psu.clearFaults();
  }
}
