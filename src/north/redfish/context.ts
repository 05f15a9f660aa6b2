/**
 * Everything a resource handler may use, in one object the service builds at start: the
 * gateway (the only source of values), stores for what clients write, and service identity.
 */
import type { Clock } from '../../clock/index.js';
import type { Gateway } from '../../gateway/index.js';
import type { AccountStore } from './auth/accounts.js';
import type { Authenticator } from './auth/authenticate.js';
import type { SessionStore } from './auth/sessions.js';
import type { CertificateStore } from './certificates.js';
import type { EventService } from './events/event-service.js';
import type { Monitor } from './events/monitor.js';
import type { RedfishLogger } from './logger.js';
import type { MessageRegistries } from './messages.js';
import type { ShelfModel } from './model.js';
import type { MetricReports } from './telemetry/reports.js';
import type { Json } from './http/route.js';

export interface ServiceInfo {
  /** Managers/{managerId}. */
  readonly managerId: string;
  /** ServiceRoot UUID, stable across restarts of the same host. */
  readonly uuid: string;
  readonly managerUuid: string;
  readonly firmwareVersion: string;
  readonly product: string;
  readonly vendor: string;
  readonly hostName: string;
  readonly scheme: 'https' | 'http';
  readonly host: string;
  port: number;
  /** ISO 8601 duration between sensor readings (the gateway's slow-lane period). */
  readonly sensingInterval: string;
  /** Unix ms the service started. */
  readonly startedEpochMs: number;
}

/** Values clients wrote that the gateway does not own (UserLabel, AssetTag, Location, …). */
export class PropertyStore {
  private readonly byUri = new Map<string, Map<string, Json>>();

  get<T extends Json>(uri: string, prop: string, fallback: T): T {
    const v = this.byUri.get(uri)?.get(prop);
    return v === undefined ? fallback : (v as T);
  }

  set(uri: string, prop: string, value: Json): void {
    let m = this.byUri.get(uri);
    if (!m) this.byUri.set(uri, (m = new Map()));
    m.set(prop, value);
  }
}

/**
 * Gateway commands in progress. On a lockstep simulation nothing moves time by itself, so a
 * test harness watches `pending` and advances the clock while a command waits on the bus.
 */
export class CommandTracker {
  pending = 0;
  onChange: ((pending: number) => void) | undefined;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    this.onChange?.(this.pending);
    try {
      return await fn();
    } finally {
      this.pending--;
      this.onChange?.(this.pending);
    }
  }
}

export interface ServiceContext {
  readonly gateway: Gateway;
  readonly clock: Clock;
  readonly registries: MessageRegistries;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly auth: Authenticator;
  readonly log: RedfishLogger;
  readonly model: ShelfModel;
  readonly info: ServiceInfo;
  readonly props: PropertyStore;
  readonly certificates: CertificateStore;
  readonly events: EventService;
  readonly reports: MetricReports;
  readonly monitor: Monitor;
  /** Wrap every gateway command in `busy.run` (see CommandTracker). */
  readonly busy: CommandTracker;
  /** Absolute path of the DMTF registries (MessageRegistryFile resources). */
  readonly registryDir: string;
}
