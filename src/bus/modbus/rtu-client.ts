/**
 * Modbus RTU master over a SerialLine (a real port or the simulated twin). On top of the shared
 * queue/retry logic it owns the line discipline: a t3.5 silence before every request (measured
 * from the last byte seen in either direction), framing of responses by length, a CRC check on
 * every frame, and matching of each frame against the outstanding request — a frame from another
 * unit, or one that answers a different request (a late answer to an earlier one), is counted as
 * a bad frame and ignored while the real answer may still come.
 *
 * RTU carries no transaction id, so a response arriving after its timeout could be taken for the
 * answer to the next request to the same unit. After a timeout the client therefore keeps the
 * line quiet for `lateResponseGuardMs` (extended by any byte that arrives) before sending again.
 */
import { ErrorCode, Orv3Error } from '../../errors.js';
import {
  DEFAULT_TURNAROUND_US,
  RtuFrameDecoder,
  decodeResponsePdu,
  encodeRtuRequest,
  requestTransactionUs,
  responseMismatch,
  rtuTiming,
  ModbusFrameError,
  type ModbusRequest,
  type RtuStreamEvent,
  type RtuTiming,
} from '../../protocol/modbus/index.js';
import type { TimerHandle } from '../../clock/index.js';
import type { Priority, UnitOptions } from './client.js';
import {
  InFlight,
  QueuedModbusClient,
  asOrv3,
  type Attempt,
  type AttemptResult,
  type QueuedClientOptions,
} from './base-client.js';
import type { SerialLine } from './serial-line.js';

export interface RtuClientOptions extends QueuedClientOptions {
  readonly line: SerialLine;
  /** Default timeout = this + the modelled transaction time (default 100 ms). */
  readonly timeoutBaseMs?: number;
  /** Device turnaround for the modelled transaction time, µs (default 2 ms); per unit too. */
  readonly turnaroundUs?: number;
  /** Quiet line time after a timeout before the next request (default 50 ms). */
  readonly lateResponseGuardMs?: number;
  /** Time slaves get to act on a broadcast before the next request (default 100 ms). */
  readonly broadcastDelayMs?: number;
  /**
   * Silence that ends a frame when the line's timestamps are coarse (OS ports; default 20 ms,
   * above USB adapters' latency timers). Precise lines use t3.5.
   */
  readonly coarseSilenceMs?: number;
}

export interface RtuLineCounters {
  /** Frames or garbage that arrived with no request outstanding. */
  unsolicited: number;
}

interface Pending {
  readonly attempt: Attempt;
  readonly startMs: number;
  timer: TimerHandle | undefined;
  readonly resolve: (r: AttemptResult) => void;
  readonly reject: (e: Orv3Error) => void;
}

export class ModbusRtuClient extends QueuedModbusClient {
  readonly transport = 'rtu';
  readonly lineCounters: RtuLineCounters = { unsolicited: 0 };
  private readonly line: SerialLine;
  private readonly timeoutBaseMs: number;
  private readonly turnaroundUs: number;
  private readonly guardMs: number;
  private readonly broadcastDelayMs: number;
  private readonly coarseSilenceMs: number;
  private timing: RtuTiming;
  private decoder: RtuFrameDecoder;
  private readonly inflight = new InFlight<Pending>(this.clock);
  private pollTimer: TimerHandle | undefined;
  private lastActivityMs = -Infinity;
  private quietUntilMs = -Infinity;
  private readonly unsubscribe: (() => void)[];

  constructor(opts: RtuClientOptions) {
    super(opts);
    this.line = opts.line;
    this.timeoutBaseMs = opts.timeoutBaseMs ?? 100;
    this.turnaroundUs = opts.turnaroundUs ?? DEFAULT_TURNAROUND_US;
    this.guardMs = opts.lateResponseGuardMs ?? 50;
    this.broadcastDelayMs = opts.broadcastDelayMs ?? 100;
    this.coarseSilenceMs = opts.coarseSilenceMs ?? 20;
    this.timing = rtuTiming(this.line.baudRate);
    this.decoder = this.newDecoder();
    this.unsubscribe = [
      this.line.onData((bytes, atUs) => this.onData(bytes, atUs)),
      this.line.onError((e) => {
        if (this.inflight.current) this.inflight.fail(this.inflight.current, e);
      }),
      this.line.onClose(() => void this.close()),
    ];
  }

  get baudRate(): number {
    return this.timing.baudRate;
  }

  /** Changes the line speed between requests (those queued before it run at the old rate). */
  setBaudRate(baudRate: number, priority: Priority = 'control'): Promise<void> {
    return this.exclusive(priority, async () => {
      await this.line.setBaudRate(baudRate);
      this.timing = rtuTiming(baudRate);
      this.decoder = this.newDecoder();
    });
  }

  protected defaultTimeoutMs(request: ModbusRequest, unit: UnitOptions | undefined): number {
    const turnaround = unit?.turnaroundUs ?? this.turnaroundUs;
    return this.timeoutBaseMs + requestTransactionUs(request, this.timing, turnaround) / 1000;
  }

