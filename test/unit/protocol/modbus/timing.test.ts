import { describe, expect, it } from 'vitest';
import {
  effectiveTurnaroundUs,
  lineBudget,
  lineRateMinimumUs,
  requestTransactionUs,
  rtuTiming,
  transactionTimeUs,
  type ModbusRequest,
} from '../../../../src/protocol/modbus/index.js';

describe('RTU timing model', () => {
  it('char time is 11 bits; t1.5/t3.5 scale up to 19200 baud and are fixed above', () => {
    const t9600 = rtuTiming(9600);
    expect(t9600.charUs).toBeCloseTo(1145.833, 3);
    expect(t9600.t35Us).toBeCloseTo(4010.417, 3);
    const t19200 = rtuTiming(19200);
    expect(t19200.charUs).toBeCloseTo(572.917, 3);
    expect(t19200.t15Us).toBeCloseTo(859.375, 3);
    expect(t19200.t35Us).toBeCloseTo(2005.208, 3);
    for (const baud of [38400, 57600, 115200]) {
      expect(rtuTiming(baud).t15Us).toBe(750);
      expect(rtuTiming(baud).t35Us).toBe(1750);
    }
    expect(() => rtuTiming(0)).toThrow(RangeError);
  });

  it('DESIGN §4: single-register read ≈ 12.6 ms at 19200, ≈ 5 ms at 115200 (2 ms turnaround)', () => {
    const read1: ModbusRequest = { fc: 0x03, start: 0, count: 1 };
    // 2005.2 t3.5 + 8 × 572.9 request + max(2000, t3.5) turnaround + 7 × 572.9 response
    expect(requestTransactionUs(read1, rtuTiming(19200)) / 1000).toBeCloseTo(12.604, 3);
    // 1750 t3.5 + 8 × 95.49 + 2000 + 7 × 95.49
    expect(requestTransactionUs(read1, rtuTiming(115200)) / 1000).toBeCloseTo(5.182, 3);
    // A 12-device sweep ≥ 60 ms even at 115200.
    expect((12 * requestTransactionUs(read1, rtuTiming(115200))) / 1000).toBeGreaterThan(60);
  });

  it('a slave cannot turn around faster than t3.5 (it must first see the request end)', () => {
    const t = rtuTiming(9600);
    expect(effectiveTurnaroundUs(t, 500)).toBeCloseTo(t.t35Us, 9);
    expect(effectiveTurnaroundUs(rtuTiming(115200), 500)).toBe(1750);
    expect(effectiveTurnaroundUs(rtuTiming(115200))).toBe(2000);
  });

  it('a broadcast has no turnaround and no response', () => {
    const t = rtuTiming(19200);
    expect(transactionTimeUs(8, 0, t)).toBeCloseTo(t.t35Us + 8 * t.charUs, 9);
  });

  it('line budget and the line-rate minimum of a sweep', () => {
    const t = rtuTiming(115200);
    const sweep: ModbusRequest[] = [
      { fc: 0x03, start: 0, count: 100 },
      { fc: 0x03, start: 100, count: 25 },
      { fc: 0x06, address: 305, value: 10 },
    ];
    const b = lineBudget(sweep, t);
    // chars: (8 + 205) + (8 + 55) + (8 + 8) = 292
    expect(b.wireUs).toBeCloseTo(292 * t.charUs, 6);
    expect(b.silenceUs).toBe(3 * 1750);
    expect(b.turnaroundUs).toBe(3 * 2000); // 2 ms > t3.5 = 1.75 ms at 115200
    expect(b.payloadBytes).toBe(2 * 126);
    expect(b.totalUs).toBeCloseTo(b.wireUs + b.silenceUs + b.turnaroundUs, 6);
    // An infinitely fast device still leaves t3.5 between request and response.
    expect(lineRateMinimumUs(sweep, t)).toBeCloseTo(b.wireUs + 2 * b.silenceUs, 6);
  });
});
