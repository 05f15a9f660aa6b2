/**
 * MqttJsTransport against mosquitto: the broker's Receive Maximum is respected (publishes queue
 * instead of exceeding it) without reordering QoS 0 and QoS 1 messages, and a clean end()
 * discards the will while destroy() lets the broker publish it.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttJsTransport } from '../../../src/north/mqtt/index.js';
import { skipWithoutMosquitto, startMosquitto, type Mosquitto } from '../../support/mosquitto.js';
import { waitFor } from './support.js';

const skip = skipWithoutMosquitto('MQTT transport (mosquitto)');

describe.skipIf(skip)('MqttJsTransport on mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ extraConfig: ['max_inflight_messages 2'] });
  });
  afterAll(async () => {
    await broker?.dispose();
  });

  const opts = (clientId: string) => ({
    url: broker.url,
    clientId,
    mqttVersion: 5 as const,
    keepaliveS: 10,
    connectTimeoutMs: 2000,
    will: { topic: `t/will/${clientId}`, payload: Uint8Array.of(1) },
  });

  it('keeps at most Receive Maximum QoS 1 publishes in flight, in order with QoS 0', async () => {
    const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const got: number[] = [];
    sub.on('message', (_t, p) => got.push(p.readUInt16BE(0)));
    // QoS 0 subscription: mosquitto's own outgoing inflight limit would otherwise let QoS 0
    // overtake QoS 1 on the way to us, hiding the order in which it received them.
    await sub.subscribeAsync('t/order', { qos: 0 });
    const conn = await new MqttJsTransport().connect(opts('order'));
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      const b = Buffer.alloc(2);
      b.writeUInt16BE(i);
      sends.push(conn.publish('t/order', b, i % 3 === 0 ? 0 : 1));
    }
    await Promise.all(sends);
    await waitFor('100 messages', () => got.length === 100);
    expect(got).toEqual([...Array(100).keys()]);
    await conn.end();
    await sub.endAsync();
  });

  it('end() sends DISCONNECT (no will); destroy() drops the socket (will published)', async () => {
    const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const wills: string[] = [];
    sub.on('message', (t) => wills.push(t));
    await sub.subscribeAsync('t/will/#', { qos: 1 });
    const a = await new MqttJsTransport().connect(opts('clean'));
    await a.end();
    const b = await new MqttJsTransport().connect(opts('dropped'));
    b.destroy();
    await waitFor('will', () => wills.includes('t/will/dropped'));
    await new Promise((r) => setTimeout(r, 200));
    expect(wills).toEqual(['t/will/dropped']);
    await sub.endAsync();
  });
});
