/** The spec's datatype → value-field rules and metric rules, both ways. */
import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  type SpMetric,
  type SpPayload,
} from '../../../../../src/north/mqtt/sparkplug/index.js';
import { Wire, type WireMetric } from '../../../../../src/north/mqtt/sparkplug/schema.js';
import { ErrorCode } from '../../../../../src/errors.js';
import { expectCode, long, one } from './helpers.js';

describe('datatype → value field', () => {
  it('Int8/Int16/Int32 negative values are sign-extended into int_value', () => {
    for (const [type, value] of [
      ['Int8', -128],
      ['Int16', -32768],
      ['Int32', -2147483648],
    ] as const) {
      const b = encodePayload({ metrics: [{ name: 'x', type, value }] });
      const w = Wire.Payload.decode(b) as unknown as { metrics: WireMetric[] };
      expect(w.metrics[0]!.int_value).toBe(value >>> 0);
      expect(decodePayload(b).metrics[0]).toEqual({ name: 'x', type, value });
    }
  });

  it('accepts the width-limited form of negative Int8/Int16 (Tahu Python writes it)', () => {
    expect(one({ name: 'x', datatype: 1, int_value: 0xff })).toMatchObject({ value: -1 });
    expect(one({ name: 'x', datatype: 2, int_value: 0x8000 })).toMatchObject({ value: -32768 });
    expect(one({ name: 'x', datatype: 1, int_value: 0x7f })).toMatchObject({ value: 127 });
  });

  it('rejects an int_value that is neither form', () => {
    expectCode(
      () => one({ name: 'x', datatype: 1, int_value: 0x100 }),
      ErrorCode.SparkplugBadPayload,
      /Int8/,
    );
    expectCode(
      () => one({ name: 'x', datatype: 6, int_value: 0x10000 }),
      ErrorCode.SparkplugBadPayload,
      /UInt16/,
    );
  });

  it('UInt32 is written to long_value, and read from either field', () => {
    const b = encodePayload({ metrics: [{ name: 'x', type: 'UInt32', value: 4e9 }] });
    const w = Wire.Payload.decode(b) as unknown as { metrics: object[] };
    expect(Object.keys(w.metrics[0]!)).toContain('long_value');
    expect(one({ name: 'x', datatype: 7, int_value: 4e9 })).toMatchObject({ value: 4e9 });
    expect(one({ name: 'x', datatype: 7, long_value: long(4_000_000_000n) })).toMatchObject({
      value: 4e9,
    });
    expectCode(
      () => one({ name: 'x', datatype: 7, long_value: long(1n << 32n) }),
      ErrorCode.SparkplugBadPayload,
    );
  });

  it('Int64/UInt64 use long_value over the full 64-bit range', () => {
    const cases: SpMetric[] = [
      { name: 'a', type: 'Int64', value: -(1n << 63n) },
      { name: 'b', type: 'Int64', value: (1n << 63n) - 1n },
      { name: 'c', type: 'UInt64', value: (1n << 64n) - 1n },
      { name: 'd', type: 'DateTime', value: 1_700_000_000_000 },
    ];
    expect(decodePayload(encodePayload({ metrics: cases })).metrics).toEqual(cases);
  });

  it('Float is rounded to float32 on the wire; Double is exact', () => {
    const b = encodePayload({
      metrics: [
        { name: 'f', type: 'Float', value: 12.1 },
        { name: 'd', type: 'Double', value: 12.1 },
      ],
    });
    const [f, d] = decodePayload(b).metrics;
    expect(f!.value).toBe(Math.fround(12.1));
    expect(d!.value).toBe(12.1);
  });

  it('refuses to encode values outside their datatype', () => {
    const bad: SpMetric[] = [
      { name: 'x', type: 'Int8', value: 128 },
      { name: 'x', type: 'UInt16', value: -1 },
      { name: 'x', type: 'UInt32', value: 2 ** 32 },
      { name: 'x', type: 'Int32', value: 1.5 },
      { name: 'x', type: 'Int64', value: 1n << 63n },
      { name: 'x', type: 'UInt64', value: -1n },
      { name: 'x', type: 'DateTime', value: -1 },
      { name: 'x', type: 'String', value: 'lone \ud800' },
    ];
    for (const m of bad) {
      expectCode(() => encodePayload({ metrics: [m] }), ErrorCode.SparkplugCannotEncode);
    }
  });
});

