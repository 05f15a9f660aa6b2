/**
 * fast-check generators of valid SpPayloads: every metric datatype we model, nulls, aliases,
 * flags, metadata, nested property sets and DataSets. Values are generated in their wire form
 * already (Float as float32) so decode∘encode is an identity.
 */
import fc from 'fast-check';
import type {
  BasicTypeName,
  SpCell,
  SpDataSet,
  SpMetaData,
  SpMetric,
  SpMetricValue,
  SpPayload,
  SpPropertySet,
  SpPropertyValue,
} from '../../../../../src/north/mqtt/sparkplug/index.js';

type Scalar = number | bigint | boolean | string;

const text = fc.string({ unit: 'binary', maxLength: 12 });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** Generators for the value of each basic type (the spec's types 1–14). */
export const basicValue: Readonly<Record<BasicTypeName, fc.Arbitrary<Scalar>>> = {
  Int8: fc.integer({ min: -128, max: 127 }),
  Int16: fc.integer({ min: -32768, max: 32767 }),
  Int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  Int64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  UInt8: fc.integer({ min: 0, max: 255 }),
  UInt16: fc.integer({ min: 0, max: 65535 }),
  UInt32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  UInt64: u64,
  Float: fc.float(),
  Double: fc.double(),
  Boolean: fc.boolean(),
  String: text,
  DateTime: fc.maxSafeNat(),
  Text: text,
};
const basicTypes = Object.keys(basicValue) as BasicTypeName[];

function typed<T>(
  type: string,
  value: fc.Arbitrary<T>,
  nullable = true,
): fc.Arbitrary<{ type: string; value: T | null }> {
  const v: fc.Arbitrary<T | null> = nullable ? fc.option(value, { freq: 6 }) : value;
  return fc.record({ type: fc.constant(type), value: v });
}

const basic = fc.oneof(...basicTypes.map((t) => typed(t, basicValue[t])));

/** Property sets, nested; `nullSets: false` leaves out null PropertySet/PropertySetList values. */
export function propertySetOf(nullSets: boolean): fc.Arbitrary<SpPropertySet> {
  const { set } = fc.letrec<{ set: SpPropertySet; value: SpPropertyValue }>((tie) => ({
    set: fc
      .uniqueArray(fc.tuple(text, tie('value')), { maxLength: 3, selector: ([k]) => k })
      .map((entries) => new Map(entries)),
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      basic as fc.Arbitrary<SpPropertyValue>,
      typed('PropertySet', tie('set'), nullSets) as fc.Arbitrary<SpPropertyValue>,
      typed(
        'PropertySetList',
        fc.array(tie('set'), { maxLength: 2 }),
        nullSets,
      ) as fc.Arbitrary<SpPropertyValue>,
    ),
  }));
  return set;
}

export const propertySet = propertySetOf(true);

export const dataSet: fc.Arbitrary<SpDataSet> = fc
  .array(fc.tuple(text, fc.constantFrom(...basicTypes)), { maxLength: 4 })
  .chain((cols) =>
    fc.record({
      columns: fc.constant(cols.map(([c]) => c)),
      types: fc.constant(cols.map(([, t]) => t)),
      rows: fc.array(
        fc.tuple(...cols.map(([, t]) => fc.option(basicValue[t]) as fc.Arbitrary<SpCell>)),
        { maxLength: 3 },
      ),
    }),
  );

const bytesTypes = ['Bytes', 'File', 'Int32Array', 'FloatArray', 'StringArray'] as const;

export const metricValue: fc.Arbitrary<SpMetricValue> = fc.oneof(
  basic,
  typed('UUID', fc.uuid()),
  ...bytesTypes.map((t) => typed(t, fc.uint8Array({ maxLength: 16 }))),
  typed('DataSet', dataSet),
) as fc.Arbitrary<SpMetricValue>;

const metaData: fc.Arbitrary<SpMetaData> = fc.record(
  {
    isMultiPart: fc.boolean(),
    contentType: text,
    size: fc.maxSafeNat(),
    seq: fc.maxSafeNat(),
    fileName: text,
    fileType: text,
    md5: text,
    description: text,
  },
  { requiredKeys: [] },
);

export const metric: fc.Arbitrary<SpMetric> = fc
  .tuple(
    metricValue,
    fc.record(
      {
        name: text,
        alias: u64,
        timestamp: fc.maxSafeNat(),
        isHistorical: fc.boolean(),
        isTransient: fc.boolean(),
        metadata: metaData,
        properties: propertySet,
      },
      { requiredKeys: [] },
    ),
  )
  .map(([v, f]) => ({ ...f, ...v }) as SpMetric)
  .filter((m) => m.name !== undefined || m.alias !== undefined);

export const payload: fc.Arbitrary<SpPayload> = fc
  .tuple(
    fc.array(metric, { maxLength: 5 }),
    fc.record(
      {
        timestamp: fc.maxSafeNat(),
        seq: fc.integer({ min: 0, max: 255 }),
        uuid: text,
        body: fc.uint8Array({ maxLength: 8 }),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([metrics, rest]) => ({ ...rest, metrics }));
