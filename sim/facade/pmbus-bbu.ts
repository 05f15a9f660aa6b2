import type { PmbusCommandDef } from '../../src/regmap/index.js';
import { BbuState } from '../physics/bbu.js';
import type { SimBbu } from '../physics/bbu.js';
import { identity } from './binding-kit.js';
import type { FacadeContext } from './binding-kit.js';
import type { PmbusBinding, PmbusEngValue } from './pmbus-device.js';
import { FastLane, flagMask, packFlags } from './pmbus-ext.js';

/**
 * A BBU on the fast lane: our extension's BBU commands, the standard commands the extension
 * requires, and MFR identity — nothing else (registers/pmbus-fastlane-ext.json). Ours:
 * - EXT_BBU_DISCHARGE_W > 0 calls SimBbu.commandDischarge(now, min(W, rated × overload ratio), lease); 0 or an
 *   EXPIRY_MS of 0 cancels. Native backup takes precedence: when the physics drops the command
 *   for its native trigger the lease ends without COMMAND_EXPIRED (NATIVE_TRIGGER_LATCHED says
 *   why).
 * - EXT_BBU_CHARGE_LIMIT_W sets SimBbu.chargeLimitW for the lease (0 pauses charging).
 * - STATUS_WORD: OFF while not discharging, MFR while an EXT_STATUS bit is latched.
 */
export class BbuPmbusBinding implements PmbusBinding {
  private readonly cmds: ReadonlyMap<string, PmbusCommandDef>;
  private readonly ext: FastLane;
  private seenNativeTriggers: number;

  constructor(
    private readonly ctx: FacadeContext,
    private readonly bbu: SimBbu,
    private readonly family: 'orv3' | 'hpr',
    commands: readonly PmbusCommandDef[],
  ) {
    this.cmds = new Map(commands.map((c) => [c.name, c]));
    this.ext = new FastLane(ctx.zone, ctx.scheduler, this.cmds);
    this.seenNativeTriggers = bbu.nativeTriggers;
  }

  responding(): boolean {
    return true;
  }

  private bit(flag: string): number {
    return flagMask(this.cmds.get('EXT_STATUS'), flag);
  }

  observe(): void {
    const b = this.bbu;
    if (b.nativeTriggers !== this.seenNativeTriggers) {
      this.seenNativeTriggers = b.nativeTriggers;
      this.ext.latch(this.bit('NATIVE_TRIGGER_LATCHED'));
      if (b.forcedW === 0) this.ext.endLease('EXT_BBU_DISCHARGE_W');
    }
    this.ext.observe(this.bit('COMMAND_EXPIRED'));
  }

  statusWord(): number {
    return packFlags(this.cmds.get('STATUS_WORD'), {
      OFF: !this.bbu.discharging,
      MFR: this.ext.latchedBits() !== 0,
    });
  }

  private idCache: ReturnType<typeof identity> | undefined;

  /** Identity strings, built once (get() runs on every fast-lane read). */
  private get id(): ReturnType<typeof identity> {
    return (this.idCache ??= identity(this.family, 'bbu', this.bbu.index, this.bbu.ratedW));
  }

  get(cmd: PmbusCommandDef): PmbusEngValue | undefined {
    const b = this.bbu;
    const id = this.id;
    switch (cmd.name) {
      case 'EXT_READ_BUS_VOLTAGE':
        return this.ctx.zone.busV;
      case 'EXT_READ_BBU_SOC':
        return b.socPct;
      case 'EXT_READ_BBU_POUT':
        return b.poutW > 0 ? b.poutW : -b.chargeW;
      case 'EXT_STATUS':
        return this.extStatus();
      case 'MFR_ID':
        return id.manufacturer;
      case 'MFR_MODEL':
        return id.model;
      case 'MFR_REVISION':
        return id.fwRevision;
      case 'MFR_SERIAL':
        return id.serial;
    }
    return cmd.extension ? this.ext.readBack(cmd) : undefined;
  }

  private extStatus(): number {
    const b = this.bbu;
    const now = this.ext.nowMs;
    const live = packFlags(this.cmds.get('EXT_STATUS'), {
      BBU_DISCHARGE_ACTIVE: this.ext.leaseActive('EXT_BBU_DISCHARGE_W') && b.forcedW > 0,
      CHARGE_LIMIT_ACTIVE: b.chargeLimitW !== null && b.chargeLimitExpiresMs > now,
      NATIVE_DISCHARGE_ACTIVE: b.state === BbuState.Backup || b.state === BbuState.Starting,
    });
    return live | this.ext.latchedBits();
  }

  refusal(cmd: PmbusCommandDef): string | undefined {
    if (cmd.expiry !== undefined && this.ext.leaseMs(cmd.name) === 0) {
      return `${cmd.expiry} is 0: setpoint disabled`;
    }
    return undefined;
  }

  rejected(cmd: PmbusCommandDef): void {
    if (cmd.extension) this.ext.latch(this.bit('COMMAND_REJECTED'));
  }

  set(cmd: PmbusCommandDef, value: PmbusEngValue): boolean {
    const b = this.bbu;
    const v = Number(value);
    switch (cmd.name) {
      case 'EXT_BBU_DISCHARGE_W':
        this.ext.remember(cmd.name, v);
        if (v > 0) {
          const leaseMs = this.ext.leaseMs(cmd.name);
          b.commandDischarge(
            this.ext.nowMs,
            Math.min(v, b.ratedW * b.p.dischargeLimitRatio),
            leaseMs,
          );
          this.ext.startLease(cmd.name);
        } else this.endDischarge();
        return true;
      case 'EXT_BBU_CHARGE_LIMIT_W':
        this.ext.remember(cmd.name, v);
        b.chargeLimitW = v;
        b.chargeLimitExpiresMs = this.ext.startLease(cmd.name);
        return true;
      case 'EXT_BBU_DISCHARGE_EXPIRY_MS':
        this.ext.setExpiry(cmd.name, v);
        if (v === 0) this.endDischarge();
        return true;
      case 'EXT_BBU_CHARGE_LIMIT_EXPIRY_MS':
        this.ext.setExpiry(cmd.name, v);
        if (v === 0) {
          b.chargeLimitW = null;
          this.ext.endLease('EXT_BBU_CHARGE_LIMIT_W');
        }
        return true;
    }
    return false;
  }

  private endDischarge(): void {
    if (this.ext.leaseActive('EXT_BBU_DISCHARGE_W'))
      this.bbu.commandDischarge(this.ext.nowMs, 0, 0);
    this.ext.endLease('EXT_BBU_DISCHARGE_W');
  }

  send(): void {
    // The BBU's only send-byte command is CLEAR_FAULTS, which the façade routes to clearFaults().
  }

  clearFaults(): void {
    this.ext.clear();
    this.bbu.alarms.maxTimeReached = false;
  }
}
