/**
 * Modbus TCP master over node:net (MBAP framing, transaction ids). For the simulator's TCP server
 * and bench gateways. One request outstanding per connection: Modbus TCP allows pipelining, but
 * behind a TCP→RTU gateway the serial line serialises anyway, and one outstanding request keeps
 * the queue, priorities and counters identical to RTU. Transaction ids make a late response
 * harmless (it carries an old id and is counted as a bad frame), so no guard time is needed.
 *
 * The connection is opened on the first request and re-opened after a loss, waiting an
 * exponential backoff after consecutive failures; the request in flight when a connection drops
 * fails with TransportIo (reads retry). Timers come from the injected Clock; the socket is real.
 */
import { Socket } from 'node:net';
import { ErrorCode, Orv3Error } from '../../errors.js';
import {
  MbapStreamSplitter,
  ModbusFrameError,
  decodeResponsePdu,
  encodeTcpRequest,
  responseMismatch,
  type ModbusRequest,
  type TcpStreamEvent,
} from '../../protocol/modbus/index.js';
import type { TimerHandle } from '../../clock/index.js';
import type { UnitOptions } from './client.js';
import {
  InFlight,
  QueuedModbusClient,
  asOrv3,
  type Attempt,
  type AttemptResult,
  type QueuedClientOptions,
} from './base-client.js';

export interface TcpClientOptions extends QueuedClientOptions {
  readonly host: string;
  readonly port: number;
  /** Response timeout default, ms (default 500: a gateway may be polling a slow serial line). */
  readonly timeoutMs?: number;
  /** Default 1000 ms. */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff after the first failure, doubled per failure up to the max (100 / 5000 ms). */
  readonly reconnectBackoffMs?: number;
  readonly maxReconnectBackoffMs?: number;
  /** The serial line behind a gateway, for callers that budget line time (default 0: unknown). */
  readonly baudRate?: number;
}

interface Pending {
  readonly attempt: Attempt;
  readonly transactionId: number;
  readonly startMs: number;
  timer: TimerHandle | undefined;
  readonly resolve: (r: AttemptResult) => void;
  readonly reject: (e: Orv3Error) => void;
}

export class ModbusTcpClient extends QueuedModbusClient {
  readonly transport = 'tcp';
  readonly baudRate: number;
  /** Connections opened so far (reconnects = connects - 1). */
  connects = 0;
  private readonly host: string;
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private failures = 0;
  private lastFailureMs = -Infinity;
  private splitter = new MbapStreamSplitter();
  private nextTid = 1;
  private readonly inflight = new InFlight<Pending>(this.clock);

  constructor(opts: TcpClientOptions) {
    super(opts);
    this.host = opts.host;
    this.port = opts.port;
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 1000;
    this.backoffBaseMs = opts.reconnectBackoffMs ?? 100;
    this.backoffMaxMs = opts.maxReconnectBackoffMs ?? 5000;
    this.baudRate = opts.baudRate ?? 0;
  }

  protected defaultTimeoutMs(_request: ModbusRequest, _unit: UnitOptions | undefined): number {
    return this.timeoutMs;
  }

  /** TCP has no broadcast: unit 0 is an ordinary (often "this device") address. */
  protected isBroadcast(_unit: number): boolean {
    return false;
  }

  protected maxUnit(): number {
    return 255;
  }

  protected async closeTransport(): Promise<void> {
    if (this.inflight.current)
      this.inflight.fail(this.inflight.current, new Orv3Error(ErrorCode.TransportClosed, 'closed'));
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }

  protected async attempt(a: Attempt): Promise<AttemptResult> {
    const socket = await this.connect();
    const transactionId = this.nextTid;
    this.nextTid = (this.nextTid % 0xffff) + 1;
    const adu = encodeTcpRequest(transactionId, a.unit, a.request);
    const startMs = this.clock.nowMs();
    return new Promise<AttemptResult>((resolve, reject) => {
      const p: Pending = { attempt: a, transactionId, startMs, timer: undefined, resolve, reject };
      this.inflight.current = p;
      p.timer = this.clock.setTimeout(() => {
        this.inflight.fail(
          p,
          new Orv3Error(
            ErrorCode.ModbusTimeout,
            `unit ${a.unit}: no response in ${a.timeoutMs} ms`,
            {
              unit: a.unit,
              fc: a.request.fc,
              transactionId,
              timeoutMs: a.timeoutMs,
            },
          ),
        );
      }, a.timeoutMs);
      socket.write(adu, (err) => {
        if (err) this.inflight.fail(p, io(`write to ${this.host}:${this.port} failed`, err));
      });
    });
  }

