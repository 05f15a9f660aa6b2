/**
 * The simulated devices of one RS-485 line as Modbus RTU slaves (Modbus over Serial Line v1.02),
 * without I/O: fed the bytes a master sends with their arrival times, it returns what the line
 * carries back and when. The transport (serial-server.ts, or a test) does the waiting.
 *
 * As a real multi-drop line:
 * - frames are split by the protocol's RtuFrameDecoder; a frame counts as ended only after a
 *   t3.5 silence, even when its length already told where it ends — bytes arriving sooner make
 *   it part of a longer, broken frame, which a real slave discards;
 * - a bad CRC, a t1.5 gap inside a frame, a truncated or over-long frame: dropped silently and
 *   counted (the frame may not even be addressed to us, so nobody may answer it);
 * - an address nobody here has, or a device that is not responding (PSU controller cold): silence;
 * - broadcast (address 0) writes are applied by every device and never answered; broadcast reads
 *   are meaningless in the spec and ignored;
 * - exception 01 for a function we do not serve, 03 for a malformed request, 02/03 as the device
 *   refuses an address or value, 04 when the device itself fails.
 *
 * Timing, aligned with src/protocol's model: the device turnaround (DEFAULT_TURNAROUND_US) is the
 * time from the end of the request to the first byte of the response and includes the slave's
 * own end-of-frame detection. So a response starts at frame end + max(t3.5, turnaround) — never
 * before the t3.5 the spec demands, and exactly what `transactionTimeUs` charges a master. It
 * also waits for any response still on the wire (one transceiver per line direction).
 */
import {
  BROADCAST_UNIT,
  DEFAULT_TURNAROUND_US,
  MAX_UNIT,
  RtuFrameDecoder,
  encodeRtuResponse,
  rtuTiming,
  wireTimeUs,
  type FrameProblem,
  type RtuFrame,
  type RtuTiming,
} from '../../src/protocol/modbus/index.js';
import {
  SlaveCounterBook,
  decodeRequest,
  execute,
  type ModbusSlaveSet,
  type SlaveCounters,
} from './slave-core.js';

export interface RtuSlaveOptions {
  readonly baudRate: number;
  /** End of request → first response byte, µs (default DEFAULT_TURNAROUND_US, 2 ms). */
  readonly turnaroundUs?: number;
  /**
   * Discard frames with a gap > t1.5 inside (default true). Turn off where arrival times are per
   * OS read, not per character (serial ports, ptys): their chunking invents gaps.
   */
  readonly checkInterCharGap?: boolean;
}

/** A response to put on the line. */
export interface RtuTransmission {
  readonly unit: number;
  readonly bytes: Uint8Array;
  /** When its first byte may start: request end + max(t3.5, turnaround), line free. */
  readonly startUs: number;
  /** When its last byte has left at the line rate. */
  readonly endUs: number;
  /** End of the request it answers. */
  readonly requestEndUs: number;
}

/** Line-wide counters (cf. the spec's bus diagnostics). */
export interface RtuLineCounters {
  bytesIn: number;
  bytesOut: number;
  /** Frames with a good CRC, whatever their address ("bus message count"). */
  frames: number;
  /** Frames dropped for a bad CRC ("bus communication error count"). */
  crcErrors: number;
  /** Frames dropped for framing: t1.5 gap, truncated, too short/long, no t3.5 after the frame. */
  framingErrors: number;
  /** Good frames for addresses no device here has (another slave's traffic, or nobody's). */
  otherAddress: number;
  /** Requests addressed to a device that was not responding. */
  noResponse: number;
  broadcasts: number;
  /** Responses sent (normal and exception). */
  responses: number;
  exceptions: number;
}

/** A frame whose length ended it, waiting for the t3.5 silence that confirms the end. */
interface Pending {
  readonly frame: RtuFrame;
  readonly endUs: number;
}

export class RtuSlave {
  readonly timing: RtuTiming;
  readonly turnaroundUs: number;
  readonly line: RtuLineCounters = {
    bytesIn: 0,
    bytesOut: 0,
    frames: 0,
    crcErrors: 0,
    framingErrors: 0,
    otherAddress: 0,
    noResponse: 0,
    broadcasts: 0,
    responses: 0,
    exceptions: 0,
  };
  private readonly book = new SlaveCounterBook();
  private readonly decoder: RtuFrameDecoder;
  private readonly slaves: ModbusSlaveSet;
  private pending: Pending[] = [];
  /** Bytes since the last t3.5 silence belong to a broken frame: nothing in them is served. */
  private tainted = false;
  private lastByteUs: number | null = null;
  /** When the last response scheduled has left the line. */
  private busyUntilUs = -Infinity;

  constructor(slaves: ModbusSlaveSet, options: RtuSlaveOptions) {
    this.slaves = slaves;
    this.timing = rtuTiming(options.baudRate);
    this.turnaroundUs = options.turnaroundUs ?? DEFAULT_TURNAROUND_US;
    if (!(this.turnaroundUs >= 0)) throw new RangeError('turnaround must be ≥ 0 µs');
    this.decoder = new RtuFrameDecoder({
      role: 'slave',
      timing: this.timing,
      checkInterCharGap: options.checkInterCharGap ?? true,
    });
  }

  /** Per-device counters (created on first use). */
  device(unit: number): SlaveCounters {
    return this.book.device(unit);
  }

  /** Addresses with counters so far. */
  units(): number[] {
    return this.book.units();
  }

