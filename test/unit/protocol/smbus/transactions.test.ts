import { describe, expect, it } from 'vitest';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import {
  buildProcessCall,
  buildReadBlock,
  buildReadByte,
  buildReadWord,
  buildSendByte,
  buildWriteBlock,
  buildWriteByte,
  buildWriteWord,
  parseBlockRead,
  parseReadByte,
  parseReadWord,
  slaveResponse,
  SMBUS2_BLOCK_MAX,
  wireBytes,
  writePecValid,
} from '../../../../src/protocol/smbus/index.js';

// A PSU at 7-bit address 0x58: A·W = 0xB0, A·R = 0xB1. PEC values below were computed by hand
// with the bitwise CRC and are cross-checked against crc8() in pec.test.ts's reference.
const PSU = 0x58;
const bytes = (u: Uint8Array): number[] => [...u];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isOrv3Error(e) ? e.code : 'not Orv3Error';
  }
  return undefined;
}

describe('SMBus write layouts', () => {
  it('send byte: CLEAR_FAULTS', () => {
    const t = buildSendByte(PSU, 0x03, true);
    expect(bytes(wireBytes(t))).toEqual([
      0xb0, // A·W
      0x03, // CLEAR_FAULTS
      0x46, // PEC over B0 03
    ]);
    expect(t.read).toBeUndefined();
    expect(bytes(buildSendByte(PSU, 0x03, false).write)).toEqual([0x03]);
  });

  it('write byte: PAGE 1', () => {
    expect(bytes(wireBytes(buildWriteByte(PSU, 0x00, 1, true)))).toEqual([
      0xb0, // A·W
      0x00, // PAGE
      0x01, // page 1
      0xed, // PEC over B0 00 01
    ]);
  });

  it('write word: VOUT_COMMAND 50 V in LINEAR16 (exponent −9 → 25600 = 0x6400), low byte first', () => {
    expect(bytes(wireBytes(buildWriteWord(PSU, 0x21, 0x6400, true)))).toEqual([
      0xb0, // A·W
      0x21, // VOUT_COMMAND
      0x00, // data low
      0x64, // data high
      0x8b, // PEC over B0 21 00 64
    ]);
  });

  it('block write: MFR_ID "ACME" with its count byte', () => {
    expect(
      bytes(wireBytes(buildWriteBlock(PSU, 0x99, Uint8Array.of(65, 67, 77, 69), true))),
    ).toEqual([
      0xb0, // A·W
      0x99, // MFR_ID
      0x04, // byte count
      0x41, // 'A'
      0x43, // 'C'
      0x4d, // 'M'
      0x45, // 'E'
      0xbb, // PEC over everything before it
    ]);
  });

  it('refuses blocks over the limit and values that are not bytes/words', () => {
    const big = new Uint8Array(SMBUS2_BLOCK_MAX + 1);
    expect(codeOf(() => buildWriteBlock(PSU, 0x99, big, true, SMBUS2_BLOCK_MAX))).toBe(
      ErrorCode.CodecLength,
    );
    expect(bytes(buildWriteBlock(PSU, 0x99, new Uint8Array(255), false).write).length).toBe(257);
    expect(codeOf(() => buildWriteBlock(PSU, 0x99, new Uint8Array(256), false))).toBe(
      ErrorCode.CodecLength,
    );
    expect(codeOf(() => buildWriteWord(PSU, 0x21, 0x10000, true))).toBe(ErrorCode.CodecRange);
    expect(codeOf(() => buildWriteByte(PSU, 0x100, 0, true))).toBe(ErrorCode.CodecRange);
    expect(codeOf(() => buildReadWord(0x80, 0x88, true))).toBe(ErrorCode.CodecRange);
  });

  it('a slave finds the PEC of a write by a zero CRC residue', () => {
    const w = buildWriteWord(PSU, 0x21, 0x6400, true).write;
    expect(writePecValid(PSU, w)).toBe(true);
    expect(writePecValid(PSU + 1, w)).toBe(false); // PEC covers the address byte too
    expect(writePecValid(PSU, Uint8Array.of(0x21, 0x00, 0x64, 0x8c))).toBe(false);
  });
});

