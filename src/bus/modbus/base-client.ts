/**
 * What the RTU and TCP clients share: argument checks, the priority queue, one request at a time,
 * retries with exponential backoff for reads only, exception mapping, per-unit counters. A
 * transport supplies `attempt()` — one request on the wire, settled by a response, a typed
 * failure or its timeout — and never has to think about queues or retries.
 */
import type { Clock, TimerHandle } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import {
  ExceptionCode,
  ModbusExceptionError,
  badRequest,
  encodeRequestPdu,
  isReadRequest,
  type ModbusRequest,
  type ModbusResponse,
} from '../../protocol/modbus/index.js';
import type {
  DeviceCounters,
  ModbusClient,
  Priority,
  RequestOptions,
  UnitOptions,
} from './client.js';
import { newCounters, type MutableCounters } from './counters.js';
import { RETRYABLE, asOrv3, settle, type Job } from './job.js';
import { PriorityQueue } from '../priority-queue.js';

export interface QueuedClientOptions {
  readonly clock: Clock;
  /** Requests waiting, all priorities (default 64); see PriorityQueue.push for eviction. */
  readonly maxQueue?: number;
  /** Retries of a read after a timeout/CRC/frame/transport failure (default 2). */
  readonly retries?: number;
  /** First retry backoff, doubled per retry (default 10 ms), capped (default 200 ms). */
  readonly retryBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** One request as a transport carries it. */
export interface Attempt {
  readonly unit: number;
  readonly request: ModbusRequest;
  readonly timeoutMs: number;
  /** 0 for the first try. */
  readonly attempt: number;
}

export interface AttemptResult {
  /** null for a broadcast (nothing comes back). */
  readonly response: ModbusResponse | null;
  /** Request start on the wire → response complete, ms. */
  readonly latencyMs: number;
}

export { asOrv3 };

/** What a transport keeps of the one attempt it has on the wire. */
export interface InFlightAttempt {
  timer: TimerHandle | undefined;
  readonly resolve: (r: AttemptResult) => void;
  readonly reject: (e: Orv3Error) => void;
}

/**
 * The one attempt in flight on a line or connection: settled exactly once (a late answer or a
 * late timer for an attempt that already ended is ignored), its timer cleared.
 */
export class InFlight<P extends InFlightAttempt> {
  current: P | undefined;

  constructor(private readonly clock: Clock) {}

  finish(p: P, r: AttemptResult): void {
    if (this.current !== p) return;
    this.current = undefined;
    this.clock.clearTimer(p.timer);
    p.resolve(r);
  }

  fail(p: P, e: Orv3Error): void {
    if (this.current !== p) return;
    this.current = undefined;
    this.clock.clearTimer(p.timer);
    p.reject(e);
  }
}

export abstract class QueuedModbusClient implements ModbusClient {
  abstract readonly transport: 'rtu' | 'tcp' | 'sim';
  abstract readonly baudRate: number;
  protected readonly clock: Clock;
  protected closed = false;
  private readonly queue: PriorityQueue<Job>;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly counterBook = new Map<number, MutableCounters>();
  private readonly unitOptions = new Map<number, UnitOptions>();
  private active: Job | undefined;
  private wake: TimerHandle | undefined;

  constructor(opts: QueuedClientOptions) {
    this.clock = opts.clock;
    this.queue = new PriorityQueue<Job>(opts.maxQueue ?? 64);
    this.retries = opts.retries ?? 2;
    this.backoffMs = opts.retryBackoffMs ?? 10;
    this.maxBackoffMs = opts.maxBackoffMs ?? 200;
  }

  /** One try on the wire. Must settle: by a response, a typed failure or the timeout. */
  protected abstract attempt(a: Attempt): Promise<AttemptResult>;
  /** Timeout when neither the request nor the unit sets one. */
  protected abstract defaultTimeoutMs(
    request: ModbusRequest,
    unit: UnitOptions | undefined,
  ): number;
  /** Whether `unit` is a broadcast address on this transport (writes only, no response). */
  protected abstract isBroadcast(unit: number): boolean;
  protected abstract maxUnit(): number;
  protected abstract closeTransport(): Promise<void>;

  async readHoldingRegisters(unit: number, start: number, count: number, opts?: RequestOptions) {
    return readValues(await this.submit(unit, { fc: 0x03, start, count }, opts));
  }

  async readInputRegisters(unit: number, start: number, count: number, opts?: RequestOptions) {
    return readValues(await this.submit(unit, { fc: 0x04, start, count }, opts));
  }

  async writeSingleRegister(unit: number, address: number, value: number, opts?: RequestOptions) {
    await this.submit(unit, { fc: 0x06, address, value }, opts);
  }

