import { decodeCommand } from './commands.js';
import { RunState, type ControlBlock } from './control-block.js';
import { deadlineOf, nextTickIndex, sleepBudgetMs, spinChunk, SPIN_POLLS_MIN } from './schedule.js';
import type { SpscRing } from './spsc-ring.js';
import type { StatsWriter } from './stats-block.js';
import type { RealtimeTask } from './task.js';

/**
 * The periodic loop as it runs inside the worker: sleep on the wake word until `spinMs` before the
 * deadline, spin the rest, run the tick, plan the next deadline (skipping missed ones), repeat
 * until the main thread asks for a stop. Synchronous on purpose: the worker does nothing else, so
 * nothing in its own event loop can delay a tick. `now` and `sleep` are injected so the loop runs
 * on fake time in tests; in the worker they are RealClock.nowMs and Atomics.wait.
 */
export interface LoopDeps {
  readonly now: () => number;
  readonly sleep: (wakeToken: number, timeoutMs: number) => void;
  readonly control: ControlBlock;
  readonly stats: StatsWriter;
  readonly commands: SpscRing;
  readonly task: RealtimeTask;
  readonly periodMs: number;
  /** Busy-wait this long before each deadline instead of sleeping (≥ periodMs: always spin). */
  readonly spinMs: number;
  /** Leave after this many ticks (tests); default: run until stopped. */
  readonly maxTicks?: number;
}

/** Runs until a stop is requested (or maxTicks); returns the number of ticks run. */
export function runLoop(d: LoopDeps): number {
  const { now, control, stats, commands, task, periodMs, spinMs } = d;
  const maxTicks = d.maxTicks ?? Infinity;
  const rec = new Float64Array(commands.width);
  let resetSeen = control.resetCount();
  // A stop requested while the task was being built must win over this transition.
  if (control.state() === RunState.Starting) control.setState(RunState.Running);
  const startMs = now() + periodMs;
  let k = 0;
  let ticks = 0;
  let pollsPerMs = 0;
  outer: while (ticks < maxTicks && !control.stopRequested()) {
    const deadline = deadlineOf(startMs, periodMs, k);
    for (;;) {
      const token = control.wakeToken();
      if (control.stopRequested()) break outer;
      const budget = sleepBudgetMs(deadline, spinMs, now());
      if (budget <= 0) break;
      d.sleep(token, budget);
    }
    // Spin the rest, polling the stop word between clock reads (spinChunk: why and how many).
    let t = now();
    let chunk = SPIN_POLLS_MIN;
    while (t < deadline) {
      for (let i = 0; i < chunk; i++) if (control.stopRequested()) break outer;
      const t2 = now();
      if (t2 > t) pollsPerMs = chunk / (t2 - t);
      t = t2;
      chunk = spinChunk(deadline - t, pollsPerMs, chunk);
    }
    if (control.resetCount() !== resetSeen) {
      resetSeen = control.resetCount();
      stats.reset();
    }
    while (commands.pop(rec)) {
      const cmd = decodeCommand(rec);
      if (cmd !== null && task.command) task.command(cmd, t);
    }
    task.tick(t);
    const end = now();
    const next = nextTickIndex(startMs, periodMs, k, end);
    ticks++;
    stats.recordTick(t, t - deadline, end - t, next - k - 1);
    control.beat(ticks);
    k = next;
  }
  task.close?.();
  return ticks;
}
