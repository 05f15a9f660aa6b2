/**
 * Acceptance (issue 6, "nothing crashes"): hostile bytes into decodePayload. Every outcome is a
 * payload or an Orv3Error E601/E602 — never a TypeError, RangeError or stack overflow escaping.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import fc from 'fast-check';
import {
  decodePayload,
  encodePayload,
  type SpPayload,
} from '../../../../../src/north/mqtt/sparkplug/index.js';
import { ErrorCode, isOrv3Error } from '../../../../../src/errors.js';
import { payload } from './arbitraries.js';

const RUNS = 10_000;
/** Valid payloads to mutate, generated once: generating 10k fresh ones costs more than decoding. */
const pool = fc.sample(
  payload.map((p) => encodePayload(p)),
  { seed: 600, numRuns: 400 },
);

/** Decodes and checks the outcome; a decoded payload must re-encode or fail typed. */
function check(bytes: Uint8Array): 'ok' | 'rejected' {
  let p: SpPayload;
  try {
    p = decodePayload(bytes);
  } catch (e) {
    assert.ok(
      isOrv3Error(e, ErrorCode.SparkplugBadPayload) ||
        isOrv3Error(e, ErrorCode.SparkplugUnsupported),
      `untyped throw: ${String(e)}`,
    );
    return 'rejected';
  }
  assert.ok(Array.isArray(p.metrics));
  try {
    encodePayload(p);
  } catch (e) {
    // Possible only for strings the peer sent as ill-formed UTF-8 (lone surrogates after decode).
    assert.ok(isOrv3Error(e, ErrorCode.SparkplugCannotEncode), `untyped throw: ${String(e)}`);
  }
  return 'ok';
}

describe('decodePayload under hostile input', () => {
  it(`${RUNS} random byte strings`, () => {
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        seen[check(bytes)]++;
      }),
      { seed: 601, numRuns: RUNS },
    );
    assert.ok(seen.rejected > RUNS / 2, JSON.stringify(seen));
  });

  it(`${RUNS} valid payloads with bytes flipped, cut or inserted`, () => {
    const seen = { ok: 0, rejected: 0 };
    const mutated = fc
      .tuple(
        fc.constantFrom(...pool),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom('flip', 'cut', 'insert'),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
      )
      .map(([bytes, edits]) => {
        let b = Uint8Array.from(bytes);
        for (const [pos, v, op] of edits) {
          const i = b.length === 0 ? 0 : pos % b.length;
          if (op === 'flip' && b.length > 0) b[i] = v;
          else if (op === 'cut') b = b.subarray(0, i);
          else b = Uint8Array.from([...b.subarray(0, i), v, ...b.subarray(i)]);
        }
        return b;
      });
    fc.assert(
      fc.property(mutated, (bytes) => {
        seen[check(bytes)]++;
      }),
      { seed: 602, numRuns: RUNS },
    );
    // Both outcomes must be exercised, or the mutation is not reaching the semantic checks.
    assert.ok(seen.ok > 100 && seen.rejected > 100, JSON.stringify(seen));
  });

  it('deeply nested messages end in E601, not a stack overflow', () => {
    // Metric.properties → PropertySet.values → PropertyValue.propertyset_value → … 20000 levels.
    // Each level is a prefix whose length field covers everything inside it, so the lengths are
    // computed inside out and the prefixes written outside in.
    const leaf = [0x08, 0x0b, 0x38, 0x01]; // PropertyValue: type Boolean, boolean_value true
    const key = [0x0a, 0x01, 0x6b]; // PropertySet.keys: 'k'
    const prefixes: number[][] = [];
    let inner = leaf.length;
    for (let i = 0; i < 20_000; i++) {
      const set = [...key, 0x12, ...varint(inner)]; // PropertySet { keys: k, values: … }
      inner += set.length;
      const value = [0x08, 0x14, 0x4a, ...varint(inner)]; // type PropertySet, propertyset_value
      inner += value.length;
      prefixes.push(set, value);
    }
    const props = [...key, 0x12, ...varint(inner)]; // Metric.properties' own PropertySet
    inner += props.length;
    const metricHead = [0x0a, 0x01, 0x78, 0x20, 0x0b, 0x38, 0x01, 0x4a, ...varint(inner)];
    inner += metricHead.length;
    const bytes = Uint8Array.from(
      [[0x12, ...varint(inner)], metricHead, props, ...prefixes.reverse(), leaf].flat(),
    );
    assert.throws(() => decodePayload(bytes), /E601|not a protobuf Payload|too deep/);
    assert.equal(check(bytes), 'rejected');
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
