/**
 * How a commanded (forced) discharge ends in the BBU model: with the shelf's AC out, the running
 * converter carries on as native backup at once — no stop, dwell and start-up while the PSUs are
 * off, which would let the bus collapse — and with AC good it goes to standby.
 */
import { describe, expect, it } from 'vitest';
import { SimBbu, BBU_STATE_NAMES } from '../../../../sim/physics/bbu.js';
import { DEFAULT_BBU } from '../../../../sim/params.js';

const name = (b: SimBbu): string => BBU_STATE_NAMES[b.state]!;

function forcedBbu(acOk: boolean): SimBbu {
  const b = new SimBbu(0, 5500, 150, DEFAULT_BBU);
  b.commandDischarge(0, 3000, 250);
  b.prepare(0, 1, 51, acOk);
  expect(name(b)).toBe('forced');
  return b;
}

describe('SimBbu: the end of a forced discharge', () => {
  it('lease lapsing with AC out: native backup at once, regulating at the backup voltage', () => {
    const b = forcedBbu(false);
    for (let t = 1; t <= 260; t++) b.prepare(t, 1, 51, false);
    expect(name(b)).toBe('backup');
    expect(b.leaseFallbacks).toBe(1);
    expect(b.nativeTriggers).toBe(0);
    expect(b.discharging).toBe(true);
  });

  it('0 written with AC out: the same fallback', () => {
    const b = forcedBbu(false);
    b.commandDischarge(10, 0, 0);
    b.prepare(10, 1, 51, false);
    expect(name(b)).toBe('backup');
  });

  it('with AC good for the native stop time: standby, as before', () => {
    const b = forcedBbu(true);
    // AC has been good for 250 ms when the lease lapses: more than the native stop time.
    expect(DEFAULT_BBU.stopAfterAcOkMs).toBeLessThan(250);
    for (let t = 1; t <= 260; t++) b.prepare(t, 1, 51, true);
    expect(name(b)).toBe('standby');
    expect(b.leaseFallbacks).toBe(0);
  });

  it('the fallback ends like any native backup once AC has been good long enough', () => {
    const b = forcedBbu(false);
    for (let t = 1; t <= 260; t++) b.prepare(t, 1, 51, false);
    expect(name(b)).toBe('backup');
    for (let t = 261; t <= 261 + DEFAULT_BBU.stopAfterAcOkMs + 2; t++) b.prepare(t, 1, 51, true);
    expect(name(b)).toBe('standby');
  });
});
