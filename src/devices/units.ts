import { ErrorCode, Orv3Error } from '../errors.js';
import type { RegisterDef } from '../regmap/index.js';

/**
 * Map units → the units of driver snapshots. Electrical values in V/A/W, times in s, charge in
 * Ah, temperatures in °C (what every consumer above displays and compares; K would only add an
 * offset to each of them). The map's unit decides, so the ORv3 BBU's 10 mA counts and the HPR
 * map's mA (scale 10 already applied by the codec) both come out in A without a family switch.
 */
const LINEAR: Readonly<Record<string, number>> = {
  V: 1,
  mV: 1e-3,
  A: 1,
  mA: 1e-3,
  '10mA': 1e-2,
  W: 1,
  Wh: 1,
  degC: 1,
  Hz: 1,
  '%': 1,
  s: 1,
  ms: 1e-3,
  min: 60,
  rpm: 1,
  mAh: 1e-3,
  cycles: 1,
};

/** The snapshot unit a map unit converts to (for docs and error messages). */
export const SNAPSHOT_UNIT: Readonly<Record<string, string>> = {
  V: 'V',
  mV: 'V',
  A: 'A',
  mA: 'A',
  '10mA': 'A',
  W: 'W',
  Wh: 'Wh',
  degC: 'degC',
  '0.1K': 'degC',
  Hz: 'Hz',
  '%': '%',
  s: 's',
  ms: 's',
  min: 's',
  rpm: 'rpm',
  mAh: 'Ah',
  cycles: 'cycles',
};

/** A decoded register value in snapshot units; registers without a unit pass through. */
export function toSnapshotUnit(def: RegisterDef, value: number): number {
  const unit = def.unit;
  if (unit === undefined) return value;
  if (unit === '0.1K') return value / 10 - 273.15;
  const k = LINEAR[unit];
  if (k === undefined) {
    throw new Orv3Error(ErrorCode.RegisterMapInvalid, `register "${def.name}": unit "${unit}"`, {
      register: def.name,
      unit,
    });
  }
  return value * k;
}
