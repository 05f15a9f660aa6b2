import type { Clock, TimerHandle } from './clock.js';

interface RealHandle extends TimerHandle {
  readonly native: NodeJS.Timeout;
  readonly repeating: boolean;
}

/** Clock backed by process.hrtime (monotonic) and the host's wall clock. */
export class RealClock implements Clock {
  private nextId = 1;
  private readonly originNs = process.hrtime.bigint();

  nowMs(): number {
    return Number(process.hrtime.bigint() - this.originNs) / 1e6;
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
