import type { ErrorCode } from '../../errors.js';
import type { JsonValue } from './task.js';

/** What the host hands the worker (structured clone; the buffers are shared, not copied). */
export interface WorkerInit {
  readonly control: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly telemetry: SharedArrayBuffer;
  readonly commands: SharedArrayBuffer;
  readonly taskUrl: string;
  readonly taskExport: string;
  readonly taskOptions: JsonValue;
  readonly periodMs: number;
  readonly spinMs: number;
  /** Nice value for the worker thread alone (Linux: setpriority on the thread); null = leave. */
  readonly nice: number | null;
}

/** The worker's only messages: the loop is set up, or it could not be. Everything else is SAB. */
export type WorkerMessage =
  | {
      readonly type: 'ready';
      /** The worker's OS thread id (Linux /proc/thread-self), for chrt/taskset; null elsewhere. */
      readonly osThreadId: number | null;
      /** Why the requested nice value could not be applied (EACCES without CAP_SYS_NICE). */
      readonly niceError: string | null;
    }
  | { readonly type: 'failed'; readonly code: ErrorCode; readonly message: string };
