import type { ControlDevice, ReadPoint } from '../io/fast-lane-io.js';

const POINTS: readonly ReadPoint[] = ['pout', 'vin', 'busV', 'soc', 'extStatus', 'statusWord'];

/**
 * The last value and time of every fast-lane quantity of every device, in preallocated typed
 * arrays (the tick allocates nothing for its samples), plus per-device failure runs.
 */
export class SampleStore {
  private readonly value: Record<ReadPoint, Float64Array>;
  private readonly at: Record<ReadPoint, Float64Array>;
  /** Consecutive failed transactions per device. */
  readonly failRun: Int32Array;
  /** Failed transactions per device since start. */
  readonly failures: Float64Array;

  constructor(readonly devices: readonly ControlDevice[]) {
    const n = devices.length;
    this.value = {} as Record<ReadPoint, Float64Array>;
    this.at = {} as Record<ReadPoint, Float64Array>;
    for (const p of POINTS) {
      this.value[p] = new Float64Array(n).fill(NaN);
      this.at[p] = new Float64Array(n).fill(-Infinity);
    }
    this.failRun = new Int32Array(n);
    this.failures = new Float64Array(n);
  }

  put(dev: number, point: ReadPoint, v: number, atMs: number): void {
    this.value[point][dev] = v;
    this.at[point][dev] = atMs;
    this.failRun[dev] = 0;
  }

  fail(dev: number): void {
    this.failRun[dev]!++;
    this.failures[dev]!++;
  }

  /** The value when younger than maxAgeMs at nowMs, else NaN. */
  fresh(dev: number, point: ReadPoint, nowMs: number, maxAgeMs: number): number {
    return nowMs - this.at[point][dev]! <= maxAgeMs ? this.value[point][dev]! : NaN;
  }

  last(dev: number, point: ReadPoint): number {
    return this.value[point][dev]!;
  }

  ageMs(dev: number, point: ReadPoint, nowMs: number): number {
    return nowMs - this.at[point][dev]!;
  }
}