  protected isBroadcast(unit: number): boolean {
    return unit === 0;
  }

  protected maxUnit(): number {
    return 247;
  }

  protected async closeTransport(): Promise<void> {
    this.clock.clearTimer(this.pollTimer);
    if (this.inflight.current)
      this.inflight.fail(this.inflight.current, new Orv3Error(ErrorCode.TransportClosed, 'closed'));
    for (const u of this.unsubscribe) u();
    await this.line.close();
  }

  protected async attempt(a: Attempt): Promise<AttemptResult> {
    await this.waitForQuietLine();
    // Whatever is left in the decoder is older than t3.5 and belongs to no request of ours.
    for (const ev of this.decoder.poll(Infinity)) this.handle(ev);
    this.decoder.reset();
    const adu = encodeRtuRequest(a.unit, a.request);
    const startMs = this.clock.nowMs();
    return new Promise<AttemptResult>((resolve, reject) => {
      const p: Pending = { attempt: a, startMs, timer: undefined, resolve, reject };
      this.inflight.current = p;
      if (a.unit !== 0) {
        p.timer = this.clock.setTimeout(() => this.timedOut(p), a.timeoutMs);
      }
      this.line.write(adu).then(
        () => {
          this.lastActivityMs = Math.max(this.lastActivityMs, this.clock.nowMs());
          if (a.unit === 0 && this.inflight.current === p) {
            this.quietUntilMs = this.clock.nowMs() + this.broadcastDelayMs;
            this.inflight.finish(p, { response: null, latencyMs: this.clock.nowMs() - startMs });
          }
        },
        (e: unknown) => this.inflight.fail(p, asOrv3(e)),
      );
    });
  }

  private newDecoder(): RtuFrameDecoder {
    const precise = this.line.preciseTimestamps;
    return new RtuFrameDecoder({
      role: 'master',
      timing: this.timing,
      checkInterCharGap: precise,
      silenceUs: precise
        ? this.timing.t35Us
        : Math.max(this.timing.t35Us, this.coarseSilenceMs * 1000),
    });
  }

  private async waitForQuietLine(): Promise<void> {
    for (;;) {
      if (this.closed) throw new Orv3Error(ErrorCode.TransportClosed, 'Modbus client closed');
      const now = this.clock.nowMs();
      let quietAt = Math.max(this.lastActivityMs + this.timing.t35Us / 1000, this.quietUntilMs);
      const due = this.decoder.nextDeadlineUs();
      if (due !== null) quietAt = Math.max(quietAt, due / 1000);
      // A nanosecond of slack for float ms arithmetic on the clocks.
      if (now >= quietAt - 1e-6) return;
      await this.clock.sleep(quietAt - now);
    }
  }

  private onData(bytes: Uint8Array, atUs: number): void {
    this.lastActivityMs = Math.max(this.lastActivityMs, atUs / 1000);
    for (const ev of this.decoder.push(bytes, atUs)) this.handle(ev);
    this.schedulePoll();
  }

  private schedulePoll(): void {
    this.clock.clearTimer(this.pollTimer);
    this.pollTimer = undefined;
    const due = this.decoder.nextDeadlineUs();
    if (due === null) return;
    this.pollTimer = this.clock.setTimeout(
      () => {
        this.pollTimer = undefined;
        for (const ev of this.decoder.poll(this.clock.nowMs() * 1000)) this.handle(ev);
        this.schedulePoll();
      },
      Math.max(0, due / 1000 - this.clock.nowMs()),
    );
  }

  private handle(ev: RtuStreamEvent): void {
    const p = this.inflight.current;
    if (!p || p.attempt.unit === 0) {
      this.lineCounters.unsolicited++;
      return;
    }
    if (ev.type === 'error') {
      // A garbled frame while we wait is almost surely our answer: fail now, a read retries.
      this.inflight.fail(p, ev.error);
      return;
    }
    const { unit, request } = p.attempt;
    if (ev.frame.unit !== unit) {
      this.countersOf(unit).badFrames++;
      return;
    }
    let response;
    try {
      response = decodeResponsePdu(ev.frame.pdu);
    } catch (e) {
      this.inflight.fail(p, e instanceof ModbusFrameError ? e : asOrv3(e));
      return;
    }
    if (responseMismatch(request, response) !== undefined) {
      // Right unit, wrong answer: a late response to an earlier request. Keep waiting.
      this.countersOf(unit).badFrames++;
      return;
    }
    this.inflight.finish(p, { response, latencyMs: this.clock.nowMs() - p.startMs });
  }

  private timedOut(p: Pending): void {
    if (this.inflight.current !== p) return;
    this.quietUntilMs = this.clock.nowMs() + this.guardMs;
    const { unit, request, timeoutMs } = p.attempt;
    this.inflight.fail(
      p,
      new Orv3Error(
        ErrorCode.ModbusTimeout,
        `unit ${unit}: no response in ${timeoutMs.toFixed(1)} ms`,
        {
          unit,
          fc: request.fc,
          timeoutMs,
        },
      ),
    );
  }
}
