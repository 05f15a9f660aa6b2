/**
 * The Sparkplug B edge node: one per gateway. Connection lifecycle (a fresh will with the next
 * bdSeq on every CONNECT, our own back-off), primary host awareness, the publish tick (report by
 * exception, device births and deaths) and the routing of data to the live session or the store.
 * The Sparkplug session itself (seq, births, in-flight samples) is session.ts; replay is
 * forwarder.ts; commands and hints are inbound.ts. Time comes only from the injected Clock.
 */
import type { Clock, TimerHandle } from '../../clock/index.js';
import { BdSeqCounter } from './bdseq.js';
import {
  redactedConfig,
  resolveConfig,
  type EdgeNodeConfig,
  type ResolvedConfig,
} from './config.js';
import { ReportFilter } from './deadband.js';
import { PrimaryHostTracker } from './host-state.js';
import { Inbound, type InboundEvent } from './inbound.js';
import { onceLogger, silentLogger, type MqttLogger } from './logger.js';
import { Backoff, connectOptions, subscriptions } from './connector.js';
import { AliasTable, NODE_SCOPE } from './metrics-model.js';
import { reconcileDevices, routeData } from './routing.js';
import { OwnedMetrics, type Snapshot } from './owned-metrics.js';
import { Forwarder } from './forwarder.js';
import { SparkplugSession, type PublishedType } from './session.js';
import { stateTopic } from './sparkplug/index.js';
import type { CommandSink, DeviceSnapshot, TelemetrySource } from './source.js';
import { MqttJsTransport, type MqttConnection, type MqttTransport } from './transport.js';
import {
  Emitter,
  newStats,
  statsView,
  type EdgeNodeEvent,
  type EdgeNodeState,
  type EdgeNodeStats,
} from './stats.js';

export interface EdgeNodeDeps {
  readonly clock: Clock;
  readonly source: TelemetrySource;
  readonly sink: CommandSink;
  /** Default: mqtt.js. Tests pass an in-memory broker. */
  readonly transport?: MqttTransport;
  readonly logger?: MqttLogger;
  /** Jitter source for the reconnect back-off (default Math.random). */
  readonly random?: () => number;
}

/** Births when the source fails: owned metrics only; the next good read forces a rebirth. */
const EMPTY: Snapshot = { node: [], devices: [] };

/** How long an intentional NDEATH may wait for its PUBACK before we disconnect anyway. */
const NDEATH_TIMEOUT_MS = 2000;

export class EdgeNode {
  readonly config: ResolvedConfig;
  private readonly clock: Clock;
  private readonly source: TelemetrySource;
  private readonly transport: MqttTransport;
  private readonly log: MqttLogger;
  private readonly backoff: Backoff;
  private readonly aliases = new AliasTable();
  private readonly filter: ReportFilter;
  private readonly bdSeqs: BdSeqCounter;
  private readonly host = new PrimaryHostTracker();
  private readonly owned: OwnedMetrics;
  private readonly forwarder: Forwarder;
  private readonly inbound: Inbound;
  private readonly counters: EdgeNodeStats;
  private readonly events: Emitter;
  private st: EdgeNodeState = 'stopped';
  private conn: MqttConnection | null = null;
  private subscribed = false;
  private session: SparkplugSession | null = null;
  private bdSeq: number | null = null;
  private tickTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private lastDevices: readonly DeviceSnapshot[] = [];
  private readonly logOnce: ReturnType<typeof onceLogger>;

  constructor(config: EdgeNodeConfig, deps: EdgeNodeDeps) {
    this.config = resolveConfig(config);
    this.clock = deps.clock;
    this.source = deps.source;
    this.transport = deps.transport ?? new MqttJsTransport();
    this.log = deps.logger ?? silentLogger;
    this.events = new Emitter(this.log);
    this.logOnce = onceLogger(this.log);
    this.backoff = new Backoff(this.config.reconnect, deps.random ?? Math.random);
    this.counters = newStats();
    this.filter = new ReportFilter(this.config.deadbands, this.config.maxSilenceMs);
    this.bdSeqs = new BdSeqCounter(this.config.bdSeqFile, (m) => this.log.warn(m));
    this.owned = new OwnedMetrics(this.clock, !!this.config.store);
    this.forwarder = new Forwarder(this.config.store, {
      cfg: this.config,
      clock: this.clock,
      log: this.log,
      aliases: this.aliases,
      counters: this.counters,
      onReplayDone: (records) => this.emit({ type: 'replay-done', records }),
      onEncodeError: (t, m) => this.encodeError(t, m),
    });
    this.inbound = new Inbound({
      cfg: this.config,
      sink: deps.sink,
      owned: this.owned,
      aliases: this.aliases,
      log: this.log,
      epochMs: () => this.clock.epochMs(),
      device: (id) => this.lastDevices.find((d) => d.id === id),
      rebirth: () => this.rebirth('NCMD'),
      emit: (e: InboundEvent) => this.emit(e),
    });
  }

