/**
 * Event subscriptions: push destinations (EventDestination, delivery over HTTP(S) POST with
 * retries per DeliveryRetryPolicy) and SSE streams (one subscription per open stream). Each
 * subscription filters events by registry prefix, MessageId, resource type and origin.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../../../clock/index.js';
import type { RedfishLogger } from '../logger.js';
import { odataType } from '../schemas.js';
import type { JsonObject } from '../http/route.js';
import type { EventBus, EventRecord } from './event-service.js';

export type RetryPolicy = 'TerminateAfterRetries' | 'SuspendRetries' | 'RetryForever';
export const RETRY_POLICIES: readonly RetryPolicy[] = [
  'TerminateAfterRetries',
  'SuspendRetries',
  'RetryForever',
];

export interface SubscriptionFilter {
  registryPrefixes: string[];
  excludeRegistryPrefixes: string[];
  messageIds: string[];
  excludeMessageIds: string[];
  resourceTypes: string[];
  originResources: string[];
  subordinateResources: boolean;
}

export interface Subscription extends SubscriptionFilter {
  readonly id: string;
  readonly owner: string;
  readonly type: 'RedfishEvent' | 'SSE';
  readonly destination: string;
  context: string;
  readonly format: 'Event' | 'MetricReport';
  retryPolicy: RetryPolicy;
  /** Sent with every POST; never returned in GET (write-only, may hold credentials). */
  headers: Record<string, string>;
  readonly verifyCertificate: boolean;
  includeOrigin: boolean;
  /** Suspended after failed retries (SuspendRetries): Status.State Disabled. */
  suspended: boolean;
  /** Deliveries that failed every retry, and events dropped while the queue was full. */
  failures: number;
  dropped: number;
  readonly stream?: ServerResponse;
}

