import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressByte, crc8, transactionPec } from '../../../../src/protocol/smbus/index.js';

/**
 * Bitwise reference, transcribed from the Linux kernel's i2c-core-smbus.c (crc8() with
 * POLY = 0x1070 << 3, fed `(crc ^ byte) << 8`), to cross-check our table-driven CRC.
 */
function kernelPec(bytes: readonly number[]): number {
  const POLY = 0x1070 << 3;
  let crc = 0;
  for (const b of bytes) {
    let data = ((crc ^ b) << 8) & 0xffff;
    for (let i = 0; i < 8; i++) {
      if (data & 0x8000) data ^= POLY;
      data = (data << 1) & 0xffff;
    }
    crc = data >> 8;
  }
  return crc;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

describe('SMBus PEC (CRC-8, poly 0x07, init 0)', () => {
  it('matches the CRC-8/SMBUS catalogue check values', () => {
    expect(crc8(ascii('123456789'))).toBe(0xf4); // catalogue "check" value of CRC-8/SMBUS
    expect(crc8(ascii('abc'))).toBe(0x5f); // wazo.community SMBus PEC test vector TV(616263, 5F)
    expect(crc8([])).toBe(0x00);
  });

  it('matches a published write word (smbus-pec crate README)', () => {
    const bytes = [
      0xb4, // address 0x5A, W
      0x06, // command
      0xab, // data low
      0xcd, // data high
    ];
    expect(crc8(bytes)).toBe(95); // 0x5F as printed there
    expect(transactionPec(0x5a, [0x06, 0xab, 0xcd])).toBe(0x5f);
  });

  it('matches a published read word with repeated start (smbus-pec crate README)', () => {
    const bytes = [
      0xb4, // address 0x5A, W
      0x06, // command
      0xb5, // address 0x5A, R (after the repeated start)
      0x26, // data low (38)
      0x3a, // data high (58)
    ];
    expect(crc8(bytes)).toBe(102); // 0x66
    expect(transactionPec(0x5a, [0x06], [0x26, 0x3a])).toBe(0x66);
  });

  it('matches a logic-analyser capture of a smart-battery read word (TI SLUA475)', () => {
    // "[S]#16 [A] #0E [A][S] #17 [A] #8C [A] #86 [A] #D8 [N][P]"
    const bytes = [
      0x16, // address 0x0B, W
      0x0e, // command
      0x17, // address 0x0B, R
      0x8c, // data low
      0x86, // data high
    ];
    expect(crc8(bytes)).toBe(0xd8); // the PEC the battery sent
  });

  it('can be fed part by part', () => {
    expect(crc8([0x86], crc8([0x16, 0x0e, 0x17, 0x8c]))).toBe(0xd8);
  });

  it('puts the R/W bit in bit 0 of the address byte', () => {
    expect(addressByte(0x58, false)).toBe(0xb0);
    expect(addressByte(0x58, true)).toBe(0xb1);
    expect(() => addressByte(0x80, false)).toThrow(/7-bit/);
  });

  it('agrees with the kernel bitwise reference on any bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }), (bytes) => {
        expect(crc8(bytes)).toBe(kernelPec(bytes));
      }),
    );
  });

  it('leaves a zero residue over a message followed by its PEC (how a slave checks)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1 }), (bytes) => {
        expect(crc8([...bytes, crc8(bytes)])).toBe(0);
      }),
    );
  });

  it('detects every single-bit error anywhere in a transaction, address bytes included', () => {
    // A·W cmd A·R lo hi of a PSU's READ_VIN: flip each of the 40 bits in turn.
    const wire = [0xb0, 0x88, 0xb1, 0x2a, 0xfa];
    const good = crc8(wire);
    for (let i = 0; i < wire.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = [...wire];
        bad[i] = bad[i]! ^ (1 << bit);
        expect(crc8(bad)).not.toBe(good);
      }
    }
  });
});
