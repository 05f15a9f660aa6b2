import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import type { Clock } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import type { JsonValue } from './task.js';

export interface RealtimeLoopOptions {
  /** The tick body: module URL (absolute, file: URL or path), its factory's export and options. */
  readonly task: {
    readonly url: string | URL;
    readonly export?: string;
    readonly options?: JsonValue;
  };
  /** Tick period, ms (default 1: 1 kHz). */
  readonly periodMs?: number;
  /**
   * Busy-wait this long before each deadline instead of sleeping, ms (default 0.3). Trades CPU
   * for wake-up accuracy: the worker burns ≈ spinMs / periodMs of a core. ≥ periodMs spins always.
   */
  readonly spinMs?: number;
  /** Records the worker→main telemetry ring holds (rounded up to a power of two; default 4096). */
  readonly telemetryCapacity?: number;
  /** Float64 values per telemetry record (default 8). */
  readonly telemetryWidth?: number;
  /** Commands the main→worker ring holds (default 256). */
  readonly commandCapacity?: number;
  /** Heartbeat silence that counts as a stall, ms (default 100). */
  readonly stallMs?: number;
  /** Watchdog check interval on the main thread, ms (default 10). */
  readonly watchdogCheckMs?: number;
  /** Worker start (thread, tsx, task import and factory) limit, ms (default 20 000). */
  readonly startTimeoutMs?: number;
  /** Grace for a clean stop before the worker is terminated, ms (default 2000). */
  readonly stopTimeoutMs?: number;
  /**
   * Nice value for the worker thread only (−20..19; default: inherit). Negative values need
   * CAP_SYS_NICE; without it the loop runs anyway and `niceError` says why.
   */
  readonly nice?: number;
  /** Main-thread clock for the watchdog and timeouts (default RealClock). */
  readonly clock?: Clock;
  readonly resourceLimits?: ResourceLimits;
}

export interface ResolvedOptions {
  readonly taskUrl: string;
  readonly taskExport: string;
  readonly taskOptions: JsonValue;
  readonly periodMs: number;
  readonly spinMs: number;
  readonly telemetryCapacity: number;
  readonly telemetryWidth: number;
  readonly commandCapacity: number;
  readonly stallMs: number;
  readonly watchdogCheckMs: number;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly nice: number | null;
}

export const DEFAULT_PERIOD_MS = 1;
export const DEFAULT_SPIN_MS = 0.3;

function bad(message: string, context: Record<string, unknown>): Orv3Error {
  return new Orv3Error(ErrorCode.RealtimeBadOptions, message, context);
}

function inRange(name: string, v: number, min: number, max: number): number {
  if (!(Number.isFinite(v) && v >= min && v <= max)) {
    throw bad(`${name} must be in ${min}..${max}, got ${v}`, { [name]: v });
  }
  return v;
}

/** A task URL as the worker's import() wants it: a file: (or data:) URL string. */
function taskHref(url: string | URL): string {
  if (url instanceof URL) return url.href;
  if (isAbsolute(url)) return pathToFileURL(url).href;
  try {
    return new URL(url).href;
  } catch {
    throw bad(`task url must be absolute (a URL or an absolute path), got "${url}"`, { url });
  }
}

export function resolveOptions(o: RealtimeLoopOptions): ResolvedOptions {
  const periodMs = inRange('periodMs', o.periodMs ?? DEFAULT_PERIOD_MS, 0.05, 60_000);
  return {
    taskUrl: taskHref(o.task.url),
    taskExport: o.task.export ?? 'createTask',
    taskOptions: o.task.options ?? null,
    periodMs,
    spinMs: inRange('spinMs', o.spinMs ?? DEFAULT_SPIN_MS, 0, 60_000),
    telemetryCapacity: inRange('telemetryCapacity', o.telemetryCapacity ?? 4096, 1, 1 << 24),
    telemetryWidth: inRange('telemetryWidth', o.telemetryWidth ?? 8, 1, 64),
    commandCapacity: inRange('commandCapacity', o.commandCapacity ?? 256, 1, 1 << 16),
    stallMs: inRange('stallMs', o.stallMs ?? 100, 1, 3_600_000),
    watchdogCheckMs: inRange('watchdogCheckMs', o.watchdogCheckMs ?? 10, 1, 60_000),
    startTimeoutMs: inRange('startTimeoutMs', o.startTimeoutMs ?? 20_000, 1, 600_000),
    stopTimeoutMs: inRange('stopTimeoutMs', o.stopTimeoutMs ?? 2000, 1, 600_000),
    nice: o.nice === undefined ? null : Math.round(inRange('nice', o.nice, -20, 19)),
  };
}
