/**
 * Every piece of logic that waits or timestamps takes a Clock, so the same code runs in real
 * time on a rack controller and in lockstep with the simulated shelf on a VirtualClock.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Monotonic time in milliseconds (fractional). Origin is arbitrary; only differences matter. */
  nowMs(): number;
  /** Wall-clock Unix time in milliseconds, for timestamps that leave the process (time sync, logs). */
  epochMs(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  setInterval(fn: () => void, periodMs: number): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
  /** Resolves after delayMs of this clock's time. */
  sleep(delayMs: number): Promise<void>;
}