  async writeMultipleRegisters(
    unit: number,
    start: number,
    values: ArrayLike<number>,
    opts?: RequestOptions,
  ): Promise<void> {
    const words = Array.from(values);
    for (const v of words) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffff)
        throw badRequest(`value ${v} is not 0..65535`);
    }
    await this.submit(unit, { fc: 0x10, start, values: Uint16Array.from(words) }, opts);
  }

  configureUnit(unit: number, options: UnitOptions): void {
    this.unitOptions.set(unit, { ...this.unitOptions.get(unit), ...options });
  }

  protected unitConfig(unit: number): UnitOptions | undefined {
    return this.unitOptions.get(unit);
  }

  counters(unit: number): DeviceCounters {
    return this.countersOf(unit);
  }

  units(): number[] {
    return [...this.counterBook.keys()].sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimer(this.wake);
    const gone = new Orv3Error(ErrorCode.TransportClosed, 'Modbus client closed');
    for (const job of this.queue.drain()) settle(job, gone);
    if (this.active) settle(this.active, gone);
    await this.closeTransport();
  }

  protected countersOf(unit: number): MutableCounters {
    let c = this.counterBook.get(unit);
    if (!c) this.counterBook.set(unit, (c = newCounters()));
    return c;
  }

  private submit(
    unit: number,
    request: ModbusRequest,
    opts: RequestOptions = {},
  ): Promise<ModbusResponse | null> {
    if (this.closed) {
      return Promise.reject(new Orv3Error(ErrorCode.TransportClosed, 'Modbus client closed'));
    }
    // Bad arguments fail here, synchronously checked, not on the wire after a queue wait.
    if (!Number.isInteger(unit) || unit < 0 || unit > this.maxUnit()) {
      return Promise.reject(badRequest(`unit ${unit} is not 0..${this.maxUnit()}`, { unit }));
    }
    if (this.isBroadcast(unit) && isReadRequest(request)) {
      return Promise.reject(badRequest('a read cannot be broadcast (unit 0)', { unit }));
    }
    try {
      encodeRequestPdu(request);
    } catch (e) {
      return Promise.reject(e);
    }
    const retries = isReadRequest(request) ? Math.max(0, opts.retries ?? this.retries) : 0;
    return this.enqueue({
      unit,
      request,
      priority: opts.priority ?? 'telemetry',
      timeoutMs: opts.timeoutMs,
      retriesLeft: retries,
    });
  }

  /**
   * Runs `fn` when the line is free, in queue order with requests of the same priority: requests
   * queued before it go first, none runs during it. For line settings such as the baud rate.
   */
  protected exclusive(priority: Priority, fn: () => Promise<void>): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Orv3Error(ErrorCode.TransportClosed, 'Modbus client closed'));
    }
    // Not a request: the placeholder fields are never put on the wire.
    const placeholder: ModbusRequest = { fc: 0x03, start: 0, count: 1 };
    const job = {
      unit: -1,
      request: placeholder,
      action: fn,
      priority,
      timeoutMs: undefined,
      retriesLeft: 0,
    };
    return this.enqueue(job).then(() => undefined);
  }

  private enqueue(
    fields: Pick<Job, 'unit' | 'request' | 'action' | 'priority' | 'timeoutMs' | 'retriesLeft'>,
  ): Promise<ModbusResponse | null> {
    return new Promise<ModbusResponse | null>((resolve, reject) => {
      const job: Job = {
        ...fields,
        attempt: 0,
        notBeforeMs: -Infinity,
        settled: false,
        resolve,
        reject,
      };
      const refused = this.queue.push(job);
      if (refused) {
        settle(
          refused,
          new Orv3Error(ErrorCode.QueueOverflow, `Modbus queue full (${this.queue.maxSize})`, {
            unit: refused.unit,
            priority: refused.priority,
          }),
        );
      }
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed || this.active) return;
    this.clock.clearTimer(this.wake);
    this.wake = undefined;
    const now = this.clock.nowMs();
    const job = this.queue.takeReady(now);
    if (!job) {
      const at = this.queue.nextReadyAtMs();
      if (at !== undefined) this.wake = this.clock.setTimeout(() => this.pump(), at - now);
      return;
    }
    this.active = job;
    void this.run(job).finally(() => {
      this.active = undefined;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    if (job.action) {
      try {
        await job.action();
        settle(job, null);
      } catch (e) {
        settle(job, asOrv3(e));
      }
      return;
    }
    const c = this.countersOf(job.unit);
    c.requests++;
    if (job.attempt > 0) c.retries++;
    const timeoutMs =
      job.timeoutMs ??
      this.unitConfig(job.unit)?.timeoutMs ??
      this.defaultTimeoutMs(job.request, this.unitConfig(job.unit));
    let result: AttemptResult;
    try {
      result = await this.attempt({
        unit: job.unit,
        request: job.request,
        timeoutMs,
        attempt: job.attempt,
      });
    } catch (e) {
      this.failed(job, c, asOrv3(e));
      return;
    }
    if (job.settled) return;
    const r = result.response;
    if (r === null) {
      settle(job, null);
      return;
    }
    c.responses++;
    c.latency.record(result.latencyMs);
    if (r.kind !== 'exception') {
      settle(job, r);
      return;
    }
    c.exceptions++;
    const error = new ModbusExceptionError(job.unit, r.fc, r.exceptionCode);
    // 0B: a gateway's target did not answer — a timeout one hop away, worth a retry for reads.
    if (r.exceptionCode === ExceptionCode.GatewayTargetFailedToRespond && this.retry(job)) return;
    settle(job, error);
  }

  private failed(job: Job, c: MutableCounters, error: Orv3Error): void {
    if (error.code === ErrorCode.ModbusTimeout) c.timeouts++;
    else if (error.code === ErrorCode.ModbusCrc) c.crcErrors++;
    else if (error.code === ErrorCode.ModbusFrame) c.badFrames++;
    if (job.settled) return;
    if (this.closed) {
      settle(job, new Orv3Error(ErrorCode.TransportClosed, 'Modbus client closed'));
      return;
    }
    if (RETRYABLE.has(error.code) && this.retry(job)) return;
    settle(job, error);
  }

  /** Re-queues a read at the head of its class after its backoff; false when it may not retry. */
  private retry(job: Job): boolean {
    if (job.retriesLeft <= 0 || this.closed) return false;
    job.retriesLeft--;
    job.attempt++;
    const backoff = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (job.attempt - 1));
    job.notBeforeMs = this.clock.nowMs() + backoff;
    this.queue.unshift(job);
    return true;
  }
}

function readValues(r: ModbusResponse | null): Uint16Array {
  // submit() refuses broadcast reads, and the transports check the response kind.
  if (r === null || r.kind !== 'read')
    throw new Orv3Error(ErrorCode.ModbusFrame, 'not a read response');
  return r.values;
}
