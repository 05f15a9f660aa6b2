/**
 * Streaming RTU frame decoder (Modbus over Serial Line v1.02 §2.5.1.1) for both ends of a line.
 * Fed bytes with their arrival time, it yields frames and typed errors and never throws.
 *
 * A frame ends when the line has been silent for t3.5, or — as soon as it is complete — when its
 * length follows from the function code (and the byte count where there is one). The length rule
 * lets a master finish a response without waiting for the silence, and makes framing work on
 * OS serial ports whose timestamps are per chunk, not per character. A silence longer than t1.5
 * inside a frame marks it broken: it is reported as an 'inter-char-gap' error when it ends.
 *
 * Timestamps: `atUs` is when the last byte of the chunk arrived (end of its stop bit); the chunk's
 * earlier bytes are taken to have arrived back to back before it.
 */
import { ModbusFrameError } from './errors.js';
import { decodeRtuFrame, type RtuFrame } from './rtu.js';
import { RTU_MAX_ADU_BYTES, type RtuTiming } from './timing.js';

/** 'master' decodes responses, 'slave' decodes requests (their lengths follow different rules). */
export type RtuRole = 'master' | 'slave';

export type RtuStreamEvent =
  | {
      readonly type: 'frame';
      readonly frame: RtuFrame;
      readonly raw: Uint8Array;
      readonly endUs: number;
      /** How the end was found. */
      readonly by: 'length' | 'silence';
    }
  | {
      readonly type: 'error';
      readonly error: ModbusFrameError;
      readonly raw: Uint8Array;
      readonly endUs: number;
    };

export interface RtuDecoderOptions {
  readonly role: RtuRole;
  readonly timing: RtuTiming;
  /**
   * Flag gaps > t1.5 inside a frame (default true). Turn off where arrival times are not per
   * character (OS serial ports, ptys): their chunking invents gaps the wire never had.
   */
  readonly checkInterCharGap?: boolean;
  /** Silence that ends a frame (default t3.5; longer where timestamps are coarse). */
  readonly silenceUs?: number;
}

export class RtuFrameDecoder {
  private readonly role: RtuRole;
  private readonly charUs: number;
  private readonly t15Us: number;
  private readonly silenceUs: number;
  private readonly checkGap: boolean;
  private readonly buf = new Uint8Array(RTU_MAX_ADU_BYTES);
  private len = 0;
  private lastUs: number | null = null;
  private broken = false;
  /** Dropping bytes of an over-long frame until the next silence. */
  private discarding = false;

  constructor(opts: RtuDecoderOptions) {
    this.role = opts.role;
    this.charUs = opts.timing.charUs;
    this.t15Us = opts.timing.t15Us;
    this.silenceUs = opts.silenceUs ?? opts.timing.t35Us;
    this.checkGap = opts.checkInterCharGap ?? true;
  }

  /** Bytes held for an unfinished frame. */
  get pending(): number {
    return this.len;
  }

  push(bytes: Uint8Array, atUs: number): RtuStreamEvent[] {
    const out: RtuStreamEvent[] = [];
    if (bytes.length === 0) return out;
    const t = Number.isFinite(atUs) ? atUs : (this.lastUs ?? 0);
    if (this.lastUs !== null) {
      // Silence between the end of the last character and the start of this chunk's first one.
      const gap = t - bytes.length * this.charUs - this.lastUs;
      if (gap >= this.silenceUs) {
        this.finish('silence', this.lastUs, out);
      } else if (this.checkGap && gap > this.t15Us && (this.len > 0 || this.discarding)) {
        this.broken = true;
      }
    }
    for (const b of bytes) {
      if (this.discarding) continue;
      if (this.len === RTU_MAX_ADU_BYTES) {
        out.push(
          this.error('too-long', `more than ${RTU_MAX_ADU_BYTES} bytes without a frame end`, t),
        );
        this.len = 0;
        this.broken = false;
        this.discarding = true;
        continue;
      }
      this.buf[this.len++] = b;
      const expected = this.expectedLength();
      if (expected !== undefined && this.len === expected) this.finish('length', t, out);
    }
    this.lastUs = Math.max(t, this.lastUs ?? t);
    return out;
  }

  /** Ends a frame whose silence has elapsed by `nowUs`. Call it at nextDeadlineUs(). */
  poll(nowUs: number): RtuStreamEvent[] {
    const out: RtuStreamEvent[] = [];
    const due = this.nextDeadlineUs();
    // A microsecond of slack: deadlines go through float ms on the clocks and back.
    if (due !== null && this.lastUs !== null && nowUs + 1e-3 >= due)
      this.finish('silence', this.lastUs, out);
    return out;
  }

  /** When the bytes held will be ended by silence, or null when nothing is held. */
  nextDeadlineUs(): number | null {
    if (this.lastUs === null || (this.len === 0 && !this.discarding)) return null;
    return this.lastUs + this.silenceUs;
  }

  /** Drops everything held (e.g. before a master sends a new request). */
  reset(): void {
    this.len = 0;
    this.broken = false;
    this.discarding = false;
  }

  /**
   * The frame's full length when the bytes so far determine it; undefined while they do not or
   * for functions we do not know (those end by silence).
   */
  private expectedLength(): number | undefined {
    if (this.len < 2) return undefined;
    const fc = this.buf[1]!;
    if (this.role === 'master') {
      if (fc & 0x80) return 5;
      if (fc === 0x03 || fc === 0x04) return this.len >= 3 ? 5 + this.buf[2]! : undefined;
      if (fc === 0x06 || fc === 0x10) return 8;
      return undefined;
    }
    if (fc === 0x03 || fc === 0x04 || fc === 0x06) return 8;
    if (fc === 0x10) return this.len >= 7 ? 9 + this.buf[6]! : undefined;
    return undefined;
  }

  private finish(by: 'length' | 'silence', endUs: number, out: RtuStreamEvent[]): void {
    this.discarding = false;
    if (this.len === 0) return;
    const raw = this.buf.slice(0, this.len);
    const expected = this.expectedLength();
    const broken = this.broken;
    this.len = 0;
    this.broken = false;
    if (broken) {
      out.push(this.error('inter-char-gap', 'silence > t1.5 inside a frame', endUs, raw));
      return;
    }
    const decoded = decodeRtuFrame(raw);
    if (decoded.ok) {
      out.push({ type: 'frame', frame: decoded.value, raw, endUs, by });
    } else if (by === 'silence' && expected !== undefined && raw.length < expected) {
      out.push(
        this.error('truncated', `frame ended after ${raw.length} of ${expected} bytes`, endUs, raw),
      );
    } else {
      out.push({ type: 'error', error: decoded.error, raw, endUs });
    }
  }

  private error(
    problem: 'too-long' | 'inter-char-gap' | 'truncated',
    message: string,
    endUs: number,
    raw: Uint8Array = this.buf.slice(0, this.len),
  ): RtuStreamEvent {
    const error = new ModbusFrameError(problem, message, { length: raw.length, unit: raw[0] });
    return { type: 'error', error, raw, endUs };
  }
}
