/**
 * One Sparkplug session: from the NBIRTH on one MQTT connection until that connection ends.
 * Owns the seq counter (0 at every NBIRTH, +1 mod 256 on every NBIRTH/DBIRTH/NDATA/DDATA/DDEATH;
 * NDEATH has none), which devices are born, and the messages in flight that carry samples.
 *
 * Seq numbers are assigned and the publish handed to the connection synchronously, so messages
 * leave in seq order even when many are in flight.
 */
import type { Clock, TimerHandle } from '../../clock/index.js';
import type { ResolvedConfig } from './config.js';
import type { ReportFilter } from './deadband.js';
import type { MqttLogger } from './logger.js';
import {
  AliasTable,
  NODE_SCOPE,
  bdSeqSample,
  birthPayload,
  dataPayload,
  ndeathPayload,
  NodeMetric,
  type Scope,
} from './metrics-model.js';
import type { Snapshot } from './owned-metrics.js';
import {
  deviceTopic,
  encodePayload,
  nodeTopic,
  type EdgeMessageType,
  type SpMetric,
  type SpPayload,
} from './sparkplug/index.js';
import type { MetricSample } from './source.js';
import { PublishRefusedError, type MqttConnection } from './transport.js';
import { wireMs } from './wire-values.js';

export type PublishedType = EdgeMessageType | 'NDEATH';

/** Samples whose delivery is not yet confirmed: if the connection dies they go to the store. */
export interface Carried {
  readonly scope: Scope;
  readonly samples: readonly MetricSample[];
}

export interface SessionDeps {
  readonly cfg: ResolvedConfig;
  readonly conn: MqttConnection;
  readonly aliases: AliasTable;
  readonly filter: ReportFilter;
  readonly bdSeq: number;
  readonly log: MqttLogger;
  readonly clock: Clock;
  readonly onPublished: (type: PublishedType) => void;
  readonly onRefused: (type: PublishedType, reasonCode: number) => void;
  /** The codec refused a message (a bad id or name from the source); it was not sent. */
  readonly onEncodeError: (type: PublishedType, message: string) => void;
}

/** invalid: the record no longer encodes (skipped, like a refused one). */
export type HistoricalOutcome = 'delivered' | 'refused' | 'lost' | 'invalid';

export class SparkplugSession {
  alive = true;
  /** Replaying the store: live DATA waits (goes to the store) and DDEATH is deferred. */
  replaying = false;
  private seq = 0;
  private nodeNames = new Set<string>();
  private readonly born = new Map<string, Set<string>>();
  private readonly inflight = new Map<number, Carried>();
  private nextInflight = 1;

  constructor(private readonly d: SessionDeps) {}

  get bdSeq(): number {
    return this.d.bdSeq;
  }

  isBorn(scope: Scope): boolean {
    return scope === NODE_SCOPE || this.born.has(scope);
  }

  bornDevices(): string[] {
    return [...this.born.keys()];
  }

  bornNames(scope: Scope): ReadonlySet<string> | undefined {
    return scope === NODE_SCOPE ? this.nodeNames : this.born.get(scope);
  }

  /** NBIRTH (seq 0) then a DBIRTH per device; `withOffline` also births offline devices. */
  births(snap: Snapshot, withOffline: boolean): void {
    this.seq = 0;
    this.born.clear();
    const now = this.d.clock.epochMs();
    const rebirth: MetricSample = {
      name: NodeMetric.rebirth,
      type: 'Boolean',
      value: false,
      timestampMs: now,
    };
    const nodeSamples = [bdSeqSample(this.d.bdSeq, now), rebirth, ...snap.node];
    this.nodeNames = new Set(nodeSamples.map((s) => s.name));
    this.d.filter.markBirth(NODE_SCOPE, snap.node, this.d.clock.nowMs());
    this.send(
      'NBIRTH',
      NODE_SCOPE,
      (seq) => birthPayload(NODE_SCOPE, nodeSamples, this.d.aliases, now, seq),
      snap.node,
    );
    for (const dev of snap.devices) {
      if (dev.online || withOffline) this.dbirth(dev.id, dev.metrics);
    }
  }

  /** A DBIRTH for one device (new, back online, or with metrics its last DBIRTH lacked). */
  dbirth(deviceId: string, metrics: readonly MetricSample[]): void {
    this.born.set(deviceId, new Set(metrics.map((s) => s.name)));
    this.d.filter.markBirth(deviceId, metrics, this.d.clock.nowMs());
    const now = this.d.clock.epochMs();
    this.send(
      'DBIRTH',
      deviceId,
      (seq) => birthPayload(deviceId, metrics, this.d.aliases, now, seq),
      metrics,
    );
  }

