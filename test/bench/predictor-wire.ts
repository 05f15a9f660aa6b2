/**
 * What the control loop's fast lane makes of a true load: one tick per millisecond with timing
 * jitter and preempted (skipped) ticks; per tick the shelf load is the sum of every PSU's
 * READ_POUT, each a noisy reading of its share encoded and decoded with the wire's LINEAR11
 * codec (src/regmap); some reads fail (bus error → NaN), singly or in bursts.
 *
 * The numbers below are ASSUMPTIONS of the bench (no public figure for PSU telemetry noise):
 * jitter from DESIGN §9 (a spinning 1 kHz worker: p99 ≈ 0.03 ms, rare preemptions to ~2 ms).
 */
import { decodeLinear11, encodeLinear11 } from '../../src/regmap/index.js';
import { Rng } from '../../sim/rng.js';

export interface WireOptions {
  /** Per-PSU READ_POUT noise, 1 σ as a fraction of the PSU rating (ASSUMPTION: 0.1 %). */
  noiseFrac: number;
  /** Tick lateness |N(0, σ)|, ms. */
  jitterSdMs: number;
  /** Probability that a tick is late by U(0.1, 0.9) ms (a short preemption). */
  lateProb: number;
  /** Probability that the loop is preempted for 1–2 whole ticks (no push at all). */
  skipProb: number;
  /** Probability that a read fails (NaN sample). */
  missProb: number;
  /** Probability that a burst of 2–5 failed reads starts. */
  burstProb: number;
}

export const WIRE_DEFAULTS: Readonly<WireOptions> = Object.freeze({
  noiseFrac: 0.001,
  jitterSdMs: 0.015,
  lateProb: 1e-3,
  skipProb: 2e-4,
  missProb: 2e-3,
  burstProb: 1e-4,
});

/** LINEAR11 round trip of one reading through the wire's codec, as the gateway decodes it. */
export function wire11(value: number): number {
  return decodeLinear11(encodeLinear11(value));
}

const POW2 = Float64Array.from({ length: 32 }, (_, i) => 2 ** (i - 16));
let checked = 0;

/**
 * The same round trip for a reading ≥ 0, ~50× faster (the codec's exponent search costs µs
 * and the inference hour needs 86 M of them). The codec picks the smallest exponent n ≥ −16
 * with round(v / 2^n) ≤ 1023, i.e. v < 1023.5 · 2^n. Every 1024th call is checked against
 * the codec itself, so the bench cannot drift from the wire.
 */
export function fastWire11(value: number): number {
  if (!(value >= 0) || value >= 1023.5 * 2 ** 15) return wire11(value);
  let n = Math.max(-16, Math.ceil(Math.log2(value / 1023.5)));
  while (n > -16 && value < 1023.5 * POW2[n - 1 + 16]!) n--;
  while (value >= 1023.5 * POW2[n + 16]!) n++;
  const q = Math.round(value / POW2[n + 16]!) * POW2[n + 16]!;
  if ((++checked & 1023) === 0 && q !== wire11(value)) {
    throw new Error(`fastWire11(${value}) = ${q} but the codec gives ${wire11(value)}`);
  }
  return q;
}

/**
 * Streams ticks: next() advances to the next tick and returns false at the end; `t` and `y`
 * then hold the tick time (ms) and the measured shelf load (NaN = failed read).
 */
export class WireStream {
  t = 0;
  y = 0;
  /** True load at the tick time (for checks; the predictor never sees it). */
  truth = 0;
  private k = 0;
  private burst = 0;
  private readonly rng: Rng;
  private readonly endMs: number;

  constructor(
    private readonly model: { powerAt(tS: number): number },
    private readonly psus: number,
    private readonly psuRatedW: number,
    durationS: number,
    seed: number,
    private readonly o: WireOptions = WIRE_DEFAULTS,
  ) {
    this.rng = new Rng(seed).fork('wire');
    this.endMs = durationS * 1000;
  }

  next(): boolean {
    const r = this.rng;
    if (r.next() < this.o.skipProb) this.k += r.int(1, 2);
    this.k++;
    let late = Math.abs(r.normal(0, this.o.jitterSdMs));
    if (r.next() < this.o.lateProb) late = r.uniform(0.1, 0.9);
    this.t = this.k + Math.min(late, 0.95);
    if (this.t >= this.endMs) return false;
    this.truth = this.model.powerAt(this.t / 1000);
    if (this.burst === 0 && r.next() < this.o.burstProb) this.burst = r.int(2, 5);
    if (this.burst > 0 || r.next() < this.o.missProb) {
      if (this.burst > 0) this.burst--;
      this.y = Number.NaN;
      return true;
    }
    const share = this.truth / this.psus;
    const sd = this.o.noiseFrac * this.psuRatedW;
    let sum = 0;
    for (let i = 0; i < this.psus; i++) sum += fastWire11(Math.max(0, share + r.normal(0, sd)));
    this.y = sum;
    return true;
  }
}
