/**
 * Which PSU registers sit behind the write-enable bit of PSU_Setting_Register, and how to say
 * so. The maps state the rule ("bit 0 must be set for the PSU to accept other writes"); the time
 * sync register and the LED override are exempt (time sync must always work — docs/DEVICES.md,
 * sim/facade/psu-binding.ts). A locked PSU acknowledges a gated write and ignores it, so without
 * this explanation a field write would look like it worked.
 */
import type { ModbusRegisterMap, RegisterDef } from '../../regmap/index.js';

const SETTING = 'PSU_Setting_Register';
const UNGATED = new Set([SETTING, 'LED_Override']);

export function isGated(map: ModbusRegisterMap, def: RegisterDef): boolean {
  if (map.kind !== 'psu' || !def.writable || UNGATED.has(def.name)) return false;
  return map.timeSync?.register !== def.begin;
}

/** The PSU driver's setOutputVoltage range for a Vout setpoint register, else undefined. */
export function setpointRange(def: RegisterDef): { range?: 'high' | 'low' } | undefined {
  if (def.name === 'Vout_Setpoint') return {};
  if (def.name === 'Vout_Setpoint_H') return { range: 'high' };
  if (def.name === 'Vout_Setpoint_L') return { range: 'low' };
  return undefined;
}

export function explainWriteEnable(def: RegisterDef): string {
  const how =
    setpointRange(def) === undefined
      ? `by hand: write ${SETTING} with bit 0 (PSU_Write_Enable) set, keeping its other bits, ` +
        `then "${def.name}", then ${SETTING} with bit 0 clear to lock`
      : `--with-write-enable does it through the PSU driver: read ${SETTING}, write it with ` +
        `bit 0 (PSU_Write_Enable) set, write "${def.name}", write ${SETTING} with bit 0 clear (lock)`;
  return (
    `"${def.name}" is gated by ${SETTING} bit 0: a locked PSU acknowledges the write and ` +
    `ignores it. To unlock, ${how}.`
  );
}

/** After a write of the setting register itself: say whether it left the PSU unlocked. */
export function settingNote(def: RegisterDef, raw: number): string | undefined {
  if (def.name !== SETTING) return undefined;
  return (raw & 1) !== 0
    ? `bit 0 set: the PSU's gated settings stay unlocked until ${SETTING} is written with bit 0 clear`
    : `bit 0 clear: the PSU ignored the other bits of this write (it locks instead)`;
}