  /**
   * Bytes from the line; `atUs` is when the chunk's last byte arrived (its earlier bytes are
   * taken to have arrived back to back before it). Returns the responses now due to be sent.
   */
  receive(bytes: Uint8Array, atUs: number): RtuTransmission[] {
    if (bytes.length === 0) return [];
    this.line.bytesIn += bytes.length;
    const firstStartUs = atUs - wireTimeUs(bytes.length, this.timing);
    const out = this.settle(firstStartUs);
    if (this.pending.length > 0) {
      // This chunk follows a length-ended frame sooner than t3.5: on the wire that is one
      // longer frame with a gap inside, so the frame and everything up to the next silence go.
      this.line.framingErrors += this.pending.length;
      this.pending = [];
      this.tainted = true;
    }
    const taintBefore = this.tainted;
    if (this.lastByteUs === null || firstStartUs - this.lastByteUs >= this.timing.t35Us - 1e-3) {
      this.tainted = false;
    }
    this.lastByteUs = atUs;
    const events = this.decoder.push(bytes, atUs);
    events.forEach((ev, i) => {
      if (ev.type !== 'frame') return this.countError(ev.error.problem);
      // A frame ended by silence here is the one held before this chunk's leading gap.
      const tainted = ev.by === 'silence' ? taintBefore : this.tainted;
      // Ended by its length, but more bytes came right behind it in the same chunk.
      const followed = ev.by === 'length' && (i < events.length - 1 || this.decoder.pending > 0);
      if (followed) this.tainted = true;
      if (followed || tainted) this.line.framingErrors++;
      else this.pending.push({ frame: ev.frame, endUs: ev.endUs });
    });
    out.push(...this.settle(atUs));
    return out;
  }

  /** Time passed without bytes; call at nextDeadlineUs(). Returns the responses now due. */
  poll(nowUs: number): RtuTransmission[] {
    for (const ev of this.decoder.poll(nowUs)) {
      if (ev.type !== 'frame') this.countError(ev.error.problem);
      else if (this.tainted) this.line.framingErrors++;
      else this.pending.push({ frame: ev.frame, endUs: ev.endUs });
    }
    if (this.lastByteUs !== null && nowUs + 1e-3 >= this.lastByteUs + this.timing.t35Us) {
      this.tainted = false;
    }
    return this.settle(nowUs);
  }

  /** When poll() next has work (a frame end to confirm), or null. */
  nextDeadlineUs(): number | null {
    const held = this.pending[0];
    const own = held === undefined ? null : held.endUs + this.timing.t35Us;
    const dec = this.decoder.nextDeadlineUs();
    if (own === null) return dec;
    return dec === null ? own : Math.min(own, dec);
  }

  private countError(problem: FrameProblem): void {
    if (problem === 'crc') this.line.crcErrors++;
    else this.line.framingErrors++;
  }

  /** Serves the pending frames whose t3.5 silence has passed by `nowUs`. */
  private settle(nowUs: number): RtuTransmission[] {
    const out: RtuTransmission[] = [];
    // Same µs of slack as the decoder: deadlines round-trip through float ms on the clocks.
    while (this.pending.length > 0 && this.pending[0]!.endUs + this.timing.t35Us <= nowUs + 1e-3) {
      const p = this.pending.shift()!;
      const tx = this.serve(p.frame, p.endUs);
      if (tx !== undefined) out.push(tx);
    }
    return out;
  }

  private serve(frame: RtuFrame, endUs: number): RtuTransmission | undefined {
    this.line.frames++;
    const { unit, pdu } = frame;
    if (unit === BROADCAST_UNIT) {
      this.broadcast(pdu);
      return undefined;
    }
    // 248–255 are reserved: no slave may answer them, whatever the directory says.
    const slave = unit > MAX_UNIT ? undefined : this.slaves.modbus(unit);
    if (slave === undefined) {
      this.line.otherAddress++;
      return undefined;
    }
    const c = this.book.device(unit);
    c.requests++;
    if (!slave.responding) {
      c.noResponse++;
      this.line.noResponse++;
      return undefined;
    }
    const decoded = decodeRequest(pdu);
    const resp = decoded.ok ? execute(slave, decoded.request) : decoded.exception;
    if (resp === undefined) {
      this.line.framingErrors++;
      return undefined;
    }
    this.book.countResponse(unit, resp);
    this.line.responses++;
    if (resp.kind === 'exception') this.line.exceptions++;
    const bytes = encodeRtuResponse(unit, resp);
    const startUs = Math.max(
      endUs + Math.max(this.timing.t35Us, this.turnaroundUs),
      this.busyUntilUs,
    );
    const txEndUs = startUs + wireTimeUs(bytes.length, this.timing);
    this.busyUntilUs = txEndUs;
    this.line.bytesOut += bytes.length;
    return { unit, bytes, startUs, endUs: txEndUs, requestEndUs: endUs };
  }

  private broadcast(pdu: Uint8Array): void {
    this.line.broadcasts++;
    const decoded = decodeRequest(pdu);
    if (!decoded.ok || decoded.request.fc === 0x03 || decoded.request.fc === 0x04) return;
    for (const { modbusAddress } of this.slaves.list()) {
      const slave = this.slaves.modbus(modbusAddress);
      if (slave === undefined || !slave.responding) continue;
      const c = this.book.device(modbusAddress);
      if (execute(slave, decoded.request).kind === 'exception') c.broadcastRefused++;
      else c.broadcastWrites++;
    }
  }
}
