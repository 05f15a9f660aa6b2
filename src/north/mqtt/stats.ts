/**
 * What the edge node reports about itself: its state machine, events for listeners, and
 * counters (docs/MQTT.md "Counters"). Counters only grow; stats() hands out copies.
 */
import type { ForwarderCounters } from './forwarder.js';
import type { MqttLogger } from './logger.js';
import type { OwnedMetrics } from './owned-metrics.js';
import type { InboundEvent } from './inbound.js';
import type { PublishedType } from './session.js';

/**
 * stopped → connecting → (waiting-host →) online; any loss → backoff → connecting.
 * waiting-host: connected and subscribed, the primary host's STATE is not online yet.
 */
export type EdgeNodeState = 'stopped' | 'connecting' | 'waiting-host' | 'online' | 'backoff';

export type EdgeNodeEvent =
  | { readonly type: 'state'; readonly state: EdgeNodeState }
  | { readonly type: 'connected'; readonly bdSeq: number }
  | { readonly type: 'connect-failed'; readonly reason: string }
  | { readonly type: 'disconnected'; readonly reason: string }
  | { readonly type: 'births'; readonly bdSeq: number }
  | { readonly type: 'replay-done'; readonly records: number }
  | { readonly type: 'host'; readonly online: boolean }
  | InboundEvent;

export interface EdgeNodeStats extends ForwarderCounters {
  /** bdSeq of the current (or last) connection; null before the first CONNECT. */
  bdSeq: number | null;
  connects: number;
  connectFailures: number;
  disconnects: number;
  rebirths: number;
  /** Messages handed to the broker connection, per Sparkplug message type. */
  published: Record<PublishedType, number>;
  /** QoS 1 publishes the broker answered with a failure reason code (MQTT 5). */
  publishRefused: number;
  /** Messages the codec refused (an id or name the wire cannot carry): not sent, logged. */
  encodeErrors: number;
  /** Sample-carrying messages unconfirmed when their connection ended, moved to the store. */
  spilled: number;
  /** Records waiting in the store. */
  backlog: number;
  /** Last accepted primary host STATE (false until one says online). */
  hostOnline: boolean;
  commandsAccepted: number;
  commandsRejected: number;
  commandsMalformed: number;
  hintsAccepted: number;
  hintsRejected: number;
}

export function newStats(): EdgeNodeStats {
  return {
    bdSeq: null,
    connects: 0,
    connectFailures: 0,
    disconnects: 0,
    rebirths: 0,
    published: { NBIRTH: 0, NDATA: 0, NDEATH: 0, NCMD: 0, DBIRTH: 0, DDATA: 0, DDEATH: 0, DCMD: 0 },
    publishRefused: 0,
    encodeErrors: 0,
    spilled: 0,
    backlog: 0,
    hostOnline: false,
    commandsAccepted: 0,
    commandsRejected: 0,
    commandsMalformed: 0,
    hintsAccepted: 0,
    hintsRejected: 0,
    stored: 0,
    storeRefused: 0,
    droppedNoStore: 0,
    replayed: 0,
    replaySkipped: 0,
    replayDroppedMetrics: 0,
  };
}

/** Listener set; a listener that throws is logged, never allowed to break the session. */
export class Emitter {
  private readonly listeners = new Set<(e: EdgeNodeEvent) => void>();

  constructor(private readonly log: MqttLogger) {}

  on(listener: (e: EdgeNodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: EdgeNodeEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error('event listener threw', { event: e.type, error: (err as Error).message });
      }
    }
  }
}

/** What stats() hands out: a copy, with the numbers other parts own filled in. */
export function statsView(
  c: EdgeNodeStats,
  owned: OwnedMetrics,
  bdSeq: number | null,
  backlog: number,
): EdgeNodeStats {
  return {
    ...c,
    published: { ...c.published },
    bdSeq,
    backlog,
    commandsAccepted: owned.count('accepted'),
    commandsRejected: owned.count('rejected'),
    commandsMalformed: owned.count('malformed'),
    hintsAccepted: owned.count('hintsAccepted'),
    hintsRejected: owned.count('hintsRejected'),
  };
}
