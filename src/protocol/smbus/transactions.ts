import { ErrorCode, Orv3Error } from '../../errors.js';
import { addressByte, crc8, transactionPec } from './pec.js';

/**
 * Byte layouts of the SMBus transactions PMBus uses (SMBus 3.x §6.5), as pure data. A transfer
 * is what the master puts on the wire after the first address byte (command, data, PEC) plus what
 * it clocks in after a repeated start. Word data is little-endian on the wire (low byte first).
 *
 *   send byte     S A·W  cmd [PEC] P
 *   write byte    S A·W  cmd d [PEC] P
 *   write word    S A·W  cmd lo hi [PEC] P
 *   block write   S A·W  cmd n d₁…dₙ [PEC] P
 *   read byte     S A·W  cmd Sr A·R  d [PEC] P
 *   read word     S A·W  cmd Sr A·R  lo hi [PEC] P
 *   block read    S A·W  cmd Sr A·R  n d₁…dₙ [PEC] P
 *   process call  S A·W  cmd lo hi Sr A·R  lo hi [PEC] P
 */

/** SMBus 2.0 limits a block to 32 bytes; SMBus 3.0 and PMBus 1.3 allow 255. */
export const SMBUS2_BLOCK_MAX = 32;
export const PMBUS_BLOCK_MAX = 255;

/** What the master reads after the repeated start. */
export type SmbusRead =
  /** A fixed number of bytes (data, then PEC if the master wants it). */
  | { readonly kind: 'bytes'; readonly length: number }
  /** A count byte n ≤ maxCount, then n data bytes, then `trailer` more (1 = PEC). */
  | { readonly kind: 'block'; readonly maxCount: number; readonly trailer: number };

/** One combined transaction as the master drives it. */
export interface SmbusTransfer {
  /** 7-bit slave address. */
  readonly address: number;
  /** Bytes after the address byte with W: command, data and (for writes) PEC. */
  readonly write: Uint8Array;
  /** Present for reads: what follows the repeated start and the address byte with R. */
  readonly read?: SmbusRead;
}

function rangeError(what: string, value: number, context: Record<string, unknown> = {}): Orv3Error {
  return new Orv3Error(ErrorCode.CodecRange, `SMBus ${what}: ${value} is out of range`, {
    value,
    ...context,
  });
}

/** Range checks shared with the reusable frames (frames.ts); not part of the index. */
export function checkByte(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw rangeError(what, v);
}

export function checkWord(v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw rangeError('word', v);
}

/** Appends the PEC of the write phase when asked (address byte with W included). */
function writeTransfer(address: number, bytes: number[], pec: boolean): SmbusTransfer {
  addressByte(address, false);
  if (pec) bytes.push(transactionPec(address, bytes));
  return { address, write: Uint8Array.from(bytes) };
}

export function buildSendByte(address: number, command: number, pec: boolean): SmbusTransfer {
  checkByte('command', command);
  return writeTransfer(address, [command], pec);
}

export function buildWriteByte(
  address: number,
  command: number,
  value: number,
  pec: boolean,
): SmbusTransfer {
  checkByte('command', command);
  checkByte('data byte', value);
  return writeTransfer(address, [command, value], pec);
}

export function buildWriteWord(
  address: number,
  command: number,
  value: number,
  pec: boolean,
): SmbusTransfer {
  checkByte('command', command);
  checkWord(value);
  return writeTransfer(address, [command, value & 0xff, value >> 8], pec);
}

export function buildWriteBlock(
  address: number,
  command: number,
  data: Uint8Array,
  pec: boolean,
  blockMax = PMBUS_BLOCK_MAX,
): SmbusTransfer {
  checkByte('command', command);
  if (data.length > blockMax) {
    throw new Orv3Error(
      ErrorCode.CodecLength,
      `SMBus block of ${data.length} bytes > ${blockMax}`,
      {
        length: data.length,
        blockMax,
      },
    );
  }
  return writeTransfer(address, [command, data.length, ...data], pec);
}

function readTransfer(address: number, write: number[], read: SmbusRead): SmbusTransfer {
  addressByte(address, false);
  return { address, write: Uint8Array.from(write), read };
}

export function buildReadByte(address: number, command: number, pec: boolean): SmbusTransfer {
  checkByte('command', command);
  return readTransfer(address, [command], { kind: 'bytes', length: pec ? 2 : 1 });
}

export function buildReadWord(address: number, command: number, pec: boolean): SmbusTransfer {
  checkByte('command', command);
  return readTransfer(address, [command], { kind: 'bytes', length: pec ? 3 : 2 });
}

