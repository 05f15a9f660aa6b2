/**
 * The RTU slave engine on a serial port: a real RS-485 adapter, or one end of a socat pty pair.
 * Arrival times come from the injected Clock; responses are written when the timing model says.
 *
 * Pacing. A real UART clocks bytes at the baud rate by itself: a chunk is read after its last
 * byte arrived, and a response is handed to the UART at its start time. A pty ignores the baud
 * rate and moves bytes at once, so there both directions are paced by the model instead: a chunk
 * counts as ending when its bytes, clocked from the moment they came, would have arrived, and a
 * response is handed over when its last byte would have left. A master on the other end then
 * measures the round trip a real line would give it (request + turnaround + response).
 * `wireKindOf` picks 'instant' for paths that resolve to /dev/pts/*, else 'uart'.
 */
import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { RealClock, type Clock, type TimerHandle } from '../../src/clock/index.js';
import { wireTimeUs } from '../../src/protocol/modbus/index.js';
import { RtuSlave, type RtuSlaveOptions, type RtuTransmission } from './rtu-slave.js';
import type { ModbusSlaveSet } from './slave-core.js';

/** The little of a serial port the server needs; a test may hand in its own. */
export interface SerialStream {
  onData(listener: (chunk: Uint8Array) => void): void;
  onError(listener: (error: Error) => void): void;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export type Parity = 'none' | 'even' | 'odd';
/** 'uart': the port paces bytes at the baud rate; 'instant': it does not (pty). */
export type WireKind = 'uart' | 'instant';

export interface SerialServerOptions extends RtuSlaveOptions {
  /** Time source for arrival stamps and response timers (default RealClock). */
  readonly clock?: Clock;
  readonly wire?: WireKind;
  /** Called on port and write errors (the server keeps running; they are counted too). */
  readonly onError?: (error: Error) => void;
}

/**
 * Opens a serial port or pty, 8 data bits. Without parity it sends 2 stop bits, the spec's
 * 11-bit RTU character; a master set to 8N1 still reads that (a receiver checks one stop bit).
 * Default 'none', as our RTU client's default.
 */
export async function openSerialPort(
  path: string,
  baudRate: number,
  parity: Parity = 'none',
): Promise<SerialStream> {
  const port = new SerialPort({
    path,
    baudRate,
    dataBits: 8,
    parity,
    stopBits: parity === 'none' ? 2 : 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return {
    onData: (l) => port.on('data', (d: Buffer) => l(new Uint8Array(d))),
    onError: (l) => port.on('error', l),
    write: (bytes) =>
      new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (e) => (e ? reject(e) : port.drain(() => resolve())));
      }),
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/** 'instant' for a pty (its baud rate is fiction), 'uart' for anything else. */
export function wireKindOf(path: string): WireKind {
  try {
    return realpathSync(path).startsWith('/dev/pts/') ? 'instant' : 'uart';
  } catch {
    return 'uart';
  }
}

export class RtuSerialServer {
  readonly slave: RtuSlave;
  readonly wire: WireKind;
  /** Port and write errors seen. */
  ioErrors = 0;
  private readonly stream: SerialStream;
  private readonly clock: Clock;
  private readonly onError: ((error: Error) => void) | undefined;
  private pollTimer: TimerHandle | undefined;
  private readonly sendTimers = new Set<TimerHandle>();
  private writes: Promise<void> = Promise.resolve();
  private closed = false;

  /** Opens `path` with serialport and serves `slaves` on it. */
  static async open(
    slaves: ModbusSlaveSet,
    path: string,
    options: SerialServerOptions & { readonly parity?: Parity },
  ): Promise<RtuSerialServer> {
    const stream = await openSerialPort(path, options.baudRate, options.parity);
    return new RtuSerialServer(slaves, stream, { wire: wireKindOf(path), ...options });
  }

  constructor(slaves: ModbusSlaveSet, stream: SerialStream, options: SerialServerOptions) {
    this.slave = new RtuSlave(slaves, options);
    this.stream = stream;
    this.clock = options.clock ?? new RealClock();
    this.wire = options.wire ?? 'uart';
    this.onError = options.onError;
    stream.onData((chunk) => {
      if (this.closed) return;
      const clockedIn = this.wire === 'instant' ? wireTimeUs(chunk.length, this.slave.timing) : 0;
      this.send(this.slave.receive(chunk, this.nowUs() + clockedIn));
      this.armPoll();
    });
    stream.onError((e) => this.fail(e));
  }

  /** Stops answering, drops responses not yet sent and closes the port. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimer(this.pollTimer);
    for (const t of this.sendTimers) this.clock.clearTimer(t);
    this.sendTimers.clear();
    await this.writes;
    await this.stream.close();
  }

  private nowUs(): number {
    return this.clock.nowMs() * 1000;
  }

  /** One timer at the engine's next deadline (a frame end to confirm by silence). */
  private armPoll(): void {
    this.clock.clearTimer(this.pollTimer);
    this.pollTimer = undefined;
    const due = this.slave.nextDeadlineUs();
    if (due === null || this.closed) return;
    this.pollTimer = this.clock.setTimeout(
      () => {
        this.pollTimer = undefined;
        // Timers may fire a hair early on float ms; the engine wants the deadline itself.
        this.send(this.slave.poll(Math.max(this.nowUs(), due)));
        this.armPoll();
      },
      Math.max(0, (due - this.nowUs()) / 1000),
    );
  }

  private send(txs: readonly RtuTransmission[]): void {
    for (const tx of txs) {
      const atUs = this.wire === 'instant' ? tx.endUs : tx.startUs;
      const t = this.clock.setTimeout(
        () => {
          this.sendTimers.delete(t);
          // Writes are chained so responses leave in order even if a write is slow.
          this.writes = this.writes
            .then(() => this.stream.write(tx.bytes))
            .catch((e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))));
        },
        Math.max(0, (atUs - this.nowUs()) / 1000),
      );
      this.sendTimers.add(t);
    }
  }

  private fail(e: Error): void {
    this.ioErrors++;
    this.onError?.(e);
  }
}
