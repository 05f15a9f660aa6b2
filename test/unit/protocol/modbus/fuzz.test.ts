/**
 * Acceptance (issue 3): random bytes into the RTU decoders, 100k cases, no throw escapes and
 * every output is a frame or a typed error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import fc from 'fast-check';
import {
  ModbusFrameError,
  appendCrc,
  RtuFrameDecoder,
  decodeRtuFrame,
  decodeRtuRequest,
  decodeRtuResponse,
  rtuTiming,
  type RtuStreamEvent,
} from '../../../../src/protocol/modbus/index.js';
import { ErrorCode } from '../../../../src/errors.js';

const RUNS = 100_000;
const T = rtuTiming(19200);

// Plain assertions: vitest's expect() per event would make 100k cases take 10× longer.
function checkEvent(e: RtuStreamEvent): void {
  if (e.type === 'frame') {
    assert.equal(e.frame.unit, e.raw[0]);
    assert.ok(e.raw.length >= 4 && e.raw.length <= 256, `frame length ${e.raw.length}`);
  } else {
    assert.ok(e.error instanceof ModbusFrameError);
    assert.ok(e.error.code === ErrorCode.ModbusCrc || e.error.code === ErrorCode.ModbusFrame);
  }
}

describe('RTU decoders under random input', () => {
  it(`decodeRtuFrame/Request/Response: ${RUNS} random byte strings`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        // Half the cases get a valid CRC so the PDU decoders behind it are exercised too.
        const adu = bytes.length % 2 === 0 ? appendCrc(bytes) : bytes;
        for (const r of [decodeRtuFrame(adu), decodeRtuRequest(adu), decodeRtuResponse(adu)]) {
          if (!r.ok) assert.ok(r.error instanceof ModbusFrameError);
        }
      }),
      { seed: 0x0cf3, numRuns: RUNS },
    );
  });

  it(`RtuFrameDecoder: ${RUNS} random chunk streams with random timing, both roles`, () => {
    const chunk = fc.record({
      bytes: fc.uint8Array({ minLength: 0, maxLength: 40 }),
      // Gaps around t1.5 and t3.5, plus garbage time values.
      gapUs: fc.oneof(
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.constantFrom(Number.NaN, -1e6, Infinity, T.t15Us, T.t35Us),
      ),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('master' as const, 'slave' as const),
        fc.boolean(),
        fc.array(chunk, { maxLength: 12 }),
        (role, strict, chunks) => {
          const d = new RtuFrameDecoder({ role, timing: T, checkInterCharGap: strict });
          let t = 0;
          let held = 0;
          for (const c of chunks) {
            t += c.gapUs + c.bytes.length * T.charUs;
            const events = d.push(c.bytes, t);
            events.forEach(checkEvent);
            held += c.bytes.length;
            assert.ok(d.pending <= 256);
          }
          const due = d.nextDeadlineUs();
          if (due !== null) d.poll(due).forEach(checkEvent);
          if (held > 0 && Number.isFinite(t)) assert.equal(d.pending, 0);
        },
      ),
      { seed: 0x0cf3, numRuns: RUNS },
    );
  });
});