export function buildReadBlock(
  address: number,
  command: number,
  pec: boolean,
  blockMax = PMBUS_BLOCK_MAX,
): SmbusTransfer {
  checkByte('command', command);
  return readTransfer(address, [command], {
    kind: 'block',
    maxCount: blockMax,
    trailer: pec ? 1 : 0,
  });
}

/** Process call (SMBus §6.5.6): write a word, read a word back in the same transaction. */
export function buildProcessCall(
  address: number,
  command: number,
  value: number,
  pec: boolean,
): SmbusTransfer {
  checkByte('command', command);
  checkWord(value);
  return readTransfer(address, [command, value & 0xff, value >> 8], {
    kind: 'bytes',
    length: pec ? 3 : 2,
  });
}

function badResponse(t: SmbusTransfer, message: string, context: Record<string, unknown> = {}) {
  return new Orv3Error(
    ErrorCode.PmbusBadResponse,
    `SMBus 0x${t.address.toString(16)}: ${message}`,
    {
      address: t.address,
      command: t.write[0],
      ...context,
    },
  );
}

/**
 * Checks the PEC byte ending `rx` against the whole transaction: A·W, the written bytes, A·R and
 * the received bytes before it. A mismatch is never data: it throws PmbusPec.
 */
export function checkReadPec(t: SmbusTransfer, rx: Uint8Array): void {
  if (rx.length < 1) throw badResponse(t, 'no PEC byte received');
  const expected = transactionPec(t.address, t.write, rx, rx.length - 1);
  const received = rx[rx.length - 1]!;
  if (expected !== received) {
    throw new Orv3Error(
      ErrorCode.PmbusPec,
      `SMBus 0x${t.address.toString(16)}: PEC 0x${received.toString(16)} ≠ 0x${expected.toString(16)}`,
      { address: t.address, command: t.write[0], expected, received },
    );
  }
}

/** Checks a fixed-length response of n data bytes (+ PEC); the data are then rx[0…n-1]. */
function checkFixed(t: SmbusTransfer, rx: Uint8Array, n: number, pec: boolean): void {
  if (rx.length !== n + (pec ? 1 : 0)) {
    throw badResponse(t, `expected ${n + (pec ? 1 : 0)} bytes, got ${rx.length}`);
  }
  if (pec) checkReadPec(t, rx);
}

/** Data byte of a read byte response `rx` (the bytes after A·R). */
export function parseReadByte(t: SmbusTransfer, rx: Uint8Array, pec: boolean): number {
  checkFixed(t, rx, 1, pec);
  return rx[0]!;
}

/** Data word of a read word (or process call) response, low byte first on the wire. */
export function parseReadWord(t: SmbusTransfer, rx: Uint8Array, pec: boolean): number {
  checkFixed(t, rx, 2, pec);
  return rx[0]! | (rx[1]! << 8);
}

/** Data bytes of a block read response `[n, d₁…dₙ, PEC?]`; the count must be ≤ blockMax. */
export function parseBlockRead(
  t: SmbusTransfer,
  rx: Uint8Array,
  pec: boolean,
  blockMax = PMBUS_BLOCK_MAX,
): Uint8Array {
  const count = rx[0];
  if (count === undefined) throw badResponse(t, 'no block count byte received');
  if (count > blockMax) throw badResponse(t, `block count ${count} > ${blockMax}`, { count });
  const want = 1 + count + (pec ? 1 : 0);
  if (rx.length !== want) {
    throw badResponse(t, `block of ${count} needs ${want} bytes, got ${rx.length}`, { count });
  }
  if (pec) checkReadPec(t, rx);
  return rx.slice(1, 1 + count);
}

// The device's side: what a slave checks and sends (the simulated twin and sim servers).

/**
 * Whether the last byte of a write phase is its PEC. Appending a CRC with no final XOR makes the
 * CRC of the whole message 0, so the slave just runs the CRC over everything it received.
 */
export function writePecValid(address: number, write: Uint8Array): boolean {
  return write.length >= 2 && crc8(write, crc8([addressByte(address, false)])) === 0;
}

/** What a slave sends after A·R: its data followed by the PEC of the whole transaction. */
export function slaveResponse(address: number, written: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 1);
  out.set(data);
  out[data.length] = transactionPec(address, written, data);
  return out;
}

/** The whole transaction as on the wire, address bytes included (for traces and tests). */
export function wireBytes(t: SmbusTransfer, rx?: Uint8Array): Uint8Array {
  const head = [addressByte(t.address, false), ...t.write];
  if (t.read === undefined || rx === undefined) return Uint8Array.from(head);
  return Uint8Array.from([...head, addressByte(t.address, true), ...rx]);
}
