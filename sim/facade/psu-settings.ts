import type { RegisterDef } from '../../src/regmap/index.js';
import type { SimPsu } from '../physics/psu.js';
import type { FacadeContext } from './binding-kit.js';
import type { WriteOutcome } from './modbus-device.js';
import { bitOf, flagBits } from './values.js';

/**
 * The configuration side of a PSU's Modbus map: PSU_Setting_Register with its write-enable
 * sequence, and the settings that sequence unlocks. The rules are ours; psu-binding.ts states
 * them in its header and sim/facade/README.md.
 */

/** Registers that need the write-enable unlock. */
export const GATED_SETTINGS = [
  'Vout_Setpoint_H',
  'Vout_Setpoint_L',
  'Vout_Setpoint',
  'Vout_Change_Timer',
  'Fan_Duty_Cycle_Override',
  'Communication_Baud_Rate',
  'Configurable_PLS_Timing',
] as const;

export const POWER_CYCLE_MS = 5000;

/** Setting bits that are commands or live state, never held as written. */
const NOT_HELD = [
  'PSU_Write_Enable',
  'Output_Voltage_Setting_51V_48V',
  'Clear_Faults_Latch',
  'Power_Cycle_5s',
  'Power_Cycle',
];

export class PsuSettings {
  private writeEnabled = false;
  private heldBits: number | null = null;
  private readonly values = new Map<string, number>();

  constructor(
    private readonly ctx: FacadeContext,
    private readonly psu: SimPsu,
    family: 'orv3' | 'hpr',
  ) {
    // Baud-rate codes of the map's description: 1 = 19200 (ORv3), 4 = 115200 (HPR).
    this.values.set('Communication_Baud_Rate', family === 'hpr' ? 4 : 1);
  }

  /** The unlock dies with the controller, as any volatile state does. */
  observe(): void {
    if (!this.psu.controllerAlive) this.writeEnabled = false;
  }

  value(name: string): number {
    return this.values.get(name) ?? 0;
  }

  readSetting(def: RegisterDef): number {
    this.heldBits ??= flagBits(def, { Active_Current_Sharing_Enable: true });
    let raw = this.heldBits;
    const sel = bitOf(def, 'Output_Voltage_Setting_51V_48V');
    if (sel !== undefined && this.psu.vsel51) raw |= 1 << sel;
    if (this.writeEnabled) raw |= 1;
    return raw;
  }

  writeSetting(def: RegisterDef, raw: number): WriteOutcome {
    const has = (name: string): boolean => {
      const b = bitOf(def, name);
      return b !== undefined && (raw & (1 << b)) !== 0;
    };
    if (!has('PSU_Write_Enable')) {
      this.writeEnabled = false;
      return 'ignored';
    }
    this.writeEnabled = true;
    let keep = raw;
    for (const name of NOT_HELD) {
      const b = bitOf(def, name);
      if (b !== undefined) keep &= ~(1 << b);
    }
    this.heldBits = keep;
    if (bitOf(def, 'Output_Voltage_Setting_51V_48V') !== undefined) {
      this.psu.vsel51 = has('Output_Voltage_Setting_51V_48V');
    }
    if (has('Clear_Faults_Latch')) this.psu.clearFaults();
    if (has('Power_Cycle_5s') || has('Power_Cycle')) {
      this.psu.commandedOff = true;
      const key = `psu${this.psu.index}-power-cycle`;
      this.ctx.scheduler.at(this.ctx.zone.tMs + POWER_CYCLE_MS, key, () => {
        this.psu.commandedOff = false;
      });
    }
    return 'applied';
  }

  writeGated(def: RegisterDef, value: number): WriteOutcome {
    if (!this.writeEnabled) return 'ignored';
    if (!def.name.startsWith('Vout_Setpoint')) {
      this.values.set(def.name, value);
      return 'applied';
    }
    const p = this.psu;
    const apply = (): void => {
      if (def.name === 'Vout_Setpoint_H') p.vsetHighV = value;
      else if (def.name === 'Vout_Setpoint_L') p.vsetLowV = value;
      else if (p.vsel51) p.vsetHighV = value;
      else p.vsetLowV = value;
    };
    const delayS = this.value('Vout_Change_Timer');
    if (delayS > 0) {
      const key = `psu${p.index}-${def.name}`;
      this.ctx.scheduler.at(this.ctx.zone.tMs + delayS * 1000, key, apply);
    } else apply();
    return 'applied';
  }
}
