/** Decoding refuses what the spec forbids with a typed error (E601/E602), never a crash. */
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from '../../../../../src/north/mqtt/sparkplug/index.js';
import type { WireMetric } from '../../../../../src/north/mqtt/sparkplug/schema.js';
import { ErrorCode, type ErrorCode as Code } from '../../../../../src/errors.js';
import { expectCode, long, one } from './helpers.js';

describe('decode rejects what the spec forbids, with E601/E602', () => {
  const cases: [string, WireMetric, Code, RegExp][] = [
    [
      'unknown datatype',
      { name: 'x', datatype: 99, int_value: 1 },
      ErrorCode.SparkplugBadPayload,
      /unknown datatype 99/,
    ],
    [
      'value in the wrong field',
      { name: 'x', datatype: 3, string_value: '1' },
      ErrorCode.SparkplugBadPayload,
      /Int32 expects int_value, got string_value/,
    ],
    [
      'two value fields',
      { name: 'x', datatype: 3, int_value: 1, long_value: 1 },
      ErrorCode.SparkplugBadPayload,
      /2 value fields/,
    ],
    ['no value, not null', { name: 'x', datatype: 12 }, ErrorCode.SparkplugBadPayload, /no value/],
    [
      'a Template metric',
      { name: 'x', datatype: 19, template_value: {} },
      ErrorCode.SparkplugUnsupported,
      /Template/,
    ],
    [
      'an extension value',
      { name: 'x', datatype: 3, extension_value: {} },
      ErrorCode.SparkplugUnsupported,
      /extension/,
    ],
    [
      'PropertySet as a metric type',
      { name: 'x', datatype: 20 },
      ErrorCode.SparkplugBadPayload,
      /not a metric datatype/,
    ],
    [
      'keys/values mismatch',
      {
        name: 'x',
        datatype: 11,
        boolean_value: true,
        properties: { keys: ['a', 'b'], values: [{ type: 11, boolean_value: true }] },
      },
      ErrorCode.SparkplugBadPayload,
      /2 keys but 1 values/,
    ],
    [
      'duplicate property key',
      {
        name: 'x',
        datatype: 11,
        boolean_value: true,
        properties: {
          keys: ['a', 'a'],
          values: [
            { type: 11, is_null: true },
            { type: 11, is_null: true },
          ],
        },
      },
      ErrorCode.SparkplugBadPayload,
      /duplicate property key 'a'/,
    ],
    [
      'property without type',
      {
        name: 'x',
        datatype: 11,
        boolean_value: true,
        properties: { keys: ['a'], values: [{ boolean_value: true }] },
      },
      ErrorCode.SparkplugBadPayload,
      /without a type/,
    ],
    [
      'DataSet columns ≠ types',
      {
        name: 'x',
        datatype: 16,
        dataset_value: { num_of_columns: 2, columns: ['a', 'b'], types: [3] },
      },
      ErrorCode.SparkplugBadPayload,
      /num_of_columns 2/,
    ],
    [
      'timestamp beyond 2^53',
      { name: 'x', datatype: 11, boolean_value: true, timestamp: long(1n << 60n) },
      ErrorCode.SparkplugBadPayload,
      /exceeds 2\^53-1/,
    ],
  ];
  for (const [what, m, code, text] of cases) {
    it(what, () => expectCode(() => one(m), code, text));
  }

  it('property sets nested deeper than the limit', () => {
    let set: object = { keys: ['leaf'], values: [{ type: 11, boolean_value: true }] };
    for (let i = 0; i < 12; i++)
      set = { keys: ['n'], values: [{ type: 20, propertyset_value: set }] };
    expectCode(
      () => one({ name: 'x', datatype: 11, boolean_value: true, properties: set }),
      ErrorCode.SparkplugBadPayload,
      /too deep/,
    );
  });

  it('truncated bytes and non-byte input', () => {
    const b = encodePayload({
      timestamp: 1,
      metrics: [{ name: 'x', type: 'String', value: 'abc' }],
    });
    expectCode(
      () => decodePayload(b.subarray(0, b.length - 2)),
      ErrorCode.SparkplugBadPayload,
      /not a protobuf Payload/,
    );
    expectCode(() => decodePayload('x' as unknown as Uint8Array), ErrorCode.SparkplugBadPayload);
  });

  it('decoded bytes do not alias the input buffer', () => {
    const b = encodePayload({
      body: Uint8Array.of(1, 2),
      metrics: [{ name: 'x', type: 'Bytes', value: Uint8Array.of(3) }],
    });
    const p = decodePayload(b);
    b.fill(0);
    expect([...p.body!]).toEqual([1, 2]);
    expect([...(p.metrics[0]!.value as Uint8Array)]).toEqual([3]);
  });
});
