/**
 * The RTU timing model (Modbus over Serial Line v1.02 §2.5.1.1): what the wire allows, used to
 * enforce the silent interval, to derive response timeouts, to charge simulated time on a
 * VirtualClock and to budget poll schedules. All times in microseconds.
 */
import type { ModbusRequest } from './pdu.js';

/**
 * A character is 11 bits on the wire: start + 8 data + parity + stop, or start + 8 data + 2 stop
 * without parity (the spec's rule). 8N1 is really 10 bits: charging 11 keeps the model
 * conservative (≈ 10 % slower than an 8N1 line can go), never optimistic.
 */
export const RTU_BITS_PER_CHAR = 11;

/** Above this rate the spec fixes t1.5 and t3.5 instead of scaling them with the baud rate. */
export const FIXED_TIMING_ABOVE_BAUD = 19200;
export const FIXED_T15_US = 750;
export const FIXED_T35_US = 1750;

/**
 * Device turnaround default: end of request → first byte of response, including the slave's own
 * t3.5 end-of-frame detection and its processing (so never less than t3.5, see
 * effectiveTurnaroundUs). ASSUMPTION (no public figure for ORv3 PSUs/BBUs): 2 ms reproduces
 * DESIGN §4's figures (single-register read 12.6 ms at 19200 baud, ≈ 5.2 ms at 115200).
 * Override per device when measured.
 */
export const DEFAULT_TURNAROUND_US = 2000;

/** Largest RTU ADU: address + 253-byte PDU + CRC. */
export const RTU_MAX_ADU_BYTES = 256;

export interface RtuTiming {
  readonly baudRate: number;
  readonly bitsPerChar: number;
  /** Time of one character on the wire. */
  readonly charUs: number;
  /** Largest silence allowed between two characters of a frame. */
  readonly t15Us: number;
  /** Smallest silence between two frames. */
  readonly t35Us: number;
}

export function rtuTiming(baudRate: number, bitsPerChar = RTU_BITS_PER_CHAR): RtuTiming {
  if (!(baudRate > 0) || !Number.isFinite(baudRate)) {
    throw new RangeError(`baud rate must be a positive number, got ${baudRate}`);
  }
  const charUs = (bitsPerChar * 1e6) / baudRate;
  const fixed = baudRate > FIXED_TIMING_ABOVE_BAUD;
  return Object.freeze({
    baudRate,
    bitsPerChar,
    charUs,
    t15Us: fixed ? FIXED_T15_US : 1.5 * charUs,
    t35Us: fixed ? FIXED_T35_US : 3.5 * charUs,
  });
}

/** Time `bytes` characters occupy the wire. */
export function wireTimeUs(bytes: number, timing: RtuTiming): number {
  return bytes * timing.charUs;
}

/** RTU ADU length of a request: address + PDU + CRC. */
export function requestAduBytes(req: ModbusRequest): number {
  switch (req.fc) {
    case 0x03:
    case 0x04:
    case 0x06:
      return 8;
    case 0x10:
      return 9 + 2 * req.values.length;
  }
}

/** RTU ADU length of the normal (non-exception) response to a request. */
export function responseAduBytes(req: ModbusRequest): number {
  switch (req.fc) {
    case 0x03:
    case 0x04:
      return 5 + 2 * req.count;
    case 0x06:
    case 0x10:
      return 8;
  }
}

/** An exception response ADU: address, function | 0x80, code, CRC. */
export const EXCEPTION_ADU_BYTES = 5;

/**
 * End of request → first response byte. A slave that follows the spec only knows the request has
 * ended after a t3.5 silence, so its turnaround is never shorter than t3.5 (the simulated slaves
 * use the same rule).
 */
export function effectiveTurnaroundUs(
  timing: RtuTiming,
  turnaroundUs = DEFAULT_TURNAROUND_US,
): number {
  return Math.max(timing.t35Us, turnaroundUs);
}

/**
 * One transaction: the t3.5 silence before the request, the request, the device turnaround and
 * the response (0 bytes for a broadcast). The silence is charged to every transaction because a
 * master may not start a request earlier, so it is part of the line's cost per request.
 */
export function transactionTimeUs(
  requestBytes: number,
  responseBytes: number,
  timing: RtuTiming,
  turnaroundUs = DEFAULT_TURNAROUND_US,
): number {
  const answer =
    responseBytes > 0
      ? effectiveTurnaroundUs(timing, turnaroundUs) + wireTimeUs(responseBytes, timing)
      : 0;
  return timing.t35Us + wireTimeUs(requestBytes, timing) + answer;
}

/** transactionTimeUs for a request and its normal response. */
export function requestTransactionUs(
  req: ModbusRequest,
  timing: RtuTiming,
  turnaroundUs = DEFAULT_TURNAROUND_US,
): number {
  return transactionTimeUs(requestAduBytes(req), responseAduBytes(req), timing, turnaroundUs);
}

export interface LineBudget {
  readonly transactions: number;
  /** Characters of requests and responses on the wire. */
  readonly wireUs: number;
  /** Mandatory t3.5 silences, one per transaction. */
  readonly silenceUs: number;
  /** Device turnarounds (the t3.5 floor when asked for the line-rate minimum). */
  readonly turnaroundUs: number;
  readonly totalUs: number;
  /** Register data bytes carried (2 per register read or written). */
  readonly payloadBytes: number;
}

/** Time a sequence of requests takes on one line, split into what it is spent on. */
export function lineBudget(
  requests: readonly ModbusRequest[],
  timing: RtuTiming,
  turnaroundUs = DEFAULT_TURNAROUND_US,
): LineBudget {
  let chars = 0;
  let payloadBytes = 0;
  for (const r of requests) {
    chars += requestAduBytes(r) + responseAduBytes(r);
    payloadBytes += 2 * registersOf(r);
  }
  const wireUs = wireTimeUs(chars, timing);
  const silenceUs = requests.length * timing.t35Us;
  // turnaroundUs 0 means "infinitely fast device": even that one must leave the t3.5 inter-frame
  // silence between request and response (frames are separated by ≥ 3.5 characters, §2.5.1.1).
  const turnUs = requests.length * effectiveTurnaroundUs(timing, turnaroundUs);
  return {
    transactions: requests.length,
    wireUs,
    silenceUs,
    turnaroundUs: turnUs,
    totalUs: wireUs + silenceUs + turnUs,
    payloadBytes,
  };
}

/**
 * The line-rate minimum of a set of requests: characters plus the mandatory silences (t3.5
 * before each request and between request and response), with an infinitely fast device. No
 * schedule on this line can do better.
 */
export function lineRateMinimumUs(requests: readonly ModbusRequest[], timing: RtuTiming): number {
  return lineBudget(requests, timing, 0).totalUs;
}

function registersOf(r: ModbusRequest): number {
  switch (r.fc) {
    case 0x03:
    case 0x04:
      return r.count;
    case 0x06:
      return 1;
    case 0x10:
      return r.values.length;
  }
}
