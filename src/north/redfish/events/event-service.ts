/**
 * The EventService core: events in, fan-out to SSE streams and push subscriptions. Events
 * are Redfish Event records (Event.v1_x) built from registry messages; each gets a sequence
 * number (EventId) so an SSE client can resume with Last-Event-ID from a bounded history.
 */
import type { Clock } from '../../../clock/index.js';
import type { AnyMessageKey, MessageRegistries, RedfishMessage } from '../messages.js';
import type { JsonObject } from '../http/route.js';
import type { SubscriptionStore } from './subscriptions.js';

export interface EventRecord {
  /** Sequence number, from 1. */
  readonly id: number;
  readonly epochMs: number;
  readonly message: RedfishMessage;
  /** Registry prefix of the message (`Base`, `Power`, `ResourceEvent`, `Telemetry`). */
  readonly prefix: string;
  /** Resource the event is about (@odata.id), if any. */
  readonly origin?: string;
  /** The resource type of the origin (`PowerSupply`, `Chassis`, …), for ResourceTypes filters. */
  readonly resourceType?: string;
  /** Whole payload for MetricReport events (EventType MetricReport). */
  readonly metricReport?: JsonObject;
  /** The record's `Oem` object (what the registry message cannot carry, e.g. the new mode). */
  readonly oem?: JsonObject;
}

export type EventListener = (e: EventRecord) => void;

export class EventBus {
  private nextId = 1;
  private readonly history: EventRecord[] = [];
  private readonly listeners = new Set<EventListener>();
  /** Events published since start, and listener exceptions swallowed. */
  published = 0;
  listenerErrors = 0;

  constructor(
    private readonly clock: Clock,
    private readonly registries: MessageRegistries,
    readonly historySize = 1000,
  ) {}

  /** Publishes a registry message about a resource. */
  publish(
    key: AnyMessageKey,
    args: readonly (string | number)[],
    origin?: { uri: string; type: string },
    oem?: JsonObject,
  ): EventRecord {
    const message = this.registries.message(key, ...args);
    return this.emit({
      message,
      prefix: key.slice(0, key.indexOf('.')),
      ...(origin ? { origin: origin.uri, resourceType: origin.type } : {}),
      ...(oem ? { oem } : {}),
    });
  }

  /** Publishes a metric report (EventFormatType MetricReport subscribers and SSE). */
  publishReport(report: JsonObject, uri: string): EventRecord {
    const message = this.registries.message('Telemetry.TelemetryDataCreated', uri, 'MetricReport');
    return this.emit({
      message,
      prefix: 'Telemetry',
      origin: uri,
      resourceType: 'MetricReport',
      metricReport: report,
    });
  }

  private emit(e: Omit<EventRecord, 'id' | 'epochMs'>): EventRecord {
    const rec: EventRecord = { ...e, id: this.nextId++, epochMs: this.clock.epochMs() };
    this.history.push(rec);
    if (this.history.length > this.historySize) this.history.shift();
    this.published++;
    for (const l of this.listeners) {
      try {
        l(rec);
      } catch {
        this.listenerErrors++;
      }
    }
    return rec;
  }

  subscribe(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** ClearLog of the EventLog: history goes, ids keep counting. */
  clearHistory(): void {
    this.history.length = 0;
  }

  /** Events after `id` still in history (SSE resume). */
  since(id: number): EventRecord[] {
    return this.history.filter((e) => e.id > id);
  }
}

/** The service-level facade resources use: bus + subscriptions + SSE. */
export interface EventService {
  readonly bus: EventBus;
  readonly subscriptions: SubscriptionStore;
  closeStreams(): void;
}
