/** Property: decode∘encode is the identity on our model, and encode∘decode on our bytes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePayload, encodePayload } from '../../../../../src/north/mqtt/sparkplug/index.js';
import { payload } from './arbitraries.js';

describe('Sparkplug codec round trip', () => {
  it('decode(encode(p)) equals p, and re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const bytes = encodePayload(p);
        const back = decodePayload(bytes);
        expect(back).toEqual(p);
        // toEqual ignores Map order; the bytes do not: keys and metrics keep their order.
        expect(Buffer.from(encodePayload(back)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { seed: 6, numRuns: 1500 },
    );
  });
});
