/** Shared by the codec tests: foreign wire shapes built with the schema's type directly. */
import { expect } from 'vitest';
import { decodePayload, type SpMetric } from '../../../../../src/north/mqtt/sparkplug/index.js';
import { Wire, type WireMetric } from '../../../../../src/north/mqtt/sparkplug/schema.js';
import { isOrv3Error, type ErrorCode } from '../../../../../src/errors.js';

/** A payload of these wire metrics, bypassing our model's checks. */
export const wire = (...metrics: WireMetric[]): Uint8Array =>
  Wire.Payload.encode({ metrics }).finish();

/** A uint64 as protobufjs writes it. */
export const long = (v: bigint): { low: number; high: number } => ({
  low: Number(BigInt.asUintN(64, v) & 0xffff_ffffn) | 0,
  high: Number(BigInt.asUintN(64, v) >> 32n) | 0,
});

/** Our decoding of one wire metric. */
export const one = (m: WireMetric): SpMetric => decodePayload(wire(m)).metrics[0]!;

export function expectCode(f: () => unknown, code: ErrorCode, text?: RegExp): void {
  try {
    f();
  } catch (e) {
    expect(isOrv3Error(e, code), String(e)).toBe(true);
    if (text) expect((e as Error).message).toMatch(text);
    return;
  }
  expect.fail(`expected ${code}`);
}
