import { ErrorCode, Orv3Error } from '../../errors.js';

/**
 * SMBus Packet Error Code (SMBus 3.x §6.4): CRC-8, polynomial x⁸ + x² + x + 1 (0x07), initial
 * value 0, no reflection, no final XOR — the "CRC-8/SMBUS" of the CRC catalogues. It covers every
 * byte of the transaction as it appears on the wire, address bytes (with their R/W bit) included.
 */

/** Byte-wise lookup table: TABLE[crc ^ byte] is the next CRC, because the initial value is 0. */
const TABLE: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    t[i] = c;
  }
  return t;
})();

/** CRC-8 over `bytes`, continuing from `crc` (so a transaction can be fed part by part). */
export function crc8(bytes: ArrayLike<number>, crc = 0): number {
  let c = crc & 0xff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]!;
  return c;
}

/** The wire byte that addresses a 7-bit device: address in bits 7:1, R/W̄ in bit 0 (1 = read). */
export function addressByte(address7: number, read: boolean): number {
  if (!Number.isInteger(address7) || address7 < 0 || address7 > 0x7f) {
    throw new Orv3Error(ErrorCode.CodecRange, `SMBus address ${address7} is not a 7-bit address`, {
      address: address7,
    });
  }
  return (address7 << 1) | (read ? 1 : 0);
}

/**
 * PEC of a whole transaction: the write phase (address byte with W, then `written`: command and
 * data) and, for reads, the address byte with R after the repeated start followed by the first
 * `readLength` bytes of `read` (the data the slave sent before its PEC byte, count byte included
 * for block reads; all of `read` by default). Allocates nothing: the control loop checks a PEC
 * on every read of every tick.
 */
export function transactionPec(
  address7: number,
  written: ArrayLike<number>,
  read?: ArrayLike<number>,
  readLength = read === undefined ? 0 : read.length,
): number {
  let c = TABLE[addressByte(address7, false)]!;
  c = crc8(written, c);
  if (read !== undefined) {
    c = TABLE[c ^ addressByte(address7, true)]!;
    for (let i = 0; i < readLength; i++) c = TABLE[(c ^ read[i]!) & 0xff]!;
  }
  return c;
}
