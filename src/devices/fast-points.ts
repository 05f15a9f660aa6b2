import type { DeviceKind } from '../regmap/index.js';

/**
 * The fast-lane quantities a driver can read, and the PMBus command behind each. All are word
 * reads, which is what the poller's line-time accounting assumes.
 */
export const PSU_FAST_POINTS = {
  acInputV: 'READ_VIN',
  acInputA: 'READ_IIN',
  outputV: 'READ_VOUT',
  outputA: 'READ_IOUT',
  inputW: 'READ_PIN',
  outputW: 'READ_POUT',
  busV: 'EXT_READ_BUS_VOLTAGE',
} as const;

export const BBU_FAST_POINTS = {
  busV: 'EXT_READ_BUS_VOLTAGE',
  socPct: 'EXT_READ_BBU_SOC',
  outputW: 'EXT_READ_BBU_POUT',
} as const;

export type PsuFastPoint = keyof typeof PSU_FAST_POINTS;
export type BbuFastPoint = keyof typeof BBU_FAST_POINTS;
export type FastPointName = PsuFastPoint | BbuFastPoint;

/** The PMBus command of a quantity on a device kind, or undefined when that kind has none. */
export function fastPointCommand(kind: DeviceKind, point: FastPointName): string | undefined {
  const table: Readonly<Record<string, string>> =
    kind === 'psu' ? PSU_FAST_POINTS : BBU_FAST_POINTS;
  return table[point];
}
