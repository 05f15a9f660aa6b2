/**
 * Minimum and maximum of the level over the last `windowMs`, with the time each was seen:
 * two monotone deques over a ring, O(1) amortised per sample, no allocation. The step
 * detector measures a change from the window's extreme, so a step is judged by how far the
 * load moved within the window whatever the level did before it.
 */
import { HISTORY } from './options.js';

const MASK = HISTORY - 1;
/** The deques may briefly hold HISTORY + 1 entries (push before expiry). */
const QMASK = 2 * HISTORY - 1;

export class WindowExtremes {
  private readonly t = new Float64Array(HISTORY);
  private readonly v = new Float64Array(HISTORY);
  private readonly minQ = new Int32Array(2 * HISTORY);
  private readonly maxQ = new Int32Array(2 * HISTORY);
  private minHead = 0;
  private minTail = 0;
  private maxHead = 0;
  private maxTail = 0;
  private n = 0;

  constructor(private readonly windowMs: number) {}

  push(t: number, value: number): void {
    const i = this.n++;
    this.t[i & MASK] = t;
    this.v[i & MASK] = value;
    while (
      this.minTail > this.minHead &&
      this.v[this.minQ[(this.minTail - 1) & QMASK]! & MASK]! >= value
    )
      this.minTail--;
    this.minQ[this.minTail++ & QMASK] = i;
    while (
      this.maxTail > this.maxHead &&
      this.v[this.maxQ[(this.maxTail - 1) & QMASK]! & MASK]! <= value
    )
      this.maxTail--;
    this.maxQ[this.maxTail++ & QMASK] = i;
    // Expire by time, and by ring capacity (a window never holds more than HISTORY samples).
    const oldest = t - this.windowMs;
    while (this.expired(this.minQ[this.minHead & QMASK]!, oldest, i)) this.minHead++;
    while (this.expired(this.maxQ[this.maxHead & QMASK]!, oldest, i)) this.maxHead++;
  }

  private expired(idx: number, oldest: number, newest: number): boolean {
    return idx !== newest && (this.t[idx & MASK]! < oldest || newest - idx >= HISTORY);
  }

  get min(): number {
    return this.v[this.minQ[this.minHead & QMASK]! & MASK]!;
  }
  get minAtMs(): number {
    return this.t[this.minQ[this.minHead & QMASK]! & MASK]!;
  }
  get max(): number {
    return this.v[this.maxQ[this.maxHead & QMASK]! & MASK]!;
  }
  get maxAtMs(): number {
    return this.t[this.maxQ[this.maxHead & QMASK]! & MASK]!;
  }

  /** Samples pushed so far; the last min(size, HISTORY) are readable by index. */
  get size(): number {
    return this.n;
  }
  timeAt(i: number): number {
    return this.t[i & MASK]!;
  }
  valueAt(i: number): number {
    return this.v[i & MASK]!;
  }
}
