/**
 * The control benches' probe: the reserve judge on tiny hand-made series, the stored-energy
 * sum, and the event times the probe records — against a fake of the instruments.
 */
import { describe, expect, it } from 'vitest';
import { controlConfig, reserveWh } from '../../../src/control/index.js';
import {
  ReserveJudge,
  RunProbe,
  storedWh,
  type ProbeInstruments,
} from '../../bench/control-bench-probe.js';

describe('ReserveJudge', () => {
  it('passes a series that touches the reserve but never goes below it', () => {
    const j = new ReserveJudge(800);
    for (const [t, e] of [
      [0, 900],
      [1, 850],
      [2, 800],
      [3, 820],
    ] as const)
      j.sample(t, e);
    expect(j.verdict()).toMatchObject({
      intact: true,
      minStoredWh: 800,
      minStoredAtS: 2,
      minMarginWh: 0,
      brokenAtS: null,
      brokenSamples: 0,
      samples: 4,
    });
  });

  it('fails at the first sample below, and counts every one', () => {
    const j = new ReserveJudge(800);
    for (const [t, e] of [
      [0, 900],
      [0.5, 799.9],
      [1, 850],
      [1.5, 700],
    ] as const)
      j.sample(t, e);
    const v = j.verdict();
    expect(v.intact).toBe(false);
    expect(v.brokenAtS).toBe(0.5);
    expect(v.brokenSamples).toBe(2);
    expect(v.minStoredWh).toBe(700);
    expect(v.minMarginWh).toBe(-100);
  });

  it('does not pass a run it never saw', () => {
    expect(new ReserveJudge(1).verdict().intact).toBe(false);
  });

  it('uses the gateway formula: S × 90 s / 0.95 with its 2 % margin', () => {
    // 33 kW for 90 s is 825 Wh at the bus; 868.4 Wh from the packs; +2 % = 885.8 Wh.
    expect(reserveWh(33000, controlConfig())).toBeCloseTo(((33000 * 90) / 3600 / 0.95) * 1.02, 9);
  });
});

/** Instruments with scripted values. */
class FakeInst implements ProbeInstruments {
  tS = 0;
  busV = 50;
  loadDropCount = 0;
  trig = 0;
  over = 0;
  soc = [100, 100, 100];
  get bbuCount(): number {
    return this.soc.length;
  }
  nativeTriggers(): number {
    return this.trig;
  }
  psuOverloadEvents(): number {
    return this.over;
  }
  bbu(i: number): { socPct: number } {
    return { socPct: this.soc[i]! };
  }
}

describe('RunProbe', () => {
  it('sums SoC × pack energy over the BBUs', () => {
    const f = new FakeInst();
    f.soc = [100, 50, 0];
    expect(storedWh(f, 150)).toBeCloseTo(225, 12);
  });

  it('records the lowest bus and the first trigger, overload and load drop', () => {
    const f = new FakeInst();
    const p = new RunProbe(150, 400);
    const at = (t: number, change: (x: FakeInst) => void): void => {
      f.tS = t;
      change(f);
      p.sample(f);
    };
    at(0, () => {});
    at(1, (x) => (x.busV = 48.2));
    at(2, (x) => ((x.busV = 47), (x.trig = 6)));
    at(3, (x) => ((x.busV = 49), (x.over = 1), (x.soc = [80, 80, 80])));
    at(4, (x) => ((x.trig = 12), (x.loadDropCount = 1), (x.soc = [80, 80, 60])));
    const s = p.summary();
    expect(s).toMatchObject({
      samples: 5,
      minBusV: 47,
      minBusAtS: 2,
      firstNativeTriggerAtS: 2,
      firstOverloadAtS: 3,
      firstLoadDropAtS: 4,
    });
    // 3 × 150 Wh × 0.8 = 360 < 400 from t = 3 s; 330 Wh at 4 s.
    expect(s.reserve).toMatchObject({ intact: false, brokenAtS: 3, brokenSamples: 2 });
    expect(s.reserve!.minStoredWh).toBeCloseTo(330, 9);
  });

  it('judges no reserve when none is asked for', () => {
    const p = new RunProbe(150, null);
    p.sample(new FakeInst());
    expect(p.summary().reserve).toBeNull();
  });
});
