/**
 * The MQTT connection as the session sees it: one connection per CONNECT, no automatic
 * reconnect. mqtt.js reconnects by replaying the *same* CONNECT options, i.e. the same will —
 * the sparkplug-client defect of a bdSeq that never moves. So the session owns reconnection and
 * builds a fresh will (bdSeq + 1) for every attempt; this file only speaks MQTT.
 *
 * Unit tests replace MqttTransport with an in-memory fake; MqttJsTransport is the real one.
 */
import mqtt, { ErrorWithReasonCode, type IClientOptions, type MqttClient } from 'mqtt';

export interface ConnectOptions {
  readonly url: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: {
    readonly ca?: string | Uint8Array;
    readonly cert?: string | Uint8Array;
    readonly key?: string | Uint8Array;
    readonly rejectUnauthorized: boolean;
  };
  readonly mqttVersion: 4 | 5;
  readonly keepaliveS: number;
  readonly connectTimeoutMs: number;
  readonly will: { readonly topic: string; readonly payload: Uint8Array };
}

/** The broker answered a QoS 1 publish with a failure reason code (MQTT 5), e.g. 0x87 Not authorized. */
export class PublishRefusedError extends Error {
  constructor(readonly reasonCode: number) {
    super(`broker refused the publish (reason code 0x${reasonCode.toString(16)})`);
    this.name = 'PublishRefusedError';
  }
}

export interface MqttConnection {
  /** QoS 0 resolves once written to the socket, QoS 1 once PUBACKed. Rejects on refusal or loss. */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1): Promise<void>;
  subscribe(filters: readonly string[]): Promise<void>;
  onMessage(cb: (topic: string, payload: Uint8Array) => void): void;
  /** Called once when the connection is gone, whatever the cause (not after end()). */
  onClose(cb: (why: string) => void): void;
  /** Clean MQTT DISCONNECT (the broker discards the will). */
  end(): Promise<void>;
  /** Drop the socket without DISCONNECT (the broker publishes the will). */
  destroy(): void;
}

export interface MqttTransport {
  connect(o: ConnectOptions): Promise<MqttConnection>;
}

function toBuffer(v: string | Uint8Array | undefined): Buffer | string | undefined {
  return v === undefined || typeof v === 'string' ? v : Buffer.from(v);
}

interface Queued {
  readonly qos: 0 | 1;
  readonly send: () => void;
  readonly fail: (e: Error) => void;
}

class MqttJsConnection implements MqttConnection {
  private closeCb: ((why: string) => void) | null = null;
  private closed = false;
  private ended = false;
  private lastError = '';
  /**
   * Flow control: the broker's CONNACK Receive Maximum caps our unacknowledged QoS 1 publishes
   * (MQTT 5 §4.9; some brokers disconnect with 0x93 beyond it, mqtt.js does not enforce it).
   * Everything queues behind a waiting QoS 1 message, QoS 0 included, so wire order = seq order.
   */
  private readonly receiveMaximum: number;
  private inflight = 0;
  private readonly queue: Queued[] = [];

  constructor(private readonly client: MqttClient) {
    this.receiveMaximum = client.serverProperties?.receiveMaximum ?? 65_535;
    client.on('error', (e) => (this.lastError = e.message));
    client.on('close', () => this.fireClose(this.lastError || 'connection closed'));
  }

  private fireClose(why: string): void {
    if (this.closed) return;
    this.closed = true;
    // With reconnectPeriod 0 and clean sessions mqtt.js fails every pending publish here.
    this.client.end(true);
    for (const q of this.queue.splice(0)) q.fail(new Error('connection closed'));
    if (!this.ended) this.closeCb?.(why);
  }

  publish(topic: string, payload: Uint8Array, qos: 0 | 1): Promise<void> {
    // Never let mqtt.js queue while offline: a queued DATA would leave after the next CONNECT,
    // before its NBIRTH and with a stale seq.
    if (this.closed || !this.client.connected) return Promise.reject(new Error('not connected'));
    return new Promise((resolve, reject) => {
      const send = (): void => {
        if (qos === 1) this.inflight++;
        this.client.publish(topic, Buffer.from(payload), { qos, retain: false }, (err) => {
          if (qos === 1) {
            this.inflight--;
            this.pump();
          }
          if (!err) resolve();
          else if (err instanceof ErrorWithReasonCode) reject(new PublishRefusedError(err.code));
          else reject(err);
        });
      };
      this.queue.push({ qos, send, fail: reject });
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.qos === 1 && this.inflight >= this.receiveMaximum) return;
      this.queue.shift();
      head.send();
    }
  }

  async subscribe(filters: readonly string[]): Promise<void> {
    const granted = await this.client.subscribeAsync([...filters], { qos: 1 });
    // SUBACK 0x80+ = refused (e.g. ACL): without NCMD we cannot honour Rebirth, so fail loudly.
    const refused = granted.filter((g) => g.qos >= 0x80).map((g) => g.topic);
    if (refused.length > 0) throw new Error(`subscription refused: ${refused.join(', ')}`);
  }

  onMessage(cb: (topic: string, payload: Uint8Array) => void): void {
    this.client.on('message', (topic, payload) => cb(topic, payload));
  }

  onClose(cb: (why: string) => void): void {
    this.closeCb = cb;
  }

  async end(): Promise<void> {
    this.ended = true;
    if (this.closed) return;
    await this.client.endAsync();
  }

  destroy(): void {
    this.ended = true;
    this.closed = true;
    this.client.end(true);
  }
}

export class MqttJsTransport implements MqttTransport {
  connect(o: ConnectOptions): Promise<MqttConnection> {
    const opts: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: o.mqttVersion,
      // Sparkplug §5: clean session (3.1.1) / clean start + session expiry 0 (5.0).
      clean: true,
      ...(o.mqttVersion === 5 ? { properties: { sessionExpiryInterval: 0 } } : {}),
      reconnectPeriod: 0,
      keepalive: o.keepaliveS,
      connectTimeout: o.connectTimeoutMs,
      resubscribe: false,
      queueQoSZero: false,
      will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: 1, retain: false },
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
    };
    if (o.tls) {
      const ca = toBuffer(o.tls.ca);
      const cert = toBuffer(o.tls.cert);
      const key = toBuffer(o.tls.key);
      Object.assign(opts, {
        rejectUnauthorized: o.tls.rejectUnauthorized,
        ...(ca !== undefined ? { ca } : {}),
        ...(cert !== undefined ? { cert } : {}),
        ...(key !== undefined ? { key } : {}),
      });
    }
    const client = mqtt.connect(o.url, opts);
    return new Promise((resolve, reject) => {
      let lastError = '';
      const onError = (e: Error): void => {
        lastError = e.message;
      };
      const onClose = (): void => {
        cleanup();
        client.end(true);
        // mqtt.js error texts carry reason codes and host:port, not the CONNECT credentials.
        reject(new Error(lastError || 'connection closed before CONNACK'));
      };
      const onConnect = (): void => {
        cleanup();
        resolve(new MqttJsConnection(client));
      };
      const cleanup = (): void => {
        client.off('error', onError);
        client.off('close', onClose);
        client.off('connect', onConnect);
      };
      client.on('error', onError);
      client.on('close', onClose);
      client.on('connect', onConnect);
    });
  }
}
