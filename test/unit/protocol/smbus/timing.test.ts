import { describe, expect, it } from 'vitest';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import {
  buildReadBlock,
  buildWriteWord,
  shapeOf,
  smbusTiming,
  transactionBreakdown,
  transactionTimeUs,
  wordReadTimeUs,
} from '../../../../src/protocol/smbus/index.js';

describe('SMBus timing model', () => {
  it('a PEC word read is 6 bytes = 54 SCL clocks plus START, Sr, STOP and t_BUF', () => {
    const b = transactionBreakdown({ writeBytes: 2, readBytes: 4 }, smbusTiming(400_000));
    expect(b.bytes).toBe(6);
    expect(b.clocks).toBe(54);
    expect(b.clockUs).toBeCloseTo(135, 9); // 54 × 2.5 µs
    expect(b.conditionsUs).toBeCloseTo(0.6 + 1.2 + 0.6, 9); // START + Sr (setup + hold) + STOP
    expect(b.busFreeUs).toBe(1.3);
    expect(b.totalUs).toBeCloseTo(138.7, 9);
  });

  it('matches DESIGN §4: ≈ 0.14 ms at 400 kHz, ≈ 0.06 ms at 1 MHz', () => {
    expect(wordReadTimeUs(400_000)).toBeCloseTo(138.7, 9);
    expect(wordReadTimeUs(1_000_000)).toBeCloseTo(55.54, 9);
    expect(wordReadTimeUs(100_000)).toBeCloseTo(540 + 4.0 + 8.7 + 4.0 + 4.7, 9);
    expect(Math.round(wordReadTimeUs(400_000) / 10) / 100).toBe(0.14);
    expect(Math.round(wordReadTimeUs(1_000_000) / 10) / 100).toBe(0.06);
    // Without PEC a word read is one byte (9 clocks) shorter.
    expect(wordReadTimeUs(400_000) - wordReadTimeUs(400_000, false)).toBeCloseTo(22.5, 9);
  });

  it('a write has no repeated start; a block read costs its count and data', () => {
    const timing = smbusTiming(1_000_000);
    const w = shapeOf(buildWriteWord(0x58, 0x21, 0x6400, true));
    expect(w).toEqual({ writeBytes: 5, readBytes: 0 });
    expect(transactionTimeUs(w, timing)).toBeCloseTo(45 + 0.26 + 0.26 + 0.5, 9);
    const r = shapeOf(buildReadBlock(0x58, 0x99, true), 1 + 14 + 1);
    expect(r).toEqual({ writeBytes: 2, readBytes: 17 });
    expect(transactionTimeUs(r, timing)).toBeCloseTo(9 * 19 + 0.26 * 3 + 0.26 + 0.5, 9);
  });

  it('an address NACK costs one byte', () => {
    const t = transactionTimeUs({ writeBytes: 1, readBytes: 0 }, smbusTiming(400_000));
    expect(t).toBeCloseTo(22.5 + 0.6 + 0.6 + 1.3, 9);
  });

  it('takes the speed class of the clock and per-field overrides', () => {
    expect(smbusTiming(250_000).tBufUs).toBe(1.3);
    expect(smbusTiming(250_000).clockHz).toBe(250_000);
    expect(smbusTiming(400_000, { stretchUs: 10 }).stretchUs).toBe(10);
    expect(wordReadTimeUs(400_000) + 10).toBeCloseTo(
      transactionTimeUs({ writeBytes: 2, readBytes: 4 }, smbusTiming(400_000, { stretchUs: 10 })),
      9,
    );
    for (const bad of [0, -1, 3_400_000]) {
      try {
        smbusTiming(bad);
        expect.unreachable();
      } catch (e) {
        expect(isOrv3Error(e, ErrorCode.ConfigInvalid)).toBe(true);
      }
    }
  });
});
