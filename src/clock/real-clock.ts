import type { Clock, TimerHandle } from './clock.js';

interface RealHandle extends TimerHandle {
  readonly native: NodeJS.Timeout;
  readonly repeating: boolean;
}

/**
 * Clock backed by the monotonic high-resolution timer (`performance.now()`, uv_hrtime
 * underneath) and the host's wall clock. performance.now() rather than hrtime.bigint(): the
 * real-time loop reads the clock every tick and while spinning, and two BigInts per read were
 * garbage the worker's young generation then had to scavenge on some tick.
 */
export class RealClock implements Clock {
  private nextId = 1;
  private readonly origin = performance.now();

  nowMs(): number {
    return performance.now() - this.origin;
  }

  epochMs(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const h: RealHandle = { id: this.nextId++, native: setTimeout(fn, delayMs), repeating: false };
    return h;
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    const h: RealHandle = { id: this.nextId++, native: setInterval(fn, periodMs), repeating: true };
    return h;
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const h = handle as RealHandle;
    if (h.repeating) clearInterval(h.native);
    else clearTimeout(h.native);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
