import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendCrc, crc16Modbus, hasValidCrc } from '../../../../src/protocol/modbus/index.js';

/** Bitwise reference straight from the spec's flowchart, to check the table against. */
function crcBitwise(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

describe('CRC-16/MODBUS', () => {
  it('read 10 holding registers from unit 1 → CRC bytes C5 CD', () => {
    const framed = appendCrc(
      Uint8Array.of(
        0x01, // unit 1
        0x03, // read holding registers
        0x00, // start address hi
        0x00, // start address lo → 0
        0x00, // quantity hi
        0x0a, // quantity lo → 10
      ),
    );
    expect(crc16Modbus(framed, 0, 6)).toBe(0xcdc5);
    expect([...framed.slice(6)]).toEqual([
      0xc5, // CRC low byte first
      0xcd, // CRC high byte
    ]);
  });

  it('Modbus over Serial Line spec example: 11 03 00 6B 00 03 → 76 87', () => {
    const framed = appendCrc(
      Uint8Array.of(
        0x11, // unit 17
        0x03, // read holding registers
        0x00, // start hi
        0x6b, // start lo → 107
        0x00, // quantity hi
        0x03, // quantity lo → 3
      ),
    );
    expect([...framed.slice(6)]).toEqual([
      0x76, // CRC lo
      0x87, // CRC hi
    ]);
  });

  it('catalogue check value: CRC-16/MODBUS("123456789") = 0x4B37', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('matches the bitwise algorithm on random data, and detects any single-bit flip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 260 }), fc.nat(), (data, flip) => {
        expect(crc16Modbus(data)).toBe(crcBitwise(data));
        const framed = appendCrc(data);
        expect(hasValidCrc(framed)).toBe(true);
        const bit = flip % (framed.length * 8);
        framed[bit >> 3]! ^= 1 << (bit & 7);
        expect(hasValidCrc(framed)).toBe(false);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('a subrange is checked without copying', () => {
    const buf = Uint8Array.of(0xff, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xff);
    expect(crc16Modbus(buf, 1, 7)).toBe(0xcdc5);
    expect(hasValidCrc(Uint8Array.of(0x01, 0x02))).toBe(false);
  });
});
