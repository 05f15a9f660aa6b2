import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { ErrorCode, isOrv3Error } from '../../../../src/errors.js';
import { SimulatedLine } from '../../../../src/bus/modbus/index.js';
import { rtuTiming } from '../../../../src/protocol/modbus/index.js';
import { flush, rejection } from './fake-slave.js';

describe('SimulatedLine', () => {
  it('charges wire time and turnaround on the clock and stamps arrival at the last byte', async () => {
    const clock = new VirtualClock();
    const t = rtuTiming(19200);
    const line = new SimulatedLine({
      clock,
      baudRate: 19200,
      endpoint: () => new Uint8Array(7),
      turnaroundUs: 3000,
    });
    const got: number[] = [];
    line.onData((_b, atUs) => got.push(atUs));
    const w = line.write(new Uint8Array(8));
    await clock.advanceAsync((8 * t.charUs) / 1000);
    await w;
    expect(clock.nowMs()).toBeCloseTo((8 * t.charUs) / 1000, 9);
    clock.advance(20);
    expect(got).toHaveLength(1);
    expect(got[0]).toBeCloseTo(15 * t.charUs + 3000, 6);
    expect(line.transcript.map((r) => r.dir)).toEqual(['tx', 'rx']);
  });

  it('counts silence violations and collisions of a careless master', async () => {
    const clock = new VirtualClock();
    const line = new SimulatedLine({
      clock,
      baudRate: 19200,
      endpoint: () => ({ bytes: new Uint8Array(7), turnaroundUs: 50_000 }),
    });
    const a = line.write(new Uint8Array(8));
    await clock.advanceAsync(10, 0.5);
    await a;
    const b = line.write(new Uint8Array(8)); // 5.4 ms after the first ended: silence OK, reply due
    await clock.advanceAsync(4.6, 0.01); // b ends at 14.583 ms
    await b;
    const c = line.write(new Uint8Array(8)); // 0.017 ms after the second: < t3.5
    await clock.advanceAsync(10, 0.5);
    await c;
    expect(line.stats).toMatchObject({ txFrames: 3, silenceViolations: 1, collisions: 2 });
  });

  it('a throwing endpoint surfaces as TransportIo; a closed line refuses writes', async () => {
    const clock = new VirtualClock();
    const line = new SimulatedLine({
      clock,
      baudRate: 115200,
      endpoint: () => {
        throw new Error('boom');
      },
    });
    const errors: string[] = [];
    line.onError((e) => errors.push(e.code));
    const w = line.write(new Uint8Array(8));
    await clock.advanceAsync(1, 0.1);
    await w;
    await flush();
    expect(errors).toEqual([ErrorCode.TransportIo]);
    await line.close();
    expect(
      isOrv3Error(await rejection(line.write(new Uint8Array(8))), ErrorCode.TransportClosed),
    ).toBe(true);
  });
});
