import { describe, expect, it } from 'vitest';
import { PrimaryHostTracker } from '../../../../src/north/mqtt/host-state.js';
import { parseHint } from '../../../../src/north/mqtt/hints.js';
import {
  redactedConfig,
  resolveConfig,
  type EdgeNodeConfig,
} from '../../../../src/north/mqtt/config.js';
import { isOrv3Error } from '../../../../src/errors.js';

const enc = (o: unknown) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));

describe('parseHint', () => {
  it('accepts the documented shape', () => {
    const r = parseHint(enc({ deltaW: -3000, leadMs: 0, durationMs: 60000, source: 'fleet' }), 5);
    expect(r).toEqual({
      ok: true,
      hint: { deltaW: -3000, leadMs: 0, durationMs: 60000, source: 'fleet', receivedAtMs: 5 },
    });
  });

  it.each([
    ['not json', 'payload is not UTF-8 JSON'],
    [[1, 2], 'payload is not a JSON object'],
    [{ deltaW: 1, leadMs: 1, source: 's', extra: 1 }, 'unknown keys: extra'],
    [{ deltaW: Infinity, leadMs: 1, source: 's' }, 'deltaW'],
    [{ deltaW: 1, leadMs: -1, source: 's' }, 'leadMs'],
    [{ deltaW: 1, leadMs: 1, durationMs: 0, source: 's' }, 'durationMs'],
    [{ deltaW: 1, leadMs: 1, source: '' }, 'source'],
  ])('rejects %j', (doc, why) => {
    const r = parseHint(enc(doc), 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });

  it('rejects oversized payloads before parsing', () => {
    const r = parseHint(new Uint8Array(2000), 0);
    expect(r.ok).toBe(false);
  });
});

describe('PrimaryHostTracker', () => {
  it('applies the Sparkplug 3.0 timestamp rules', () => {
    const t = new PrimaryHostTracker();
    expect(t.accept(enc({ online: false, timestamp: 50 })).kind).toBe('offline');
    expect(t.accept(enc({ online: true, timestamp: 100 })).kind).toBe('online');
    expect(t.online).toBe(true);
    expect(t.accept(enc({ online: false, timestamp: 99 })).kind).toBe('stale');
    expect(t.online).toBe(true);
    expect(t.accept(enc({ online: true, timestamp: 99 })).kind).toBe('stale');
    expect(t.accept(enc({ online: false, timestamp: 100 })).kind).toBe('offline');
    expect(t.online).toBe(false);
    expect(t.accept(enc('ONLINE')).kind).toBe('malformed');
    expect(t.accept(enc({ online: 'yes', timestamp: 1 })).kind).toBe('malformed');
  });
});

describe('resolveConfig', () => {
  const ok: EdgeNodeConfig = {
    brokerUrl: 'mqtts://broker.example:8883',
    username: 'rack7',
    password: 's3cret-pw',
    groupId: 'site1',
    edgeNodeId: 'rack7',
    publishPeriodMs: 1000,
  };

  it('fills defaults: MQTT 5, no commands authorised, QoS 0 without a store', () => {
    const r = resolveConfig(ok);
    expect(r.mqttVersion).toBe(5);
    expect(r.authorisedCommands).toEqual([]);
    expect(r.dataQos).toBe(0);
    expect(r.clientId).toBe('orv3gw-site1-rack7');
  });

  it.each<[Partial<EdgeNodeConfig>, string]>([
    [{ groupId: 'a/b' }, 'groupId'],
    [{ edgeNodeId: '' }, 'edgeNodeId'],
    [{ brokerUrl: 'mqtt://u:p@host' }, 'brokerUrl'],
    [{ brokerUrl: 'http://host' }, 'brokerUrl'],
    [{ publishPeriodMs: 0 }, 'publishPeriodMs'],
    [{ deadbands: [{ pattern: '*', absolute: 1, relative: 0.1 }] }, 'deadbands'],
    [{ authorisedCommands: ['Reboot' as 'Locate'] }, 'authorisedCommands'],
  ])('rejects %j naming the field, never the password', (patch, field) => {
    try {
      resolveConfig({ ...ok, ...patch });
      expect.unreachable();
    } catch (e) {
      expect(isOrv3Error(e)).toBe(true);
      expect((e as Error).message).toContain(field);
      expect((e as Error).message).not.toContain('s3cret-pw');
    }
  });

  it('redactedConfig never carries credentials', () => {
    const text = JSON.stringify(
      redactedConfig({ ...ok, tls: { rejectUnauthorized: true, key: 'PRIVATE KEY' } }),
    );
    expect(text).not.toContain('s3cret-pw');
    expect(text).not.toContain('PRIVATE KEY');
  });
});
