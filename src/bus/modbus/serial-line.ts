import type { Orv3Error } from '../../errors.js';

export type DataListener = (bytes: Uint8Array, atUs: number) => void;

/**
 * A half-duplex serial line as the RTU client needs it: bytes out, bytes in with arrival times.
 * Implemented over `serialport` (SerialPortLine) and by a simulated twin (SimulatedLine) that
 * charges modelled wire time on the injected Clock.
 */
export interface SerialLine {
  readonly kind: 'serial' | 'simulated';
  /**
   * True when `atUs` is the arrival time of a chunk's last character at the line rate
   * (simulated line). False for OS ports: data arrives in chunks whose times are when Node read
   * them, so only coarse silences can be told apart.
   */
  readonly preciseTimestamps: boolean;
  readonly baudRate: number;
  /** Resolves once the bytes have left (drained to the wire). */
  write(bytes: Uint8Array): Promise<void>;
  /** `atUs`: the injected clock's time (µs) when the chunk's last byte arrived. */
  onData(listener: DataListener): () => void;
  /** I/O errors outside a write (read failures, a simulated endpoint that threw). */
  onError(listener: (error: Orv3Error) => void): () => void;
  /** The line went away (port unplugged, closed). */
  onClose(listener: () => void): () => void;
  setBaudRate(baudRate: number): Promise<void>;
  close(): Promise<void>;
}

/** Listener sets with unsubscribe, shared by the implementations. */
export class LineEvents {
  private readonly data = new Set<DataListener>();
  private readonly errors = new Set<(error: Orv3Error) => void>();
  private readonly closes = new Set<() => void>();

  onData(l: DataListener): () => void {
    this.data.add(l);
    return () => this.data.delete(l);
  }

  onError(l: (error: Orv3Error) => void): () => void {
    this.errors.add(l);
    return () => this.errors.delete(l);
  }

  onClose(l: () => void): () => void {
    this.closes.add(l);
    return () => this.closes.delete(l);
  }

  emitData(bytes: Uint8Array, atUs: number): void {
    for (const l of [...this.data]) l(bytes, atUs);
  }

  emitError(error: Orv3Error): void {
    for (const l of [...this.errors]) l(error);
  }

  emitClose(): void {
    for (const l of [...this.closes]) l();
  }
}