  private connect(): Promise<Socket> {
    if (this.closed) return Promise.reject(new Orv3Error(ErrorCode.TransportClosed, 'closed'));
    if (this.socket) return Promise.resolve(this.socket);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<Socket> {
    if (this.failures > 0) {
      const backoff = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (this.failures - 1));
      const wait = this.lastFailureMs + backoff - this.clock.nowMs();
      if (wait > 0) await this.clock.sleep(wait);
    }
    if (this.closed) throw new Orv3Error(ErrorCode.TransportClosed, 'closed');
    const socket = new Socket();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = this.clock.setTimeout(() => {
          socket.destroy();
          reject(io(`connect to ${this.host}:${this.port} timed out`, undefined));
        }, this.connectTimeoutMs);
        socket.once('error', (err) => {
          this.clock.clearTimer(timer);
          reject(io(`connect to ${this.host}:${this.port} failed: ${err.message}`, err));
        });
        socket.connect(this.port, this.host, () => {
          this.clock.clearTimer(timer);
          resolve();
        });
      });
    } catch (e) {
      this.failures++;
      this.lastFailureMs = this.clock.nowMs();
      throw e;
    }
    if (this.closed) {
      socket.destroy();
      throw new Orv3Error(ErrorCode.TransportClosed, 'closed');
    }
    this.failures = 0;
    this.connects++;
    socket.setNoDelay(true);
    this.splitter = new MbapStreamSplitter();
    socket.on('data', (chunk: Buffer) => this.onData(socket, new Uint8Array(chunk)));
    socket.on('error', () => undefined); // 'close' follows and does the work
    socket.on('close', () => this.dropped(socket, 'connection closed by peer'));
    this.socket = socket;
    return socket;
  }

  private dropped(socket: Socket, why: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.failures++;
    this.lastFailureMs = this.clock.nowMs();
    if (this.inflight.current)
      this.inflight.fail(this.inflight.current, io(`${this.host}:${this.port}: ${why}`, undefined));
  }

  private onData(socket: Socket, chunk: Uint8Array): void {
    for (const ev of this.splitter.push(chunk)) this.handle(socket, ev);
  }

  private handle(socket: Socket, ev: TcpStreamEvent): void {
    const p = this.inflight.current;
    if (ev.type === 'error') {
      // MBAP has no resync marker: a bad header means the stream is lost; start afresh.
      if (p) this.inflight.fail(p, ev.error);
      this.dropped(socket, ev.error.message);
      socket.destroy();
      return;
    }
    const f = ev.frame;
    if (!p || f.transactionId !== p.transactionId || f.unit !== p.attempt.unit) {
      // A late answer (old transaction id) or a confused server: counted, ignored.
      if (p) this.countersOf(p.attempt.unit).badFrames++;
      return;
    }
    let response;
    try {
      response = decodeResponsePdu(f.pdu);
    } catch (e) {
      this.inflight.fail(p, e instanceof ModbusFrameError ? e : asOrv3(e));
      return;
    }
    const why = responseMismatch(p.attempt.request, response);
    if (why !== undefined) {
      // Same transaction id, wrong content: the server is wrong, not late. Fail the attempt.
      this.inflight.fail(
        p,
        new ModbusFrameError('mismatch', why, { unit: f.unit, transactionId: f.transactionId }),
      );
      return;
    }
    this.inflight.finish(p, { response, latencyMs: this.clock.nowMs() - p.startMs });
  }
}

function io(message: string, cause: unknown): Orv3Error {
  return new Orv3Error(ErrorCode.TransportIo, message, cause === undefined ? {} : { cause });
}
