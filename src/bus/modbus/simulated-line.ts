/**
 * The simulated twin of a serial line: an in-process slave endpoint behind the RTU timing model.
 * Writing a request costs its wire time on the injected Clock; the endpoint then answers (or
 * stays silent) and the response arrives after the device turnaround plus its own wire time. On
 * a VirtualClock, bus transactions thus cost simulated time exactly as the model says.
 *
 * src/bus must not import sim/: the endpoint is a plain function supplied by the caller (a sim
 * RTU slave, or a test's fake device).
 */
import type { Clock } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import {
  DEFAULT_TURNAROUND_US,
  effectiveTurnaroundUs,
  rtuTiming,
  wireTimeUs,
  type RtuTiming,
} from '../../protocol/modbus/index.js';
import { LineEvents, type DataListener, type SerialLine } from './serial-line.js';

/** A reply with its own turnaround (a slow device, a device that measured differently). */
export interface SimulatedReply {
  readonly bytes: Uint8Array;
  /** End of request → first response byte, µs (floored at t3.5 like any spec slave). */
  readonly turnaroundUs?: number;
}

/**
 * Sees every request frame on the line, called when its last byte has arrived (`requestEndUs`,
 * the clock's time in µs); returns the response bytes, or null for silence.
 */
export type SlaveEndpoint = (
  request: Uint8Array,
  requestEndUs: number,
) => Uint8Array | SimulatedReply | null;

export interface SimulatedLineOptions {
  readonly clock: Clock;
  readonly baudRate: number;
  readonly endpoint: SlaveEndpoint;
  /** Default DEFAULT_TURNAROUND_US (2 ms). */
  readonly turnaroundUs?: number;
  /** Wire records kept in `transcript` (default 256; 0 keeps none). */
  readonly transcriptSize?: number;
}

export interface WireRecord {
  readonly dir: 'tx' | 'rx';
  readonly startUs: number;
  readonly endUs: number;
  readonly bytes: Uint8Array;
}

export interface SimulatedLineStats {
  txFrames: number;
  rxFrames: number;
  /** Requests started less than t3.5 after the previous frame ended (a master bug). */
  silenceViolations: number;
  /** Requests started while a response was still due or on the wire (a late slave). */
  collisions: number;
}

export class SimulatedLine implements SerialLine {
  readonly kind = 'simulated';
  readonly preciseTimestamps = true;
  readonly stats: SimulatedLineStats = {
    txFrames: 0,
    rxFrames: 0,
    silenceViolations: 0,
    collisions: 0,
  };
  readonly transcript: WireRecord[] = [];
  private readonly clock: Clock;
  private readonly endpoint: SlaveEndpoint;
  private readonly turnaroundUs: number;
  private readonly transcriptSize: number;
  private readonly events = new LineEvents();
  private timing: RtuTiming;
  private lastFrameEndUs: number | null = null;
  private busyUntilUs = -Infinity;
  private closed = false;

  constructor(opts: SimulatedLineOptions) {
    this.clock = opts.clock;
    this.endpoint = opts.endpoint;
    this.timing = rtuTiming(opts.baudRate);
    this.turnaroundUs = opts.turnaroundUs ?? DEFAULT_TURNAROUND_US;
    this.transcriptSize = opts.transcriptSize ?? 256;
  }

  get baudRate(): number {
    return this.timing.baudRate;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Orv3Error(ErrorCode.TransportClosed, 'simulated line is closed');
    const frame = bytes.slice();
    const startUs = this.nowUs();
    // Float ms ↔ µs round trips: allow a nanosecond before calling it a violation.
    if (this.lastFrameEndUs !== null && startUs - this.lastFrameEndUs < this.timing.t35Us - 1e-3) {
      this.stats.silenceViolations++;
    }
    if (this.busyUntilUs > startUs) this.stats.collisions++;
    await this.clock.sleep(wireTimeUs(frame.length, this.timing) / 1000);
    if (this.closed)
      throw new Orv3Error(ErrorCode.TransportClosed, 'simulated line closed mid-write');
    const endUs = this.nowUs();
    this.stats.txFrames++;
    this.lastFrameEndUs = endUs;
    this.record({ dir: 'tx', startUs, endUs, bytes: frame });
    this.answer(frame, endUs);
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

  async setBaudRate(baudRate: number): Promise<void> {
    this.timing = rtuTiming(baudRate);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events.emitClose();
  }

  private answer(request: Uint8Array, requestEndUs: number): void {
    let reply: Uint8Array | SimulatedReply | null;
    try {
      reply = this.endpoint(request, requestEndUs);
    } catch (e) {
      // A throwing endpoint is a simulator bug; surface it rather than pretend the device is mute.
      this.events.emitError(
        new Orv3Error(ErrorCode.TransportIo, `simulated slave failed: ${String(e)}`, { cause: e }),
      );
      return;
    }
    if (reply === null) return;
    const bytes = (reply instanceof Uint8Array ? reply : reply.bytes).slice();
    if (bytes.length === 0) return;
    const turnaround =
      reply instanceof Uint8Array ? this.turnaroundUs : (reply.turnaroundUs ?? this.turnaroundUs);
    const startUs = requestEndUs + effectiveTurnaroundUs(this.timing, turnaround);
    const endUs = startUs + wireTimeUs(bytes.length, this.timing);
    this.busyUntilUs = Math.max(this.busyUntilUs, endUs);
    // One chunk at the time its last byte has arrived, as a UART FIFO would hand it over.
    this.clock.setTimeout(
      () => {
        if (this.closed) return;
        this.stats.rxFrames++;
        this.lastFrameEndUs = endUs;
        this.record({ dir: 'rx', startUs, endUs, bytes });
        this.events.emitData(bytes, endUs);
      },
      (endUs - this.nowUs()) / 1000,
    );
  }

  private record(r: WireRecord): void {
    if (this.transcriptSize === 0) return;
    this.transcript.push(r);
    if (this.transcript.length > this.transcriptSize) this.transcript.shift();
  }

  private nowUs(): number {
    return this.clock.nowMs() * 1000;
  }
}
