import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEVICE_MESSAGE_TYPES,
  NODE_MESSAGE_TYPES,
  commandFilters,
  deviceTopic,
  formatTopic,
  isValidId,
  nodeTopic,
  parseTopic,
  stateTopic,
  validateId,
  type SparkplugTopic,
} from '../../../../../src/north/mqtt/sparkplug/index.js';
import { ErrorCode, isOrv3Error } from '../../../../../src/errors.js';

function topicError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isOrv3Error(e, ErrorCode.SparkplugBadTopic), String(e)).toBe(true);
    return (e as Error).message;
  }
  return expect.fail('expected E603');
}

describe('Sparkplug topics', () => {
  it('builds the spec examples', () => {
    expect(nodeTopic('Sparkplug B Devices', 'NBIRTH', 'Raspberry Pi')).toBe(
      'spBv1.0/Sparkplug B Devices/NBIRTH/Raspberry Pi',
    );
    expect(deviceTopic('Sparkplug B Devices', 'DDATA', 'Raspberry Pi', 'Pibrella')).toBe(
      'spBv1.0/Sparkplug B Devices/DDATA/Raspberry Pi/Pibrella',
    );
    expect(stateTopic('scada-1')).toBe('spBv1.0/STATE/scada-1');
  });

  it('parses every message type back to its parts', () => {
    for (const messageType of NODE_MESSAGE_TYPES) {
      expect(parseTopic(`spBv1.0/site/${messageType}/rack-7`)).toEqual({
        kind: 'node',
        groupId: 'site',
        messageType,
        edgeNodeId: 'rack-7',
      });
    }
    for (const messageType of DEVICE_MESSAGE_TYPES) {
      expect(parseTopic(`spBv1.0/site/${messageType}/rack-7/psu-144`)).toEqual({
        kind: 'device',
        groupId: 'site',
        messageType,
        edgeNodeId: 'rack-7',
        deviceId: 'psu-144',
      });
    }
    expect(parseTopic('spBv1.0/STATE/host')).toEqual({ kind: 'state', hostId: 'host' });
  });

  it('format∘parse is the identity for any valid ids', () => {
    const id = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter(isValidId);
    const topic: fc.Arbitrary<SparkplugTopic> = fc.oneof(
      fc.record({
        kind: fc.constant('node' as const),
        groupId: id,
        messageType: fc.constantFrom(...NODE_MESSAGE_TYPES),
        edgeNodeId: id,
      }),
      fc.record({
        kind: fc.constant('device' as const),
        groupId: id,
        messageType: fc.constantFrom(...DEVICE_MESSAGE_TYPES),
        edgeNodeId: id,
        deviceId: id,
      }),
      fc.record({ kind: fc.constant('state' as const), hostId: id }),
    );
    fc.assert(
      fc.property(topic, (t) => {
        expect(parseTopic(formatTopic(t))).toEqual(t);
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it('refuses reserved characters, naming the part and the character', () => {
    expect(topicError(() => nodeTopic('a+b', 'NDATA', 'n'))).toMatch(
      /group_id 'a\+b' contains the reserved character '\+'/,
    );
    expect(topicError(() => nodeTopic('g', 'NDATA', 'n/1'))).toMatch(/edge_node_id 'n\/1'.*'\/'/);
    expect(topicError(() => deviceTopic('g', 'DDATA', 'n', 'psu#1'))).toMatch(/device_id .*'#'/);
    expect(topicError(() => stateTopic('h+'))).toMatch(/sparkplug_host_id/);
    expect(topicError(() => validateId('device_id', ''))).toMatch(/device_id must be a non-empty/);
    expect(topicError(() => validateId('group_id', 'a\u0000b'))).toMatch(/not a valid MQTT UTF-8/);
    expect(topicError(() => validateId('group_id', 'a\ud800'))).toMatch(/not a valid MQTT UTF-8/);
  });

  it('refuses message types in the wrong place', () => {
    const bad = { kind: 'node', groupId: 'g', messageType: 'DDATA', edgeNodeId: 'n' };
    expect(topicError(() => formatTopic(bad as unknown as SparkplugTopic))).toMatch(
      /'DDATA' is not an edge node message_type/,
    );
  });

  it('parse errors name the level that is wrong', () => {
    const cases: [string, RegExp][] = [
      ['spAv1.0/g/NDATA/n', /namespace 'spAv1.0' is not spBv1.0/],
      ['spBv1.0/g/NDATA', /too few levels/],
      ['spBv1.0/g/NDATA/n/d', /NDATA must not carry a device_id/],
      ['spBv1.0/g/DDATA/n', /DDATA needs exactly one device_id/],
      ['spBv1.0/g/DDATA/n/d/x', /DDATA needs exactly one device_id/],
      ['spBv1.0/g/NFOO/n', /unknown message_type 'NFOO'/],
      ['spBv1.0//NDATA/n', /group_id must be a non-empty/],
      ['spBv1.0/g/DCMD/n/', /device_id must be a non-empty/],
      ['spBv1.0/STATE/a/b', /STATE topics are/],
      ['spBv1.0/g/NCMD/+', /edge_node_id '\+'/],
    ];
    for (const [topic, text] of cases) expect(topicError(() => parseTopic(topic))).toMatch(text);
  });

  it('command subscriptions of an edge node', () => {
    expect(commandFilters('site', 'rack-7')).toEqual([
      'spBv1.0/site/NCMD/rack-7',
      'spBv1.0/site/DCMD/rack-7/+',
    ]);
  });
});
