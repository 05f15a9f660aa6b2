import type { Clock, TimerHandle } from './clock.js';

interface VTimer extends TimerHandle {
  dueMs: number;
  readonly seq: number;
  readonly periodMs: number | null;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Deterministic simulated time. Nothing moves until advance()/advanceTo() is called; timers fire
 * in order of due time, ties broken by scheduling order, and timers scheduled by a callback fire
 * within the same advance if they fall due inside it.
 */
export class VirtualClock implements Clock {
  private t: number;
  private epochOriginMs: number;
  private readonly heap: VTimer[] = [];
  private seq = 0;
  private nextId = 1;

  constructor(opts: { startMs?: number; epochOriginMs?: number } = {}) {
    this.t = opts.startMs ?? 0;
    // A fixed default epoch keeps runs reproducible (2026-01-01T00:00:00Z).
    this.epochOriginMs = opts.epochOriginMs ?? 1_767_225_600_000;
  }

  nowMs(): number {
    return this.t;
  }

  epochMs(): number {
    return this.epochOriginMs + this.t;
  }

  /**
   * Re-anchors the wall-clock mapping so that epochMs() reads `epochMs` now; nowMs() and every
   * timer are untouched. For simulated time that ran unpaced for a while (discovery) before
   * being paced to the wall clock. Returns the shift applied to epochMs(), ms, so stamps already
   * taken can be moved by the same amount.
   */
  rebaseEpoch(epochMs: number): number {
    if (!Number.isFinite(epochMs)) throw new RangeError(`epoch must be finite, got ${epochMs}`);
    const shiftMs = epochMs - this.epochMs();
    this.epochOriginMs = epochMs - this.t;
    return shiftMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.schedule(fn, Math.max(0, delayMs), null);
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    if (!(periodMs > 0)) throw new RangeError(`interval period must be > 0 ms, got ${periodMs}`);
    return this.schedule(fn, periodMs, periodMs);
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle) (handle as VTimer).cancelled = true;
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, delayMs));
  }

  /** Number of live (not cancelled) timers. */
  pendingTimers(): number {
    return this.heap.filter((h) => !h.cancelled).length;
  }

  /** Due time of the earliest live timer, or null. */
  nextDueMs(): number | null {
    this.dropCancelledHead();
    return this.heap[0]?.dueMs ?? null;
  }

  advance(deltaMs: number): void {
    if (!(deltaMs >= 0)) throw new RangeError(`cannot advance by ${deltaMs} ms`);
    this.advanceTo(this.t + deltaMs);
  }

  advanceTo(targetMs: number): void {
    if (targetMs < this.t)
      throw new RangeError(`cannot move time back from ${this.t} to ${targetMs}`);
    for (;;) {
      this.dropCancelledHead();
      const head = this.heap[0];
      if (!head || head.dueMs > targetMs) break;
      this.pop();
      this.t = head.dueMs;
      if (head.periodMs !== null) {
        head.dueMs += head.periodMs;
        this.push(head);
      }
      this.fired++;
      head.fn();
    }
    this.t = targetMs;
  }

  /**
   * Timers fired since construction. A lockstep driver compares it across a synchronous advance:
   * when it moved, promise work the timers released must run before time moves again.
   */
  fired = 0;

  /**
   * Lets promise continuations queued by timer callbacks run (awaits resolved sleeps) while
   * advancing in steps; use in tests of async code on virtual time.
   */
  async advanceAsync(deltaMs: number, stepMs = deltaMs): Promise<void> {
    const end = this.t + deltaMs;
    while (this.t < end) {
      this.advanceTo(Math.min(end, this.t + stepMs));
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
  }

  private schedule(fn: () => void, delayMs: number, periodMs: number | null): TimerHandle {
    const timer: VTimer = {
      id: this.nextId++,
      dueMs: this.t + delayMs,
      seq: this.seq++,
      periodMs,
      fn,
      cancelled: false,
    };
    this.push(timer);
    return timer;
  }

  private dropCancelledHead(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private before(a: VTimer, b: VTimer): boolean {
    return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
  }

  private push(x: VTimer): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): VTimer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
