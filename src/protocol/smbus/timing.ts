import { ErrorCode, Orv3Error } from '../../errors.js';
import type { SmbusTransfer } from './transactions.js';

/**
 * How long an SMBus transaction holds the bus, so that the simulated twin charges honest time
 * (DESIGN §4). Every byte costs 9 SCL periods (8 data bits + ACK/NACK); START, repeated START and
 * STOP add their setup/hold times; after the STOP the bus must stay free for t_BUF before the next
 * START, and that gap is charged to the transaction that caused it. Clock stretching by a slow
 * device is a parameter (0 by default: the simulated devices answer at once).
 *
 * Figures are the minimum times of SMBus 3.x Table 1 / I²C UM10204 Table 10 for each speed
 * class; real masters run a little slower (SCL rise time, driver gaps), so the model is a floor.
 */
export interface SmbusTiming {
  /** SCL frequency, Hz. */
  readonly clockHz: number;
  /** Hold time after (repeated) START before the first clock, µs (t_HD;STA). */
  readonly tHdStaUs: number;
  /** Setup time before a repeated START, µs (t_SU;STA). */
  readonly tSuStaUs: number;
  /** Setup time before STOP, µs (t_SU;STO). */
  readonly tSuStoUs: number;
  /** Bus free time between a STOP and the next START, µs (t_BUF). */
  readonly tBufUs: number;
  /** Clock stretching added per transaction by the device, µs. */
  readonly stretchUs: number;
}

/** The three SMBus 3.x speed classes. */
export const SMBUS_SPEED_CLASSES: readonly SmbusTiming[] = Object.freeze([
  { clockHz: 100_000, tHdStaUs: 4.0, tSuStaUs: 4.7, tSuStoUs: 4.0, tBufUs: 4.7, stretchUs: 0 },
  { clockHz: 400_000, tHdStaUs: 0.6, tSuStaUs: 0.6, tSuStoUs: 0.6, tBufUs: 1.3, stretchUs: 0 },
  { clockHz: 1_000_000, tHdStaUs: 0.26, tSuStaUs: 0.26, tSuStoUs: 0.26, tBufUs: 0.5, stretchUs: 0 },
]);

/**
 * Timing for a clock rate: the START/STOP figures of the speed class it falls in (a 250 kHz bus
 * is a fast-mode bus run slow and keeps fast-mode setup times), overridden field by field.
 */
export function smbusTiming(clockHz: number, overrides: Partial<SmbusTiming> = {}): SmbusTiming {
  const cls = SMBUS_SPEED_CLASSES.find((c) => clockHz <= c.clockHz);
  if (!(clockHz > 0) || cls === undefined) {
    throw new Orv3Error(ErrorCode.ConfigInvalid, `SMBus clock ${clockHz} Hz is not in (0, 1 MHz]`, {
      clockHz,
    });
  }
  return Object.freeze({ ...cls, ...overrides, clockHz });
}

/** Bytes a transaction puts on the wire, address bytes included. */
export interface WireShape {
  /** Address byte with W plus the bytes that follow it before any repeated start. */
  readonly writeBytes: number;
  /** Address byte with R plus the bytes read; 0 when there is no read phase. */
  readonly readBytes: number;
}

/** The shape of a transfer that completed, with `readLength` bytes clocked in after A·R. */
export function shapeOf(t: SmbusTransfer, readLength = 0): WireShape {
  return {
    writeBytes: 1 + t.write.length,
    readBytes: t.read === undefined ? 0 : 1 + readLength,
  };
}

export interface TimeBreakdown {
  readonly bytes: number;
  readonly clocks: number;
  /** SCL periods, µs. */
  readonly clockUs: number;
  /** START, repeated START and STOP setup/hold, µs. */
  readonly conditionsUs: number;
  readonly busFreeUs: number;
  readonly stretchUs: number;
  readonly totalUs: number;
}

export function transactionBreakdown(shape: WireShape, timing: SmbusTiming): TimeBreakdown {
  const bytes = shape.writeBytes + shape.readBytes;
  const clocks = 9 * bytes;
  const clockUs = (clocks * 1e6) / timing.clockHz;
  const repeated = shape.readBytes > 0 ? timing.tSuStaUs + timing.tHdStaUs : 0;
  const conditionsUs = timing.tHdStaUs + repeated + timing.tSuStoUs;
  const totalUs = clockUs + conditionsUs + timing.tBufUs + timing.stretchUs;
  return {
    bytes,
    clocks,
    clockUs,
    conditionsUs,
    busFreeUs: timing.tBufUs,
    stretchUs: timing.stretchUs,
    totalUs,
  };
}

/** Bus time of one transaction including the bus-free gap after it, µs. */
export function transactionTimeUs(shape: WireShape, timing: SmbusTiming): number {
  return transactionBreakdown(shape, timing).totalUs;
}

/** A PMBus word read (A·W cmd Sr A·R lo hi [PEC]), the fast lane's unit of work, µs. */
export function wordReadTimeUs(clockHz: number, pec = true): number {
  return transactionTimeUs({ writeBytes: 2, readBytes: pec ? 4 : 3 }, smbusTiming(clockHz));
}
