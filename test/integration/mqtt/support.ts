/**
 * Peers for the MQTT integration tests: a Sparkplug host application (an mqtt.js subscriber that
 * decodes every message with our codec and can act as the primary host), a TCP proxy whose cut()
 * is a network failure between the edge node and the broker, and a counting TelemetrySource.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../../../src/clock/index.js';
import type {
  CommandResult,
  CommandSink,
  DeviceSnapshot,
  MetricSample,
  TelemetrySource,
  WorkloadHint,
} from '../../../src/north/mqtt/index.js';
import { decodePayload, type SpPayload } from '../../../src/north/mqtt/sparkplug/index.js';

export interface Received {
  readonly topic: string;
  /** NBIRTH, DDATA, …, or STATE. */
  readonly type: string;
  readonly deviceId: string | undefined;
  readonly payload: SpPayload;
  readonly atMs: number;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A Sparkplug host application. With a hostId it is the primary host: will = STATE offline
 * (retained, QoS 1), and after every (re)connect it subscribes first, then publishes STATE online
 * with the will's timestamp — the Sparkplug 3.0 host session rules.
 */
export class TestHost {
  readonly received: Received[] = [];
  /** Topics whose payload our codec could not decode (must stay empty). */
  readonly undecodable: string[] = [];
  /** Completed (re)connects: subscribed and, as primary host, STATE online published. */
  ready = 0;
  private constructor(
    readonly client: MqttClient,
    private readonly hostId: string | undefined,
  ) {}

  static async start(url: string, group: string, hostId?: string): Promise<TestHost> {
    let ts = Date.now();
    const stateTopic = `spBv1.0/STATE/${hostId ?? ''}`;
    const client = mqtt.connect(url, {
      clientId: `test-host-${hostId ?? 'plain'}-${process.pid}`,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 100,
      resubscribe: false,
      ...(hostId
        ? {
            will: {
              topic: stateTopic,
              payload: Buffer.from(JSON.stringify({ online: false, timestamp: ts })),
              qos: 1,
              retain: true,
            },
          }
        : {}),
    });
    const host = new TestHost(client, hostId);
    client.on('message', (topic, payload) => host.record(topic, payload));
    client.on('reconnect', () => {
      // A new CONNECT carries a will with a new timestamp; STATE online will repeat it.
      ts = Date.now();
      if (client.options.will) {
        client.options.will.payload = Buffer.from(JSON.stringify({ online: false, timestamp: ts }));
      }
    });
    client.on('connect', () => {
      void client.subscribeAsync(`spBv1.0/${group}/#`, { qos: 1 }).then(async () => {
        if (hostId)
          await client.publishAsync(stateTopic, JSON.stringify({ online: true, timestamp: ts }), {
            qos: 1,
            retain: true,
          });
        host.ready++;
      });
    });
    await waitFor('host ready', () => host.ready > 0);
    return host;
  }

  private record(topic: string, payload: Buffer): void {
    const levels = topic.split('/');
    const type = levels[2] ?? '';
    let p: SpPayload;
    try {
      p = decodePayload(payload);
    } catch {
      this.undecodable.push(topic);
      return;
    }
    this.received.push({ topic, type, deviceId: levels[4], payload: p, atMs: performance.now() });
  }

  of(type: string, deviceId?: string): Received[] {
    return this.received.filter(
      (r) => r.type === type && (deviceId === undefined || r.deviceId === deviceId),
    );
  }

  async publish(topic: string, payload: Uint8Array | string, retain = false): Promise<void> {
    await this.client.publishAsync(topic, Buffer.from(payload), { qos: 1, retain });
  }

  /** Intentional host shutdown: STATE offline first (spec), then DISCONNECT. */
  async stop(): Promise<void> {
    if (this.hostId && this.client.connected) {
      const stateTopic = `spBv1.0/STATE/${this.hostId}`;
      await this.client.publishAsync(
        stateTopic,
        JSON.stringify({ online: false, timestamp: Date.now() }),
        { qos: 1, retain: true },
      );
    }
    await this.client.endAsync(true);
  }
}

/** A TCP relay to the broker; cut() destroys every relayed connection (a network failure). */
export async function startProxy(
  targetPort: number,
): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((inbound) => {
    const outbound = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const drop = (): void => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    cut: () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => r());
      }),
  };
}

/**
 * The synthetic telemetry of the broker-kill test: every read of devices() is one new sample
 * of `shelf-0` `Counter` (values 0, 1, 2, … — strictly increasing, so every read passes the
 * deadband) stamped with the clock's epoch time. `produced` lists every sample handed out.
 */
export class CountingSource implements TelemetrySource {
  readonly produced: { value: number; timestampMs: number }[] = [];
  private n = 0;
  constructor(private readonly clock: Clock) {}

  nodeMetrics(): readonly MetricSample[] {
    return [{ name: 'Gateway/Version', type: 'String', value: 'test', timestampMs: 1 }];
  }

  devices(): readonly DeviceSnapshot[] {
    // Timestamps must differ between reads (they identify samples): never reuse a millisecond.
    const last = this.produced.at(-1)?.timestampMs ?? 0;
    const sample = { value: this.n++, timestampMs: Math.max(this.clock.epochMs(), last + 1) };
    this.produced.push(sample);
    return [
      {
        id: 'shelf-0',
        kind: 'shelf',
        online: true,
        metrics: [
          { name: 'Counter', type: 'UInt32', value: sample.value, timestampMs: sample.timestampMs },
        ],
      },
    ];
  }
}

/** A small fixed shelf: two PSUs, one BBU, the shelf. */
export class StaticShelf implements TelemetrySource {
  nodeMetrics(): readonly MetricSample[] {
    return [{ name: 'Gateway/Version', type: 'String', value: '0.1.0', timestampMs: 1 }];
  }
  devices(): readonly DeviceSnapshot[] {
    const m = (name: string, value: number, unit: string): MetricSample => ({
      name,
      type: 'Double',
      value,
      timestampMs: 1000,
      unit,
    });
    return [
      { id: 'psu-1', kind: 'psu', online: true, metrics: [m('Output/Power', 2500, 'W')] },
      { id: 'psu-2', kind: 'psu', online: true, metrics: [m('Output/Power', 2400, 'W')] },
      { id: 'bbu-1', kind: 'bbu', online: true, metrics: [m('State Of Charge', 98, '%')] },
      { id: 'shelf-0', kind: 'shelf', online: true, metrics: [m('Bus/Voltage', 50.1, 'V')] },
    ];
  }
}

export class LoggingSink implements CommandSink {
  readonly calls: string[] = [];
  readonly hints: WorkloadHint[] = [];
  async setPowerCapW(w: number | null): Promise<CommandResult> {
    this.calls.push(`cap ${w}`);
    return { ok: true };
  }
  async locate(id: string, on: boolean): Promise<CommandResult> {
    this.calls.push(`locate ${id} ${on}`);
    return { ok: true };
  }
  async bbuSelfTest(id: string): Promise<CommandResult> {
    this.calls.push(`selftest ${id}`);
    return { ok: true };
  }
  async hint(h: WorkloadHint): Promise<CommandResult> {
    this.hints.push(h);
    return { ok: true };
  }
}
