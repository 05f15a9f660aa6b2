/**
 * An in-memory MQTT broker behind the MqttTransport seam, for unit tests on a VirtualClock:
 * wildcard subscriptions, retained messages, wills (published when a connection drops, not on a
 * clean end), PUBACKs that can be held back, refused publishes, and a "down" switch that refuses
 * CONNECTs. Everything is delivered synchronously; tests let promises settle with settle().
 */
import type {
  ConnectOptions,
  MqttConnection,
  MqttTransport,
} from '../../../../src/north/mqtt/transport.js';
import { PublishRefusedError } from '../../../../src/north/mqtt/transport.js';

export interface Delivered {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly from: string;
}

export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Waits in real time (file I/O is real even on a VirtualClock) until `cond` holds. */
export async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

class FakeConnection implements MqttConnection {
  readonly filters: string[] = [];
  private messageCb: ((topic: string, payload: Uint8Array) => void) | null = null;
  private closeCb: ((why: string) => void) | null = null;
  open = true;
  /** Unacked QoS 1 publishes (held while broker.holdAcks). */
  readonly pending: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly broker: FakeBroker,
    readonly clientId: string,
    readonly will: { readonly topic: string; readonly payload: Uint8Array } | undefined,
  ) {}

  publish(topic: string, payload: Uint8Array, qos: 0 | 1): Promise<void> {
    if (!this.open) return Promise.reject(new Error('not connected'));
    const refused = this.broker.refuse(topic);
    if (refused !== undefined && qos === 1) return Promise.reject(new PublishRefusedError(refused));
    if (refused === undefined) {
      this.broker.route({
        topic,
        payload: payload.slice(),
        qos,
        retain: false,
        from: this.clientId,
      });
    }
    if (qos === 0 || !this.broker.holdAcks) return Promise.resolve();
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  async subscribe(filters: readonly string[]): Promise<void> {
    if (!this.open) throw new Error('not connected');
    this.filters.push(...filters);
    await Promise.resolve();
    for (const r of this.broker.retainedFor(filters)) this.deliver(r.topic, r.payload);
  }

  onMessage(cb: (topic: string, payload: Uint8Array) => void): void {
    this.messageCb = cb;
  }

  onClose(cb: (why: string) => void): void {
    this.closeCb = cb;
  }

  async end(): Promise<void> {
    this.broker.detach(this, false, false);
  }

  destroy(): void {
    this.broker.detach(this, true, false);
  }

  deliver(topic: string, payload: Uint8Array): void {
    if (this.open) this.messageCb?.(topic, payload);
  }

  /** Connection gone: fail in-flight publishes, tell the client (unless it ended it itself). */
  lost(why: string, notify: boolean): void {
    this.open = false;
    for (const p of this.pending.splice(0)) p.reject(new Error('connection closed'));
    if (notify) this.closeCb?.(why);
  }

  ackAll(): void {
    for (const p of this.pending.splice(0)) p.resolve();
  }
}

export class FakeBroker implements MqttTransport {
  readonly log: Delivered[] = [];
  readonly connects: ConnectOptions[] = [];
  readonly connections: FakeConnection[] = [];
  private readonly retained = new Map<string, Delivered>();
  /** External subscribers (the test's "host application"). */
  private readonly taps: { filter: string; cb: (d: Delivered) => void }[] = [];
  private readonly refusals = new Map<string, number>();
  down = false;
  holdAcks = false;

  async connect(o: ConnectOptions): Promise<MqttConnection> {
    this.connects.push(o);
    await Promise.resolve();
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:1883');
    const c = new FakeConnection(this, o.clientId, o.will);
    this.connections.push(c);
    return c;
  }

  /** A publish by the test (a host application): retained STATE, NCMD, hints. */
  inject(topic: string, payload: Uint8Array | string, retain = false): void {
    const p = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    this.route({ topic, payload: p, qos: 1, retain, from: 'test' });
  }

  tap(filter: string, cb: (d: Delivered) => void): void {
    this.taps.push({ filter, cb });
  }

  /** Publishes to topics matching `filter` get this MQTT 5 reason code (e.g. 0x87). */
  refuseTopic(filter: string, reasonCode: number): void {
    this.refusals.set(filter, reasonCode);
  }

  refuse(topic: string): number | undefined {
    for (const [f, rc] of this.refusals) if (topicMatches(f, topic)) return rc;
    return undefined;
  }

  route(d: Delivered): void {
    this.log.push(d);
    if (d.retain) this.retained.set(d.topic, d);
    for (const t of this.taps) if (topicMatches(t.filter, d.topic)) t.cb(d);
    for (const c of this.connections) {
      if (c.open && c.filters.some((f) => topicMatches(f, d.topic))) c.deliver(d.topic, d.payload);
    }
  }

  retainedFor(filters: readonly string[]): Delivered[] {
    return [...this.retained.values()].filter((r) => filters.some((f) => topicMatches(f, r.topic)));
  }

  /** The live connection of the edge node (the last one opened). */
  current(): FakeConnection | undefined {
    return [...this.connections].reverse().find((c) => c.open);
  }

  /** Network failure of one client: the broker publishes its will. */
  dropClient(why = 'ECONNRESET'): void {
    const c = this.current();
    if (c) this.detach(c, true, true, why);
  }

  /** The broker process dies: every connection closes, no wills, no retained messages. */
  crash(): void {
    for (const c of this.connections) if (c.open) c.lost('broker gone', true);
    this.retained.clear();
    this.down = true;
  }

  ackAll(): void {
    for (const c of this.connections) c.ackAll();
  }

  detach(c: FakeConnection, withWill: boolean, notify: boolean, why = 'closed'): void {
    if (!c.open) return;
    c.lost(why, notify);
    if (withWill && c.will) {
      this.route({
        topic: c.will.topic,
        payload: c.will.payload,
        qos: 1,
        retain: false,
        from: 'will',
      });
    }
  }

  published(prefix: string): Delivered[] {
    return this.log.filter((d) => d.from !== 'test' && d.topic.startsWith(prefix));
  }
}