  get state(): EdgeNodeState {
    return this.st;
  }

  /** A copy of the counters (docs/MQTT.md "Counters"). */
  stats(): EdgeNodeStats {
    return statsView(this.counters, this.owned, this.bdSeq, this.forwarder.backlog());
  }

  /** Subscribes to lifecycle, command and hint events; returns the unsubscribe function. */
  onEvent(listener: (e: EdgeNodeEvent) => void): () => void {
    return this.events.on(listener);
  }

  start(): void {
    if (this.st !== 'stopped') return;
    this.log.info('edge node starting', redactedConfig(this.config));
    this.tickTimer = this.clock.setInterval(() => this.tick(), this.config.publishPeriodMs);
    void this.connect();
  }

  /** NDEATH and a clean DISCONNECT when in session; unconfirmed samples go to the store. */
  async stop(): Promise<void> {
    if (this.st === 'stopped') return;
    const conn = this.conn;
    this.setState('stopped');
    this.clock.clearTimer(this.tickTimer);
    this.clock.clearTimer(this.retryTimer);
    await this.leave(conn);
  }

  /** One publish period's work; runs on the clock's interval, callable directly in tests. */
  tick(): void {
    if (this.st === 'stopped') return;
    this.owned.setStoreDropped(this.forwarder.droppedByStore());
    const snap = this.read();
    if (!snap) return;
    const s = this.session?.alive ? this.session : null;
    if (s) {
      const nodeNames = s.bornNames(NODE_SCOPE)!;
      if (snap.node.some((m) => !nodeNames.has(m.name))) {
        // A node metric the NBIRTH did not declare: only a new NBIRTH may introduce it.
        this.rebirth('node metrics changed', snap);
        return;
      }
      reconcileDevices(s, snap);
    }
    routeData(s, snap, this.filter, this.forwarder, this.clock.nowMs());
  }

  private encodeError(type: string, message: string): void {
    this.counters.encodeErrors++;
    // The same bad id or name fails every period: each distinct failure is logged once.
    this.logOnce(message, 'message not encodable; dropped', { type, error: message });
  }

  private emit(e: EdgeNodeEvent): void {
    this.events.emit(e);
  }

  private setState(next: EdgeNodeState): void {
    if (next === this.st) return;
    this.st = next;
    this.emit({ type: 'state', state: next });
  }

  /** null when the source failed: skip the period rather than take every device for dead. */
  private read(): Snapshot | null {
    try {
      const snap = this.owned.snapshot(this.source);
      this.lastDevices = snap.devices;
      return snap;
    } catch (e) {
      this.log.error('telemetry source failed', { error: (e as Error).message });
      return null;
    }
  }

  private rebirth(reason: string, snap?: Snapshot): boolean {
    const s = this.session;
    if (!s?.alive) return false;
    this.counters.rebirths++;
    this.log.info('rebirth', { reason });
    s.births(snap ?? this.read() ?? EMPTY, s.replaying || this.forwarder.backlog() > 0);
    this.emit({ type: 'births', bdSeq: s.bdSeq });
    return true;
  }

