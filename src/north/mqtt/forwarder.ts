/**
 * Store-and-forward: DATA that cannot go out live goes into the durable queue as a
 * self-describing Sparkplug payload (names and datatypes, no alias, no seq — those belong to a
 * session), and is replayed in a later session, in order, as is_historical DATA at QoS 1. A
 * record is acked only after the broker PUBACKed it (and every record before it), so a
 * connection lost mid-replay leaves the unconfirmed tail in the queue for the next session.
 */
import type { Clock } from '../../clock/index.js';
import type { ResolvedConfig } from './config.js';
import type { MqttLogger } from './logger.js';
import { NODE_SCOPE, storedPayload, type AliasTable, type Scope } from './metrics-model.js';
import type { SparkplugSession } from './session.js';
import {
  decodePayload,
  deviceTopic,
  encodePayload,
  nodeTopic,
  parseTopic,
  type SpMetric,
} from './sparkplug/index.js';
import type { MetricSample } from './source.js';
import type { ForwardRecord, ForwardStore } from './store-port.js';

export interface ForwarderCounters {
  /** DATA records appended to the store. */
  stored: number;
  /** Records the store refused (cap under reject-newest, too large, closed). */
  storeRefused: number;
  /** Records that could not go out and had no store to go to. */
  droppedNoStore: number;
  /** Records replayed and PUBACKed. */
  replayed: number;
  /** Stored records that no longer decode, or name a device the source no longer knows. */
  replaySkipped: number;
  /** Metrics of replayed records that the current births do not declare (dropped). */
  replayDroppedMetrics: number;
}

export interface ForwarderDeps {
  readonly cfg: ResolvedConfig;
  readonly clock: Clock;
  readonly log: MqttLogger;
  readonly aliases: AliasTable;
  readonly counters: ForwarderCounters;
  readonly onReplayDone: (records: number) => void;
  readonly onEncodeError: (type: 'DDATA', message: string) => void;
}

type Outcome = 'done' | 'lost';

export class Forwarder {
  constructor(
    private readonly store: ForwardStore | undefined,
    private readonly d: ForwarderDeps,
  ) {}

  /** Records waiting in the store. */
  backlog(): number {
    return this.store?.stats().records ?? 0;
  }

  droppedByStore(): number {
    return this.store?.stats().dropped.records ?? 0;
  }

  /** Keeps one DATA record for later (or counts it lost without a store). */
  keep(scope: Scope, samples: readonly MetricSample[]): void {
    if (samples.length === 0) return;
    if (!this.store) {
      this.d.counters.droppedNoStore++;
      return;
    }
    const { groupId, edgeNodeId } = this.d.cfg;
    let topic: string;
    let bytes: Uint8Array;
    try {
      topic =
        scope === NODE_SCOPE
          ? nodeTopic(groupId, 'NDATA', edgeNodeId)
          : deviceTopic(groupId, 'DDATA', edgeNodeId, scope);
      bytes = encodePayload(storedPayload(samples, this.d.clock.epochMs()));
    } catch (e) {
      this.d.onEncodeError('DDATA', (e as Error).message);
      return;
    }
    const oldest = Math.min(...samples.map((s) => s.timestampMs));
    const r = this.store.append(topic, oldest, bytes);
    if (r.ok) {
      this.d.counters.stored++;
    } else {
      this.d.counters.storeRefused++;
      this.d.log.warn('store refused a record', { topic, reason: r.reason });
    }
  }

  /**
   * Replays the whole backlog into `session`, window by window. Sets session.replaying while it
   * runs; returns when the store is empty (live data may resume) or the session died.
   */
  async replay(session: SparkplugSession): Promise<void> {
    const store = this.store;
    if (!store) return;
    session.replaying = true;
    let total = 0;
    while (session.alive) {
      const batch = store.peek(this.d.cfg.replayWindow);
      if (batch.length === 0) {
        // Synchronously after an empty peek: no tick can slip a record in between.
        session.replaying = false;
        this.d.log.info('replay done', { records: total });
        this.d.onReplayDone(total);
        return;
      }
      // Each replayOne publishes before its first await, so seq order = store order.
      const outcomes = await Promise.all(batch.map((r) => this.replayOne(session, r)));
      let last = -1;
      while (last + 1 < outcomes.length && outcomes[last + 1] === 'done') last++;
      if (last >= 0) {
        store.ack(batch[last]!.seq);
        total += last + 1;
      }
      if (last < batch.length - 1) return;
    }
  }

  private async replayOne(session: SparkplugSession, r: ForwardRecord): Promise<Outcome> {
    const c = this.d.counters;
    let scope: Scope;
    let metrics: readonly SpMetric[];
    try {
      const t = parseTopic(r.topic);
      scope = t.kind === 'device' ? t.deviceId : NODE_SCOPE;
      metrics = decodePayload(r.payload).metrics;
    } catch (e) {
      c.replaySkipped++;
      this.d.log.warn('stored record unreadable; skipped', {
        seq: r.seq,
        error: (e as Error).message,
      });
      return 'done';
    }
    const names = session.bornNames(scope);
    if (!names) {
      c.replaySkipped++;
      this.d.log.warn('stored record for a device no longer known; skipped', { seq: r.seq, scope });
      return 'done';
    }
    const keep = metrics.filter((m) => m.name !== undefined && names.has(m.name));
    c.replayDroppedMetrics += metrics.length - keep.length;
    if (keep.length === 0) return 'done';
    const hist = keep.map((m): SpMetric => ({
      ...m,
      alias: this.d.aliases.alias(scope, m.name!),
      isHistorical: true,
    }));
    const outcome = await session.historical(scope, hist);
    if (outcome === 'lost') return 'lost';
    if (outcome === 'delivered') c.replayed++;
    if (outcome === 'invalid') c.replaySkipped++;
    return 'done';
  }
}
