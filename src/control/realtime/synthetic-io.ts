import {
  buildReadWord,
  buildWriteWord,
  parseReadWord,
  slaveResponse,
  writePecValid,
} from '../../protocol/smbus/index.js';
import { decodeLinear11, encodeLinear11 } from '../../regmap/index.js';

/**
 * SYNTHETIC I/O STAND-IN — no bus is touched. It stands for the fast lane's PMBus traffic of one
 * tick so the real-time bench pays the CPU cost of real framing: every read word is built with
 * PEC, "answered" by the slave-side code of src/protocol/smbus from a synthetic signal, and parsed
 * back with its PEC checked; every write word is built with PEC and checked the way a slave
 * would. It does not pay wire time (≈ 0.14 ms per word at 400 kHz, DESIGN §4): on a rack
 * controller that time is spent blocked in the i2c-dev ioctl, not computing.
 *
 * The signal is deterministic in time: bus voltage 50 V ± 0.2 V at 5 Hz, each PSU 4 kW ± 1.5 kW
 * at 2 Hz (a training-step swing), BBUs idle.
 */

/** Our PMBus codes (registers/pmbus-psu.json and pmbus-fastlane-ext.json). */
const READ_POUT = 0x96;
const EXT_READ_BUS_VOLTAGE = 0xd7;
const EXT_READ_BBU_POUT = 0xdd;
const EXT_BBU_DISCHARGE_W = 0xd1;

const PSU_BASE_ADDR = 0x58;
const BBU_BASE_ADDR = 0x48;

export interface FastSample {
  /** When the first read of this sample started (the oldest datum in it), worker clock, ms. */
  atMs: number;
  busV: number;
  readonly psuW: Float64Array;
  readonly bbuW: Float64Array;
  /** Sum of PSU and BBU output: the load the bus feeds. */
  loadW: number;
}

export function newFastSample(psus: number, bbus: number): FastSample {
  return { atMs: 0, busV: 0, psuW: new Float64Array(psus), bbuW: new Float64Array(bbus), loadW: 0 };
}

/** What the fake slave answers for `command` at `address` at time tMs, as a LINEAR11 word. */
function syntheticWord(command: number, address: number, tMs: number): number {
  const t = tMs / 1000;
  switch (command) {
    case EXT_READ_BUS_VOLTAGE:
      return encodeLinear11(50 + 0.2 * Math.sin(2 * Math.PI * 5 * t));
    case READ_POUT:
      return encodeLinear11(4000 + 1500 * Math.sin(2 * Math.PI * 2 * t + address));
    default:
      return 0;
  }
}

/** One read word transaction with PEC through the stand-in slave; returns the decoded value. */
function readWord(address: number, command: number, tMs: number): number {
  const t = buildReadWord(address, command, true);
  const word = syntheticWord(command, address, tMs);
  const rx = slaveResponse(address, t.write, Uint8Array.of(word & 0xff, word >> 8));
  return decodeLinear11(parseReadWord(t, rx, true));
}

/** 1 + psus + bbus read words: bus voltage, each PSU's READ_POUT, each BBU's output power. */
export function readFastSample(s: FastSample, nowMs: number): void {
  s.atMs = nowMs;
  s.busV = readWord(PSU_BASE_ADDR, EXT_READ_BUS_VOLTAGE, nowMs);
  let load = 0;
  for (let i = 0; i < s.psuW.length; i++) {
    s.psuW[i] = readWord(PSU_BASE_ADDR + i, READ_POUT, nowMs);
    load += s.psuW[i]!;
  }
  for (let i = 0; i < s.bbuW.length; i++) {
    s.bbuW[i] = readWord(BBU_BASE_ADDR + i, EXT_READ_BBU_POUT, nowMs);
    load += s.bbuW[i]!;
  }
  s.loadW = load;
}

/** One write word with PEC carrying the BBU discharge setpoint; false if the PEC check failed. */
export function writeDischargeCommand(watts: number, bbu = 0): boolean {
  const w = Math.max(0, Math.min(watts, 60_000));
  const t = buildWriteWord(BBU_BASE_ADDR + bbu, EXT_BBU_DISCHARGE_W, encodeLinear11(w), true);
  return writePecValid(t.address, t.write);
}