describe('metric rules', () => {
  const m: SpMetric = { name: 'Input/Voltage', alias: 7n, type: 'Double', value: 230 };

  it('births keep name and alias; DATA and CMD send the alias only', () => {
    const names = (p: SpPayload): unknown => p.metrics.map((x) => x.name);
    expect(
      names(decodePayload(encodePayload({ metrics: [m] }, { messageType: 'DBIRTH' }))),
    ).toEqual(['Input/Voltage']);
    for (const messageType of ['NDATA', 'DDATA', 'NCMD', 'DCMD'] as const) {
      const back = decodePayload(encodePayload({ metrics: [m] }, { messageType }));
      expect(back.metrics[0]).toEqual({ alias: 7n, type: 'Double', value: 230 });
    }
  });

  it('a birth metric without a name, or any metric without name and alias, is refused', () => {
    const { name: _n, ...aliasOnly } = m;
    expectCode(
      () => encodePayload({ metrics: [aliasOnly] }, { messageType: 'NBIRTH' }),
      ErrorCode.SparkplugCannotEncode,
      /name/,
    );
    const { alias: _a, ...nameless } = aliasOnly;
    expectCode(() => encodePayload({ metrics: [nameless] }), ErrorCode.SparkplugCannotEncode);
    expectCode(
      () => one({ datatype: 11, boolean_value: true }),
      ErrorCode.SparkplugBadPayload,
      /neither name nor alias/,
    );
  });

  it('omitDatatypes drops datatype outside births; decode then asks typeOf', () => {
    const b = encodePayload({ metrics: [m] }, { messageType: 'NDATA', omitDatatypes: true });
    expectCode(() => decodePayload(b), ErrorCode.SparkplugBadPayload, /no datatype/);
    const back = decodePayload(b, { typeOf: (ref) => (ref.alias === 7n ? 'Double' : undefined) });
    expect(back.metrics[0]).toEqual({ alias: 7n, type: 'Double', value: 230 });
    const birth = encodePayload({ metrics: [m] }, { messageType: 'NBIRTH', omitDatatypes: true });
    expect(decodePayload(birth).metrics[0]!.type).toBe('Double');
  });

  it('null ⇄ is_null for metrics and properties; flags and metadata survive', () => {
    const metrics: SpMetric[] = [
      {
        name: 'n',
        timestamp: 5,
        isTransient: false,
        isHistorical: true,
        type: 'Double',
        value: null,
        metadata: { contentType: 'text/plain', size: 3, seq: 1, isMultiPart: false, md5: 'x' },
        properties: new Map([
          ['engUnit', { type: 'String', value: null }],
          ['Quality', { type: 'Int32', value: 500 }],
          [
            'limits',
            { type: 'PropertySet', value: new Map([['max', { type: 'Double', value: 1 }]]) },
          ],
          [
            'list',
            {
              type: 'PropertySetList',
              value: [new Map(), new Map([['a', { type: 'Boolean', value: true }]])],
            },
          ],
        ]),
      },
    ];
    expect(decodePayload(encodePayload({ metrics })).metrics).toEqual(metrics);
  });

  it('DataSet: columns, types, rows with empty cells', () => {
    const ds: SpMetric = {
      name: 'table',
      type: 'DataSet',
      value: {
        columns: ['a', 'b', 'c'],
        types: ['Int16', 'UInt64', 'String'],
        rows: [
          [-1, 1n << 63n, 'x'],
          [null, null, null],
        ],
      },
    };
    expect(decodePayload(encodePayload({ metrics: [ds] })).metrics[0]).toEqual(ds);
    const bad = { ...ds, value: { ...ds.value!, rows: [[1, 2n]] } } as SpMetric;
    expectCode(() => encodePayload({ metrics: [bad] }), ErrorCode.SparkplugCannotEncode, /row 0/);
  });
});
