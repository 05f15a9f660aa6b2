import type { Clock } from '../../clock/index.js';
import type { RealtimeCommand } from './commands.js';

/**
 * The contract between the loop and the work it runs each tick. A task module exports a factory
 * (named `createTask` unless the host says otherwise); the worker imports the module by URL and
 * calls the factory once with the JSON options the host was given, before the first tick.
 */

/** What JSON can carry: task options cross the thread boundary by structured clone. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface TaskContext {
  /** The worker's RealClock: the time base of nowMs, sampleAtMs and commandAtMs. */
  readonly clock: Clock;
  readonly periodMs: number;
  /** Float64 values per telemetry record. */
  readonly telemetryWidth: number;
  /** Sample-to-command latency of one control decision (worker-clock times). No allocation. */
  recordLatency(sampleAtMs: number, commandAtMs: number): void;
  /** Queues a telemetry record for the main thread; false (and counted) when its ring is full. */
  publish(record: ArrayLike<number>): boolean;
}

export interface RealtimeTask {
  /** One period's work; `nowMs` is the tick's start on the worker clock. Throwing ends the loop. */
  tick(nowMs: number): void;
  /** A command from the main thread, delivered at the start of the next tick, before tick(). */
  command?(cmd: RealtimeCommand, nowMs: number): void;
  /** After the last tick, when the loop stops cleanly. */
  close?(): void;
}

export type TaskFactory = (
  options: JsonValue,
  ctx: TaskContext,
) => RealtimeTask | Promise<RealtimeTask>;
