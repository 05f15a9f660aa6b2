import {
  DEFAULT_TURNAROUND_US,
  requestTransactionUs,
  rtuTiming,
} from '../protocol/modbus/index.js';
import { wordReadTimeUs } from '../protocol/smbus/index.js';
import type { ReadPlan } from './register-io.js';

/**
 * Line time of the work the poller schedules, from the protocol timing models (src/protocol):
 * RTU — t3.5 silence + request and response characters at 11 bits + device turnaround per
 * transaction; SMBus — 9 clocks a byte, START/STOP conditions and bus-free time per word read
 * with PEC. Both are floors of what the wire allows; the utilisation cap keeps the rest.
 */

/** Modbus RTU time of one execution of a read plan, µs. */
export function readPlanTimeUs(
  plan: ReadPlan,
  baudRate: number,
  turnaroundUs: number = DEFAULT_TURNAROUND_US,
): number {
  const timing = rtuTiming(baudRate);
  let us = 0;
  for (const tx of plan.transactions) {
    us += requestTransactionUs(
      { fc: 0x03, start: tx.begin, count: tx.length },
      timing,
      turnaroundUs,
    );
  }
  return us;
}

/** SMBus time of `reads` PMBus word reads (with PEC), µs. */
export function wordReadsTimeUs(reads: number, clockHz: number, pec = true): number {
  return reads * wordReadTimeUs(clockHz, pec);
}
