/**
 * control/realtime: the real-time host of the 1 kHz control loop. A worker thread (own heap, so
 * main-thread GC does not stall it) runs a pluggable tick body on absolute deadlines, sleeping
 * with Atomics.wait and spinning the last stretch; samples, commands and timing statistics cross
 * between the threads through SharedArrayBuffers. docs/CONTROL-REALTIME.md explains the design,
 * the knobs and the figures. Fake it: run a task's factory directly (it is a plain function of
 * options and a TaskContext), or run runLoop() on fake time as the unit tests do.
 */
import { siblingModule } from './worker-spawn.js';

export { RealtimeLoop } from './host.js';
export type { RealtimeEvent, RealtimeLoopState, RealtimeStats } from './host.js';
export { DEFAULT_PERIOD_MS, DEFAULT_SPIN_MS } from './options.js';
export type { RealtimeLoopOptions } from './options.js';
export type { RealtimeCommand } from './commands.js';
export type { JsonValue, RealtimeTask, TaskContext, TaskFactory } from './task.js';
export type { Distribution } from './histogram.js';
export { BUCKET_MS, HISTOGRAM_RANGE_MS } from './histogram.js';
export type { LoopTiming } from './stats-block.js';
export { SpscRing } from './spsc-ring.js';
export { HeartbeatWatchdog } from './watchdog.js';
export type { WatchdogEvent, WatchdogOptions } from './watchdog.js';
export { deadlineOf, nextTickIndex, sleepBudgetMs } from './schedule.js';
export { createFastLaneTask } from './fast-lane-task.js';
export type { ControlInputs, ControlStep, ControlStepFactory } from './fast-lane-task.js';
export type { FastSample } from './synthetic-io.js';
export { createSyntheticStep } from './synthetic-step.js';

/** URL of the bench task module (synthetic I/O stand-in + synthetic step), for `task.url`. */
export const SYNTHETIC_TASK_URL: URL = siblingModule('synthetic-task', import.meta.url);
