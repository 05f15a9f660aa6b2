/**
 * Exact wire bytes of hand-built payloads, one comment per byte (or per varint), checked both
 * ways: encode gives these bytes, decode gives back the model.
 */
import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  type SpPayload,
} from '../../../../../src/north/mqtt/sparkplug/index.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

function roundTrip(p: SpPayload, wire: Uint8Array, options = {}): void {
  expect([...encodePayload(p, options)]).toEqual([...wire]);
  expect(decodePayload(wire)).toEqual(p);
}

describe('Sparkplug B payload: exact bytes', () => {
  it('NDATA with one aliased Int32 metric of -2 (name dropped, datatype kept)', () => {
    const wire = bytes(
      0x08, // field 1 (Payload.timestamp), varint
      0xe8, // 1000 = 0b111_1101000: low 7 bits 0x68 | continuation
      0x07, //   high bits 0b111
      0x12, // field 2 (Payload.metrics), length-delimited
      0x0d, //   13 bytes of Metric follow
      0x10, //   field 2 (Metric.alias), varint
      0x03, //     3
      0x18, //   field 3 (Metric.timestamp), varint
      0xe8, //     1000, low 7 bits | continuation
      0x07, //     high bits
      0x20, //   field 4 (Metric.datatype), varint
      0x03, //     3 = Int32
      0x50, //   field 10 (Metric.int_value, uint32), varint
      0xfe, //     0xFFFFFFFE = -2 as 32-bit two's complement: 7 bits 0x7E | cont
      0xff, //     7 bits 0x7F | cont
      0xff, //     7 bits 0x7F | cont
      0xff, //     7 bits 0x7F | cont
      0x0f, //     last 4 bits 0xF
      0x18, // field 3 (Payload.seq), varint
      0x05, //   5
    );
    const p: SpPayload = {
      timestamp: 1000,
      seq: 5,
      metrics: [{ name: 'V', alias: 3n, timestamp: 1000, type: 'Int32', value: -2 }],
    };
    expect([...encodePayload(p, { messageType: 'NDATA' })]).toEqual([...wire]);
    // The name is not on the wire, so the decoded metric has only its alias.
    expect(decodePayload(wire)).toEqual({
      timestamp: 1000,
      seq: 5,
      metrics: [{ alias: 3n, timestamp: 1000, type: 'Int32', value: -2 }],
    });
  });

  it('NBIRTH metric with name, alias, Float and an engUnit property', () => {
    const wire = bytes(
      0x08, // Payload.timestamp
      0xe8, //   1000 …
      0x07, //   … 1000
      0x12, // Payload.metrics
      0x21, //   33 bytes
      0x0a, //   Metric.name (field 1), length-delimited
      0x01, //     1 byte
      0x56, //     'V'
      0x10, //   Metric.alias
      0x03, //     3
      0x18, //   Metric.timestamp
      0xe8, //     1000 …
      0x07, //     … 1000
      0x20, //   Metric.datatype
      0x09, //     9 = Float
      0x4a, //   Metric.properties (field 9), length-delimited
      0x10, //     16 bytes of PropertySet
      0x0a, //     PropertySet.keys (field 1)
      0x07, //       7 bytes
      0x65, //       'e'
      0x6e, //       'n'
      0x67, //       'g'
      0x55, //       'U'
      0x6e, //       'n'
      0x69, //       'i'
      0x74, //       't'
      0x12, //     PropertySet.values (field 2), length-delimited
      0x05, //       5 bytes of PropertyValue
      0x08, //       PropertyValue.type (field 1)
      0x0c, //         12 = String
      0x42, //       PropertyValue.string_value (field 8)
      0x01, //         1 byte
      0x56, //         'V'
      0x65, //   Metric.float_value (field 12), fixed32 little-endian
      0x00, //     12.5 = 0x41480000: byte 0
      0x00, //     byte 1
      0x48, //     byte 2
      0x41, //     byte 3
      0x18, // Payload.seq
      0x00, //   0: written, because it is present (proto2 optional)
    );
    roundTrip(
      {
        timestamp: 1000,
        seq: 0,
        metrics: [
          {
            name: 'V',
            alias: 3n,
            timestamp: 1000,
            type: 'Float',
            value: 12.5,
            properties: new Map([['engUnit', { type: 'String', value: 'V' }]]),
          },
        ],
      },
      wire,
      { messageType: 'NBIRTH' },
    );
  });

  it('DDATA: a null UInt32 (is_null, no value) and a historical UInt32 in long_value', () => {
    const wire = bytes(
      0x08, // Payload.timestamp
      0xe8, //   1000 …
      0x07, //   … 1000
      0x12, // Payload.metrics
      0x06, //   6 bytes
      0x10, //   Metric.alias
      0x04, //     4
      0x20, //   Metric.datatype
      0x07, //     7 = UInt32
      0x38, //   Metric.is_null (field 7), varint
      0x01, //     true — and no value field at all
      0x12, // Payload.metrics
      0x0c, //   12 bytes
      0x10, //   Metric.alias
      0x05, //     5
      0x20, //   Metric.datatype
      0x07, //     7 = UInt32
      0x28, //   Metric.is_historical (field 5)
      0x01, //     true
      0x58, //   Metric.long_value (field 11, uint64): where Tahu/Ignition put UInt32
      0xff, //     0xFFFFFFFF …
      0xff, //     …
      0xff, //     …
      0xff, //     …
      0x0f, //     … 0xFFFFFFFF
      0x18, // Payload.seq
      0x06, //   6
    );
    roundTrip(
      {
        timestamp: 1000,
        seq: 6,
        metrics: [
          { alias: 4n, type: 'UInt32', value: null },
          { alias: 5n, isHistorical: true, type: 'UInt32', value: 0xffff_ffff },
        ],
      },
      wire,
      { messageType: 'DDATA' },
    );
  });

  it('NCMD Rebirth as a host sends it: name, Boolean true, no seq', () => {
    const wire = bytes(
      0x08, // Payload.timestamp
      0x01, //   1
      0x12, // Payload.metrics
      0x1a, //   26 bytes
      0x0a, //   Metric.name
      0x14, //     20 bytes: 'Node Control/Rebirth'
      ...new TextEncoder().encode('Node Control/Rebirth'),
      0x20, //   Metric.datatype
      0x0b, //     11 = Boolean
      0x70, //   Metric.boolean_value (field 14)
      0x01, //     true
    );
    roundTrip(
      {
        timestamp: 1,
        metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }],
      },
      wire,
    );
  });

  it('an empty payload is zero bytes, and decodes to no metrics', () => {
    roundTrip({ metrics: [] }, bytes());
  });
});
