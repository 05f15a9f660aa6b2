/**
 * SerialLine over the `serialport` package: a path opened at a baud rate, 8 data bits, no parity,
 * 1 stop bit by default. Arrival times come from the injected Clock when Node reads a chunk, so
 * they are coarse (USB adapters batch bytes for milliseconds): the RTU client frames by length and
 * only trusts long silences here. Ptys (socat pairs) ignore the baud rate entirely — line time on
 * them comes from the timing model, not from the port.
 */
import { SerialPort, type SerialPortMock } from 'serialport';
import type { Clock } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { LineEvents, type DataListener, type SerialLine } from './serial-line.js';

export type Parity = 'none' | 'even' | 'odd';

export interface SerialPortLineOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly clock: Clock;
  /** Default 'none'. Some RS-485 devices want 'even' (8E1, the spec's default). */
  readonly parity?: Parity;
  /** Default 1 (the spec asks for 2 without parity; most devices accept 1). */
  readonly stopBits?: 1 | 2;
  /** Port factory, for tests (a SerialPortMock) — the real SerialPort by default. */
  readonly createPort?: (o: PortOpenOptions) => SerialPort | SerialPortMock;
}

export interface PortOpenOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly dataBits: 8;
  readonly parity: Parity;
  readonly stopBits: 1 | 2;
  readonly autoOpen: false;
}

/** Opens the port; rejects with TransportIo when it cannot. */
export async function openSerialPortLine(opts: SerialPortLineOptions): Promise<SerialPortLine> {
  const o: PortOpenOptions = {
    path: opts.path,
    baudRate: opts.baudRate,
    dataBits: 8,
    parity: opts.parity ?? 'none',
    stopBits: opts.stopBits ?? 1,
    autoOpen: false,
  };
  const port = opts.createPort ? opts.createPort(o) : new SerialPort(o);
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(io(`cannot open ${opts.path}`, err)) : resolve())),
  );
  return new SerialPortLine(port, opts.path, opts.clock);
}

export class SerialPortLine implements SerialLine {
  readonly kind = 'serial';
  readonly preciseTimestamps = false;
  private readonly events = new LineEvents();
  private closed = false;

  constructor(
    private readonly port: SerialPort | SerialPortMock,
    readonly path: string,
    private readonly clock: Clock,
  ) {
    port.on('data', (chunk: Buffer) => {
      this.events.emitData(new Uint8Array(chunk), this.clock.nowMs() * 1000);
    });
    port.on('error', (err: Error) => this.events.emitError(io(`${path}: ${err.message}`, err)));
    port.on('close', () => {
      this.closed = true;
      this.events.emitClose();
    });
  }

  get baudRate(): number {
    return this.port.baudRate;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(closedError(this.path));
    return new Promise<void>((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => {
        if (err) reject(io(`write to ${this.path} failed`, err));
      });
      // drain() waits for tcdrain: the bytes have left the UART, so the silence starts now.
      this.port.drain((err) => (err ? reject(io(`drain of ${this.path} failed`, err)) : resolve()));
    });
  }

  onData(listener: DataListener): () => void {
    return this.events.onData(listener);
  }

  onError(listener: (error: Orv3Error) => void): () => void {
    return this.events.onError(listener);
  }

  onClose(listener: () => void): () => void {
    return this.events.onClose(listener);
  }

  setBaudRate(baudRate: number): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.port.update({ baudRate }, (err) =>
        err ? reject(io(`cannot set ${this.path} to ${baudRate} baud`, err)) : resolve(),
      ),
    );
  }

  close(): Promise<void> {
    if (this.closed || !this.port.isOpen) {
      this.closed = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}

function io(message: string, cause: unknown): Orv3Error {
  return new Orv3Error(ErrorCode.TransportIo, message, { cause });
}

function closedError(path: string): Orv3Error {
  return new Orv3Error(ErrorCode.TransportClosed, `${path} is closed`);
}