  private async connect(): Promise<void> {
    this.setState('connecting');
    const cfg = this.config;
    const bdSeq = await this.bdSeqs.next();
    if (this.st !== 'connecting') return;
    let conn: MqttConnection;
    try {
      conn = await this.transport.connect(connectOptions(cfg, bdSeq, this.clock.epochMs()));
    } catch (e) {
      this.counters.connectFailures++;
      const reason = (e as Error).message;
      this.log.warn('connect failed', { url: cfg.brokerUrl, bdSeq, error: reason });
      this.emit({ type: 'connect-failed', reason });
      if (this.st === 'connecting') this.scheduleReconnect();
      return;
    }
    if (this.st !== 'connecting') {
      await conn.end().catch(() => {});
      return;
    }
    this.conn = conn;
    this.bdSeq = bdSeq;
    this.subscribed = false;
    this.counters.connects++;
    conn.onMessage((topic, payload) => this.onMessage(conn, topic, payload));
    conn.onClose((why) => this.onClose(conn, why));
    this.log.info('connected', { url: cfg.brokerUrl, bdSeq });
    this.emit({ type: 'connected', bdSeq });
    try {
      await conn.subscribe(subscriptions(cfg));
    } catch (e) {
      this.log.error('subscribe failed', { error: (e as Error).message });
      conn.destroy();
      this.onClose(conn, 'subscribe failed');
      return;
    }
    if (this.conn !== conn) return;
    this.subscribed = true;
    this.backoff.reset();
    if (!cfg.primaryHostId || this.host.online) this.beginSession(conn);
    else this.setState('waiting-host');
  }

  private beginSession(conn: MqttConnection): void {
    if (this.conn !== conn || this.session || !this.subscribed) return;
    const s = new SparkplugSession({
      cfg: this.config,
      conn,
      aliases: this.aliases,
      filter: this.filter,
      bdSeq: this.bdSeq!,
      log: this.log,
      clock: this.clock,
      onPublished: (t: PublishedType) => this.counters.published[t]++,
      onEncodeError: (t, m) => this.encodeError(t, m),
      onRefused: (t, code) => {
        this.counters.publishRefused++;
        this.log.warn('broker refused a publish', { type: t, reasonCode: code });
      },
    });
    this.session = s;
    this.setState('online');
    const backlog = this.forwarder.backlog() > 0;
    s.births(this.read() ?? EMPTY, backlog);
    this.log.info('births published', { bdSeq: s.bdSeq, backlog });
    this.emit({ type: 'births', bdSeq: s.bdSeq });
    if (backlog) void this.forwarder.replay(s);
  }

  private onMessage(conn: MqttConnection, topic: string, payload: Uint8Array): void {
    if (conn !== this.conn) return;
    const c = this.config;
    if (c.primaryHostId && topic === stateTopic(c.primaryHostId))
      return this.onState(conn, payload);
    this.inbound.message(topic, payload);
  }

  private onState(conn: MqttConnection, payload: Uint8Array): void {
    const v = this.host.accept(payload);
    if (v.kind === 'malformed' || v.kind === 'stale') {
      this.log.warn('primary host STATE ignored', { kind: v.kind, reason: v.reason });
      return;
    }
    this.counters.hostOnline = v.kind === 'online';
    this.emit({ type: 'host', online: v.kind === 'online' });
    if (v.kind === 'online') {
      this.beginSession(conn);
    } else if (this.session) {
      // Spec: NDEATH, disconnect, and start the connection over (the host may be back there).
      this.log.warn('primary host offline: NDEATH and reconnect');
      void this.leave(conn).then(() => {
        if (this.st !== 'stopped') this.scheduleReconnect();
      });
    }
  }

  /** Intentional end of a connection: NDEATH if in session, spill, clean DISCONNECT. */
  private async leave(conn: MqttConnection | null): Promise<void> {
    const s = this.session;
    this.session = null;
    this.conn = null;
    this.subscribed = false;
    if (s) {
      s.alive = false;
      await s.ndeath(NDEATH_TIMEOUT_MS);
      this.spill(s);
    }
    if (conn) await conn.end().catch(() => {});
  }

  private spill(s: SparkplugSession): void {
    for (const c of s.end()) {
      this.counters.spilled++;
      this.forwarder.keep(c.scope, c.samples);
    }
  }

  private onClose(conn: MqttConnection, why: string): void {
    if (conn !== this.conn) return;
    this.conn = null;
    this.subscribed = false;
    this.host.sessionLost();
    const s = this.session;
    this.session = null;
    if (s) this.spill(s);
    this.counters.disconnects++;
    this.log.warn('connection lost', { reason: why });
    this.emit({ type: 'disconnected', reason: why });
    if (this.st !== 'stopped') this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.setState('backoff');
    this.clock.clearTimer(this.retryTimer);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.st === 'backoff') void this.connect();
    }, this.backoff.next());
  }
}