  ddeath(deviceId: string): void {
    this.born.delete(deviceId);
    this.d.filter.forget(deviceId);
    const now = this.d.clock.epochMs();
    this.send('DDEATH', deviceId, (seq) => ({ timestamp: wireMs(now), seq, metrics: [] }));
  }

  /** Live NDATA/DDATA (aliases, is_historical unset). */
  data(scope: Scope, samples: readonly MetricSample[]): void {
    const now = this.d.clock.epochMs();
    this.send(
      scope === NODE_SCOPE ? 'NDATA' : 'DDATA',
      scope,
      (seq) => dataPayload(scope, samples, this.d.aliases, now, seq, false),
      samples,
    );
  }

  /** One replayed record, QoS 1 whatever dataQos says: the store is acked on PUBACK only. */
  async historical(scope: Scope, metrics: readonly SpMetric[]): Promise<HistoricalOutcome> {
    if (!this.alive) return 'lost';
    const type = scope === NODE_SCOPE ? 'NDATA' : 'DDATA';
    const now = this.d.clock.epochMs();
    const msg = this.prepare(type, scope, (seq) => ({ timestamp: wireMs(now), seq, metrics }));
    if (!msg) return 'invalid';
    try {
      await this.d.conn.publish(msg.topic, msg.bytes, 1);
      return 'delivered';
    } catch (e) {
      if (e instanceof PublishRefusedError) {
        this.d.onRefused(type, e.reasonCode);
        return 'refused';
      }
      return 'lost';
    }
  }

  /** Intentional end (stop, or the primary host went offline): NDEATH, then clean DISCONNECT. */
  async ndeath(timeoutMs: number): Promise<void> {
    const bytes = encodePayload(ndeathPayload(this.d.clock.epochMs(), this.d.bdSeq));
    const topic = nodeTopic(this.d.cfg.groupId, 'NDEATH', this.d.cfg.edgeNodeId);
    this.d.onPublished('NDEATH');
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.d.clock.setTimeout(resolve, timeoutMs);
    });
    try {
      await Promise.race([this.d.conn.publish(topic, bytes, 1).catch(() => {}), timeout]);
    } finally {
      this.d.clock.clearTimer(timer);
    }
  }

  /** The connection is gone: everything not confirmed, oldest first, for the store. */
  end(): Carried[] {
    this.alive = false;
    const ids = [...this.inflight.keys()].sort((a, b) => a - b);
    const out = ids.map((id) => this.inflight.get(id)!);
    this.inflight.clear();
    return out;
  }

  /**
   * Topic and bytes with the next seq. The seq is spent only when the message encodes, so a
   * value the codec refuses costs that message, never a gap in the sequence.
   */
  private prepare(
    type: EdgeMessageType,
    scope: Scope,
    build: (seq: number) => SpPayload,
  ): { topic: string; bytes: Uint8Array } | null {
    const seq = this.seq;
    const { groupId, edgeNodeId } = this.d.cfg;
    try {
      const topic =
        scope === NODE_SCOPE
          ? nodeTopic(groupId, type as 'NBIRTH' | 'NDATA', edgeNodeId)
          : deviceTopic(groupId, type as 'DBIRTH' | 'DDATA' | 'DDEATH', edgeNodeId, scope);
      const bytes = encodePayload(build(seq), { messageType: type });
      this.seq = (seq + 1) % 256;
      this.d.onPublished(type);
      return { topic, bytes };
    } catch (e) {
      this.d.onEncodeError(type, (e as Error).message);
      return null;
    }
  }

  private send(
    type: EdgeMessageType,
    scope: Scope,
    build: (seq: number) => SpPayload,
    samples?: readonly MetricSample[],
  ): void {
    const msg = this.prepare(type, scope, build);
    if (!msg) return;
    const qos = this.d.cfg.dataQos;
    const id = samples && qos === 1 ? this.nextInflight++ : 0;
    if (id) this.inflight.set(id, { scope, samples: samples! });
    this.d.conn.publish(msg.topic, msg.bytes, qos).then(
      () => this.inflight.delete(id),
      (e: unknown) => {
        if (e instanceof PublishRefusedError) {
          // The broker refused it on purpose (ACL, quota): retrying from the store cannot help.
          this.inflight.delete(id);
          this.d.onRefused(type, e.reasonCode);
        } else if (this.alive) {
          this.d.log.debug('publish failed', { type, error: (e as Error).message });
        }
      },
    );
  }
}
