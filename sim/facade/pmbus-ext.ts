import type { PmbusCommandDef } from '../../src/regmap/index.js';
import type { SimZone } from '../physics/zone.js';
import type { Scheduler } from './binding-kit.js';
import type { PmbusEngValue } from './pmbus-device.js';

/**
 * Bookkeeping of our fast-lane extension (registers/pmbus-fastlane-ext.json) that the physics
 * does not hold: the lease durations (EXPIRY_MS commands), the last written setpoints, which
 * leases run, and the latched EXT_STATUS bits. The physics itself reverts each setpoint at its
 * expiry; this object only reports it (COMMAND_EXPIRED).
 */
export class FastLane {
  private readonly expiryMs = new Map<string, number>();
  private readonly written = new Map<string, number>();
  private readonly leases = new Map<string, number>();
  private latched = 0;

  constructor(
    private readonly zone: SimZone,
    private readonly scheduler: Scheduler,
    private readonly commands: ReadonlyMap<string, PmbusCommandDef>,
  ) {
    for (const c of commands.values()) {
      if (c.name.endsWith('_EXPIRY_MS')) this.expiryMs.set(c.name, c.default ?? 0);
    }
  }

  get nowMs(): number {
    return this.zone.tMs;
  }

  /** Lease duration of a setpoint command (its `expiry` names the EXPIRY_MS command). */
  leaseMs(setpoint: string): number {
    const name = this.commands.get(setpoint)?.expiry;
    return name === undefined ? 0 : (this.expiryMs.get(name) ?? 0);
  }

  /** Value to read back for an extension command, or undefined when it is not a held one. */
  readBack(cmd: PmbusCommandDef): PmbusEngValue | undefined {
    return this.expiryMs.get(cmd.name) ?? this.written.get(cmd.name);
  }

  setExpiry(name: string, ms: number): void {
    this.expiryMs.set(name, ms);
  }

  /** The setpoint command whose lease an EXPIRY_MS command holds. */
  setpointOf(expiryName: string): string | undefined {
    for (const c of this.commands.values()) if (c.expiry === expiryName) return c.name;
    return undefined;
  }

  remember(name: string, value: number): void {
    this.written.set(name, value);
  }

  startLease(name: string): number {
    const until = this.nowMs + this.leaseMs(name);
    this.leases.set(name, until);
    return until;
  }

  endLease(name: string): void {
    this.leases.delete(name);
  }

  leaseActive(name: string): boolean {
    return (this.leases.get(name) ?? -Infinity) > this.nowMs;
  }

  latch(bit: number): void {
    this.latched |= bit;
  }

  latchedBits(): number {
    return this.latched;
  }

  clear(): void {
    this.latched = 0;
  }

  /** Lapsed leases latch COMMAND_EXPIRED; due scheduler actions run. */
  observe(expiredBit: number): void {
    this.scheduler.runDue(this.nowMs);
    for (const [name, until] of this.leases) {
      if (until <= this.nowMs) {
        this.leases.delete(name);
        this.latch(expiredBit);
      }
    }
  }
}

/** Bit of a named flag of a FLAGS command (0 when absent). */
const masks = new WeakMap<PmbusCommandDef, Map<string, number>>();

export function flagMask(cmd: PmbusCommandDef | undefined, name: string): number {
  if (cmd === undefined) return 0;
  // Command tables are frozen: index their flags once (this runs on every status read).
  let m = masks.get(cmd);
  if (m === undefined) {
    m = new Map(cmd.flags.map((f) => [f.name, 1 << f.bit]));
    masks.set(cmd, m);
  }
  return m.get(name) ?? 0;
}

/** Packs named bits of a FLAGS command. */
export function packFlags(cmd: PmbusCommandDef | undefined, bits: Record<string, boolean>): number {
  let raw = 0;
  for (const name in bits) if (bits[name]) raw |= flagMask(cmd, name);
  return raw;
}
