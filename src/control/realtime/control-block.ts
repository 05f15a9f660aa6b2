/**
 * The few Int32 words the two threads share to steer the loop, each on its own 64-byte line:
 * - run state (the main thread asks for a stop, the worker says when it has stopped);
 * - the wake word the worker sleeps on with Atomics.wait, bumped and notified by the main thread
 *   so a stop does not wait out a sleep;
 * - the heartbeat, the worker's tick count (mod 2³²) that the watchdog watches move;
 * - the reset word: the main thread bumps it, the worker clears its statistics when it sees it
 *   change, so the statistics keep a single writer.
 */
const STATE = 0;
const WAKE = 16;
const HEARTBEAT = 32;
const RESET = 48;
const WORDS = 64;

export const RunState = { Starting: 0, Running: 1, StopRequested: 2, Stopped: 3 } as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

export function createControlBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(WORDS * 4);
}

export class ControlBlock {
  private readonly w: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.w = new Int32Array(buffer, 0, WORDS);
  }

  state(): RunState {
    return Atomics.load(this.w, STATE) as RunState;
  }

  setState(s: RunState): void {
    Atomics.store(this.w, STATE, s);
  }

  /** Main thread: ask the worker to leave its loop, waking it if it sleeps. */
  requestStop(): void {
    Atomics.store(this.w, STATE, RunState.StopRequested);
    this.wake();
  }

  stopRequested(): boolean {
    return Atomics.load(this.w, STATE) === RunState.StopRequested;
  }

  wake(): void {
    Atomics.add(this.w, WAKE, 1);
    Atomics.notify(this.w, WAKE);
  }

  /** The wake word now; pass it to sleep() so a wake between reading it and sleeping is not lost. */
  wakeToken(): number {
    return Atomics.load(this.w, WAKE);
  }

  /** Worker only: blocks up to `timeoutMs` unless the wake word has moved past `token`. */
  sleep(token: number, timeoutMs: number): void {
    Atomics.wait(this.w, WAKE, token, timeoutMs);
  }

  beat(ticks: number): void {
    Atomics.store(this.w, HEARTBEAT, ticks | 0);
  }

  heartbeat(): number {
    return Atomics.load(this.w, HEARTBEAT);
  }

  requestReset(): void {
    Atomics.add(this.w, RESET, 1);
  }

  resetCount(): number {
    return Atomics.load(this.w, RESET);
  }
}
