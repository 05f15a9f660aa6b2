/** A queued request (or line action) and how it ends: the queue's unit of work. */
import { ErrorCode, Orv3Error, isOrv3Error } from '../../errors.js';
import type { ModbusRequest, ModbusResponse } from '../../protocol/modbus/index.js';
import type { Priority } from './client.js';

export interface Job {
  readonly unit: number;
  readonly request: ModbusRequest;
  /** A line-level action run in queue order instead of a request (e.g. a baud-rate change). */
  readonly action?: () => Promise<void>;
  readonly priority: Priority;
  readonly timeoutMs: number | undefined;
  retriesLeft: number;
  attempt: number;
  notBeforeMs: number;
  settled: boolean;
  readonly resolve: (r: ModbusResponse | null) => void;
  readonly reject: (e: Orv3Error) => void;
}

/** Failures worth another try of an idempotent request: the device may answer next time. */
export const RETRYABLE: ReadonlySet<string> = new Set([
  ErrorCode.ModbusTimeout,
  ErrorCode.ModbusCrc,
  ErrorCode.ModbusFrame,
  ErrorCode.TransportIo,
]);

/** Resolves or rejects a job once; later outcomes (a response after close()) are dropped. */
export function settle(job: Job, outcome: ModbusResponse | null | Orv3Error): void {
  if (job.settled) return;
  job.settled = true;
  if (outcome instanceof Orv3Error) job.reject(outcome);
  else job.resolve(outcome);
}

/** Anything a transport throws becomes typed; a non-Orv3Error there is an I/O fault or a bug. */
export function asOrv3(e: unknown): Orv3Error {
  if (isOrv3Error(e)) return e;
  return new Orv3Error(ErrorCode.TransportIo, e instanceof Error ? e.message : String(e), {
    cause: e,
  });
}