describe('SMBus read layouts (repeated start)', () => {
  it('read word: READ_VIN 277 V in LINEAR11 (0xFA2A)', () => {
    const t = buildReadWord(PSU, 0x88, true);
    expect(bytes(t.write)).toEqual([0x88]);
    expect(t.read).toEqual({ kind: 'bytes', length: 3 });
    const rx = slaveResponse(PSU, t.write, Uint8Array.of(0x2a, 0xfa));
    expect(bytes(wireBytes(t, rx))).toEqual([
      0xb0, // A·W
      0x88, // READ_VIN
      0xb1, // A·R after the repeated start
      0x2a, // data low
      0xfa, // data high: exponent −1, mantissa 554 → 277 V
      0x05, // PEC over B0 88 B1 2A FA
    ]);
    expect(parseReadWord(t, rx, true)).toBe(0xfa2a);
  });

  it('read byte: VOUT_MODE 0x17', () => {
    const t = buildReadByte(PSU, 0x20, true);
    const rx = Uint8Array.of(
      0x17, // linear mode, exponent −9
      0xe4, // PEC over B0 20 B1 17
    );
    expect(parseReadByte(t, rx, true)).toBe(0x17);
    expect(parseReadByte(buildReadByte(PSU, 0x20, false), Uint8Array.of(0x17), false)).toBe(0x17);
  });

  it('block read: count byte, data, PEC over the count too', () => {
    const t = buildReadBlock(PSU, 0x99, true);
    expect(t.read).toEqual({ kind: 'block', maxCount: 255, trailer: 1 });
    const rx = Uint8Array.of(
      0x04, // byte count
      0x41, // 'A'
      0x43, // 'C'
      0x4d, // 'M'
      0x45, // 'E'
      0xbd, // PEC over B0 99 B1 04 41 43 4D 45
    );
    expect(bytes(parseBlockRead(t, rx, true))).toEqual([0x41, 0x43, 0x4d, 0x45]);
    // An empty block: count 0, then the PEC over B0 99 B1 00.
    expect(bytes(parseBlockRead(t, Uint8Array.of(0x00, 0x51), true))).toEqual([]);
  });

  it('block read: a count over the limit or a length that disagrees is a bad response', () => {
    const t = buildReadBlock(PSU, 0x99, true, SMBUS2_BLOCK_MAX);
    const rx33 = slaveResponse(PSU, t.write, Uint8Array.of(33, ...new Uint8Array(33)));
    expect(codeOf(() => parseBlockRead(t, rx33, true, SMBUS2_BLOCK_MAX))).toBe(
      ErrorCode.PmbusBadResponse,
    );
    const short = Uint8Array.of(4, 0x41, 0x43, 0xbd);
    expect(codeOf(() => parseBlockRead(t, short, true))).toBe(ErrorCode.PmbusBadResponse);
    expect(codeOf(() => parseBlockRead(t, new Uint8Array(0), true))).toBe(
      ErrorCode.PmbusBadResponse,
    );
  });

  it('a wrong PEC is never data', () => {
    const t = buildReadWord(PSU, 0x88, true);
    expect(codeOf(() => parseReadWord(t, Uint8Array.of(0x2a, 0xfa, 0x06), true))).toBe(
      ErrorCode.PmbusPec,
    );
    // The same bytes from another address carry another PEC.
    const other = buildReadWord(PSU + 1, 0x88, true);
    expect(codeOf(() => parseReadWord(other, Uint8Array.of(0x2a, 0xfa, 0x05), true))).toBe(
      ErrorCode.PmbusPec,
    );
    expect(codeOf(() => parseReadWord(t, Uint8Array.of(0x2a, 0xfa), true))).toBe(
      ErrorCode.PmbusBadResponse,
    );
  });

  it('process call: the read PEC covers the written word', () => {
    const t = buildProcessCall(PSU, 0xd0, 0x1234, true);
    expect(bytes(t.write)).toEqual([
      0xd0, // command
      0x34, // written word, low
      0x12, // written word, high
    ]);
    const rx = Uint8Array.of(
      0x78, // answer low
      0x56, // answer high
      0x40, // PEC over B0 D0 34 12 B1 78 56
    );
    expect(parseReadWord(t, rx, true)).toBe(0x5678);
  });
});