export interface DeliveryPolicy {
  retryAttempts: number;
  retryIntervalS: number;
  readonly maxSubscriptions: number;
  readonly maxStreams: number;
  readonly queueLimit: number;
  readonly timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = {
  retryAttempts: 3,
  retryIntervalS: 30,
  maxSubscriptions: 20,
  maxStreams: 10,
  queueLimit: 500,
  timeoutMs: 5000,
};

/** Does a subscription want this event? */
export function wants(s: SubscriptionFilter & { format: string }, e: EventRecord): boolean {
  if ((s.format === 'MetricReport') !== (e.metricReport !== undefined)) return false;
  if (s.registryPrefixes.length && !s.registryPrefixes.includes(e.prefix)) return false;
  if (s.excludeRegistryPrefixes.includes(e.prefix)) return false;
  const id = e.message.MessageId;
  const short = `${e.prefix}.${id.slice(id.lastIndexOf('.') + 1)}`;
  if (s.messageIds.length && !s.messageIds.includes(id) && !s.messageIds.includes(short))
    return false;
  if (s.excludeMessageIds.includes(id) || s.excludeMessageIds.includes(short)) return false;
  if (s.resourceTypes.length && !(e.resourceType && s.resourceTypes.includes(e.resourceType)))
    return false;
  if (s.originResources.length) {
    const o = e.origin;
    if (!o) return false;
    const hit = s.originResources.some(
      (r) => o === r || (s.subordinateResources && o.startsWith(`${r}/`)),
    );
    if (!hit) return false;
  }
  return true;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The Event payload (Event.v1_x) of one record for one subscriber. */
export function eventPayload(
  e: EventRecord,
  context: string | undefined,
  includeOrigin: boolean,
): JsonObject {
  if (e.metricReport) return { ...e.metricReport, ...(context ? { Context: context } : {}) };
  const m = e.message;
  return {
    '@odata.type': odataType('Event'),
    Id: String(e.id),
    Name: 'Event Array',
    ...(context !== undefined ? { Context: context } : {}),
    Events: [
      {
        EventType: 'Alert',
        EventId: String(e.id),
        EventTimestamp: iso(e.epochMs),
        MemberId: '0',
        MessageId: m.MessageId,
        Message: m.Message,
        MessageArgs: [...m.MessageArgs],
        Severity: m.Severity,
        MessageSeverity: m.MessageSeverity,
        Resolution: m.Resolution,
        ...(includeOrigin && e.origin ? { OriginOfCondition: { '@odata.id': e.origin } } : {}),
        ...(e.oem ? { Oem: e.oem } : {}),
      },
    ],
  };
}

export class SubscriptionStore {
  private readonly subs = new Map<string, Subscription>();
  private readonly queues = new Map<string, EventRecord[]>();
  private readonly sending = new Set<string>();
  private readonly keepAlive: TimerHandle;

  constructor(
    private readonly clock: Clock,
    bus: EventBus,
    private readonly log: RedfishLogger,
    readonly policy: DeliveryPolicy = { ...DEFAULT_DELIVERY },
  ) {
    bus.subscribe((e) => this.dispatch(e));
    // SSE comment lines keep idle streams (and proxies) from timing out.
    this.keepAlive = clock.setInterval(() => {
      for (const s of this.subs.values()) if (s.stream) s.stream.write(': keep-alive\n\n');
    }, 30_000);
  }

  list(): Subscription[] {
    return [...this.subs.values()];
  }

  get(id: string): Subscription | undefined {
    return this.subs.get(id);
  }

  get pushCount(): number {
    return this.list().filter((s) => s.type === 'RedfishEvent').length;
  }

  get streamCount(): number {
    return this.list().filter((s) => s.type === 'SSE').length;
  }

  private newId(): string {
    let id: string;
    do id = randomBytes(4).toString('hex');
    while (this.subs.has(id));
    return id;
  }

  add(s: Omit<Subscription, 'id' | 'suspended' | 'failures' | 'dropped'>): Subscription {
    const sub: Subscription = { ...s, id: this.newId(), suspended: false, failures: 0, dropped: 0 };
    this.subs.set(sub.id, sub);
    this.queues.set(sub.id, []);
    return sub;
  }

  remove(id: string): boolean {
    const s = this.subs.get(id);
    if (!s) return false;
    this.subs.delete(id);
    this.queues.delete(id);
    if (s.stream && !s.stream.writableEnded) s.stream.end();
    return true;
  }

  closeStreams(): void {
    for (const s of this.list()) if (s.type === 'SSE') this.remove(s.id);
  }

  stop(): void {
    this.clock.clearTimer(this.keepAlive);
    this.closeStreams();
  }

  /** Writes one SSE record (also used to replay history on Last-Event-ID). */
  writeSse(s: Subscription, e: EventRecord): void {
    s.stream?.write(
      `id: ${e.id}\ndata: ${JSON.stringify(eventPayload(e, s.context || undefined, s.includeOrigin))}\n\n`,
    );
  }

  private dispatch(e: EventRecord): void {
    for (const s of this.subs.values()) {
      if (s.suspended || !wants(s, e)) continue;
      if (s.stream) {
        this.writeSse(s, e);
        continue;
      }
      const q = this.queues.get(s.id)!;
      if (q.length >= this.policy.queueLimit) {
        q.shift();
        s.dropped++;
      }
      q.push(e);
      if (!this.sending.has(s.id)) void this.drain(s);
    }
  }

  private async drain(s: Subscription): Promise<void> {
    this.sending.add(s.id);
    try {
      for (;;) {
        const q = this.queues.get(s.id);
        const e = q?.[0];
        if (!q || !e || !this.subs.has(s.id) || s.suspended) return;
        let ok = false;
        for (let attempt = 0; !ok; attempt++) {
          ok = await this.post(s, eventPayload(e, s.context || undefined, s.includeOrigin));
          if (ok || !this.subs.has(s.id)) break;
          if (s.retryPolicy !== 'RetryForever' && attempt >= this.policy.retryAttempts) break;
          await this.clock.sleep(this.policy.retryIntervalS * 1000);
        }
        if (!this.subs.has(s.id)) return;
        q.shift();
        if (ok) continue;
        s.failures++;
        this.log.warn('event delivery failed after retries', {
          subscription: s.id,
          policy: s.retryPolicy,
        });
        if (s.retryPolicy === 'TerminateAfterRetries') {
          this.remove(s.id);
          return;
        }
        if (s.retryPolicy === 'SuspendRetries') {
          s.suspended = true;
          q.length = 0;
          return;
        }
      }
    } finally {
      this.sending.delete(s.id);
    }
  }

  /** One POST of a payload; true on a 2xx answer. */
  private post(s: Subscription, body: JsonObject): Promise<boolean> {
    const data = JSON.stringify(body);
    const url = new URL(s.destination);
    const req = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const r = req(
        url,
        {
          method: 'POST',
          headers: {
            ...s.headers,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(data),
          },
          timeout: this.policy.timeoutMs,
          ...(url.protocol === 'https:' ? { rejectUnauthorized: s.verifyCertificate } : {}),
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve((res.statusCode ?? 500) < 300));
        },
      );
      r.on('timeout', () => r.destroy(new Error('timeout')));
      r.on('error', () => resolve(false));
      r.end(data);
    });
  }
}
