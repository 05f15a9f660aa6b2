import { describe, expect, it } from 'vitest';
import {
  RtuFrameDecoder,
  appendCrc,
  encodeRtuRequest,
  encodeRtuResponse,
  rtuTiming,
  type RtuStreamEvent,
} from '../../../../src/protocol/modbus/index.js';
import { ErrorCode } from '../../../../src/errors.js';

const T = rtuTiming(19200); // char 572.9 µs, t1.5 859.4 µs, t3.5 2005.2 µs
const readResp = encodeRtuResponse(200, {
  kind: 'read',
  fc: 0x04,
  values: Uint16Array.of(0x1234, 0x5678),
});

/** Feeds bytes one at a time, back to back from startUs, as a UART delivers them. */
function byteByByte(
  d: RtuFrameDecoder,
  bytes: Uint8Array,
  startUs: number,
  gapAfter = -1,
  gapUs = 0,
) {
  const out: RtuStreamEvent[] = [];
  let t = startUs;
  bytes.forEach((b, i) => {
    t += T.charUs;
    out.push(...d.push(Uint8Array.of(b), t));
    if (i === gapAfter) t += gapUs;
  });
  return { out, endUs: t };
}

describe('RtuFrameDecoder', () => {
  it('master completes a response by its length, without waiting for the silence', () => {
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const { out, endUs } = byteByByte(d, readResp, 0);
    expect(out).toHaveLength(1);
    const ev = out[0]!;
    expect(ev.type === 'frame' && ev.by).toBe('length');
    expect(ev.type === 'frame' && ev.frame.unit).toBe(200);
    expect(ev.endUs).toBeCloseTo(endUs, 6);
    expect(d.pending).toBe(0);
    expect(d.nextDeadlineUs()).toBeNull();
  });

  it('splits two frames arriving in one chunk, and a chunk split anywhere', () => {
    const ex = encodeRtuResponse(201, { kind: 'exception', fc: 0x03, exceptionCode: 2 });
    const both = new Uint8Array([...readResp, ...ex]);
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const out = d.push(both, both.length * T.charUs);
    expect(out.map((e) => e.type === 'frame' && e.frame.unit)).toEqual([200, 201]);
    for (let cut = 1; cut < readResp.length; cut++) {
      const d2 = new RtuFrameDecoder({ role: 'master', timing: T });
      const first = d2.push(readResp.slice(0, cut), cut * T.charUs);
      const second = d2.push(readResp.slice(cut), readResp.length * T.charUs);
      expect(first).toEqual([]);
      expect(second.map((e) => e.type)).toEqual(['frame']);
    }
  });

  it('slave completes a write-multiple request from its byte count', () => {
    const req = encodeRtuRequest(64, { fc: 0x10, start: 302, values: Uint16Array.of(1, 2, 3) });
    const d = new RtuFrameDecoder({ role: 'slave', timing: T });
    const { out } = byteByByte(d, req, 0);
    expect(out.map((e) => e.type === 'frame' && e.raw.length)).toEqual([15]);
  });

  it('an unknown function ends by the t3.5 silence (poll at the deadline)', () => {
    const frame = appendCrc(Uint8Array.of(0x05, 0x2b, 0x0e, 0x01, 0x00));
    const d = new RtuFrameDecoder({ role: 'slave', timing: T });
    const { out, endUs } = byteByByte(d, frame, 1000);
    expect(out).toEqual([]);
    expect(d.nextDeadlineUs()).toBeCloseTo(endUs + T.t35Us, 6);
    expect(d.poll(endUs + T.t35Us - 10)).toEqual([]);
    const done = d.poll(endUs + T.t35Us);
    expect(done.map((e) => e.type === 'frame' && e.by)).toEqual(['silence']);
  });

  it('a gap > t1.5 inside a frame breaks it (spec §2.5.1.1)', () => {
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const { out } = byteByByte(d, readResp, 0, 3, 1000); // 1.0 ms after byte 3: > t1.5, < t3.5
    expect(out).toHaveLength(1);
    expect(out[0]!.type === 'error' && out[0]!.error.problem).toBe('inter-char-gap');
    // The same gap is tolerated when arrival times are per chunk (OS serial ports).
    const lenient = new RtuFrameDecoder({ role: 'master', timing: T, checkInterCharGap: false });
    const r = byteByByte(lenient, readResp, 0, 3, 1000);
    expect(r.out.map((e) => e.type)).toEqual(['frame']);
  });

  it('a gap of exactly t1.5 is allowed', () => {
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const { out } = byteByByte(d, readResp, 0, 2, T.t15Us);
    expect(out.map((e) => e.type)).toEqual(['frame']);
  });

  it('a silence ≥ t3.5 mid-response ends a truncated frame; the rest is a new (bad) frame', () => {
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const first = d.push(readResp.slice(0, 4), 4 * T.charUs);
    expect(first).toEqual([]);
    const later = 4 * T.charUs + T.t35Us + 5 * T.charUs;
    const out = d.push(readResp.slice(4), later);
    expect(out).toHaveLength(1);
    expect(out[0]!.type === 'error' && out[0]!.error.problem).toBe('truncated');
    expect(d.pending).toBe(5);
    const rest = d.poll(later + T.t35Us);
    expect(rest.map((e) => e.type)).toEqual(['error']);
  });

  it('bad CRC at the expected length → ModbusCrc', () => {
    const bad = readResp.slice();
    bad[4]! ^= 0x40;
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const out = d.push(bad, bad.length * T.charUs);
    expect(out.map((e) => e.type === 'error' && e.error.code)).toEqual([ErrorCode.ModbusCrc]);
  });

  it('noise before a response: reported after the silence, then the response decodes', () => {
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    const a = d.push(Uint8Array.of(0x00), T.charUs);
    expect(a).toEqual([]);
    const t = T.charUs + T.t35Us + readResp.length * T.charUs;
    const b = d.push(readResp, t);
    expect(b.map((e) => (e.type === 'error' ? e.error.problem : 'frame'))).toEqual([
      'too-short',
      'frame',
    ]);
  });

  it('more than 256 bytes without an end: one too-long error, then recovers after silence', () => {
    const d = new RtuFrameDecoder({ role: 'slave', timing: T });
    const junk = new Uint8Array(600).fill(0x41); // fc 0x41: length unknown, ends only by silence
    const out = d.push(junk, 600 * T.charUs);
    expect(out.map((e) => e.type === 'error' && e.error.problem)).toEqual(['too-long']);
    expect(d.nextDeadlineUs()).not.toBeNull();
    expect(d.poll(600 * T.charUs + T.t35Us)).toEqual([]);
    const req = encodeRtuRequest(9, { fc: 0x03, start: 0, count: 1 });
    const ok = d.push(req, 600 * T.charUs + 2 * T.t35Us + 8 * T.charUs);
    expect(ok.map((e) => e.type)).toEqual(['frame']);
  });

  it('ignores non-finite timestamps and time going back instead of throwing', () => {
    const d = new RtuFrameDecoder({ role: 'master', timing: T });
    expect(d.push(readResp.slice(0, 3), Number.NaN)).toEqual([]);
    expect(d.push(readResp.slice(3), -5).map((e) => e.type)).toEqual(['frame']);
    d.reset();
    expect(d.pending).toBe(0);
  });
});
