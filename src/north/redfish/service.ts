/**
 * The Redfish service of one gateway: builds the stores and the route list, and serves them
 * over HTTPS (or loopback-only HTTP when asked). `startRedfishService` is the whole life cycle.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { hostname } from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import { createRequire } from 'node:module';
import type { Clock } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import type { Gateway } from '../../gateway/index.js';
import { AccountStore, DEFAULT_ACCOUNT_POLICY, type AccountPolicy } from './auth/accounts.js';
import { Authenticator } from './auth/authenticate.js';
import { DEFAULT_SESSION_POLICY, SessionStore, type SessionPolicy } from './auth/sessions.js';
import { CertificateStore, generateSelfSigned, type TlsMaterial } from './certificates.js';
import { CommandTracker, PropertyStore, type ServiceContext, type ServiceInfo } from './context.js';
import { ControlWatch } from './events/control-watch.js';
import { EventBus } from './events/event-service.js';
import { Monitor } from './events/monitor.js';
import {
  SubscriptionStore,
  DEFAULT_DELIVERY,
  type DeliveryPolicy,
} from './events/subscriptions.js';
import { RateLimiter, type RateLimitPolicy } from './http/rate-limit.js';
import { Router } from './http/router.js';
import { RedfishPipeline } from './http/server.js';
import { silentLogger, type RedfishLogger } from './logger.js';
import { MessageRegistries } from './messages.js';
import { nameUuid, ShelfModel } from './model.js';
import { defaultRegistryDir } from './paths.js';
import type { RoleId } from './privileges.js';
import { ROOT } from './resources/util.js';
import { allRoutes } from './routes.js';
import { PeriodicReports } from './telemetry/reports.js';

export interface InitialAccount {
  readonly user: string;
  readonly roleId: RoleId;
  /** Exactly one of password (clear, e.g. from the environment) or passwordHash ($scrypt$…). */
  readonly password?: string;
  readonly passwordHash?: string;
}

export interface RedfishServiceOptions {
  readonly gateway: Gateway;
  /**
   * The service's own time: sessions, lockout, rate limit, GET cache, event timestamps, retries.
   * Default: the gateway's clock. The telemetry monitor and metric reports always run on the
   * gateway's clock (they sample what it polled); a simulated shelf in real time passes a
   * RealClock here, so that a shelf falling behind the wall clock never slows the service's
   * security and limits.
   */
  readonly clock?: Clock;
  /** Default 127.0.0.1:8443; port 0 picks a free one. */
  readonly host?: string;
  readonly port?: number;
  /** PEM material; without it a self-signed certificate is generated (and logged). */
  readonly tls?: TlsMaterial;
  /** Plain HTTP, allowed only on a loopback address. */
  readonly insecureHttp?: boolean;
  readonly accounts?: readonly InitialAccount[];
  readonly accountPolicy?: Partial<AccountPolicy>;
  readonly sessionPolicy?: Partial<SessionPolicy>;
  /** Per-client request rate; default 1000/s sustained, bursts of 2000. */
  readonly rateLimit?: RateLimitPolicy;
  /** GET bodies served again to the same user within this many ms (default 100; 0 = off). */
  readonly cacheTtlMs?: number;
  /** Request body limit, bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /** Folder of the DMTF message registries; default ../shared/redfish/registries. */
  readonly registryDir?: string;
  readonly logger?: RedfishLogger;
  /** The gateway's slow-lane period, ms (Sensor SensingInterval); default 1000. */
  readonly sensingIntervalMs?: number;
  /** Period of the TelemetryService metric reports, ms (default 10 000). */
  readonly reportPeriodMs?: number;
  /** How often telemetry is checked for events, ms (default 100). */
  readonly monitorPeriodMs?: number;
  /** Event delivery: retries, caps on subscriptions and SSE streams. */
  readonly delivery?: Partial<DeliveryPolicy>;
  /** Managers/{managerId}; default `Gateway`. */
  readonly managerId?: string;
}

export interface RedfishService {
  /** `https://127.0.0.1:8443` (or http://). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** PEM certificate clients should trust (self-signed or configured), when TLS. */
  readonly certPem: string | undefined;
  readonly selfSigned: boolean;
  readonly ctx: ServiceContext;
  readonly pipeline: RedfishPipeline;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function packageVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    return (req('../../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export async function startRedfishService(o: RedfishServiceOptions): Promise<RedfishService> {
  const log = o.logger ?? silentLogger;
  const clock = o.clock ?? o.gateway.clock;
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? 8443;
  if (o.insecureHttp && !LOOPBACK.test(host))
    throw new Orv3Error(
      ErrorCode.RedfishConfig,
      `--insecure-http serves only on a loopback address, not ${host}`,
    );
  const registryDir = o.registryDir ?? defaultRegistryDir();
  const registries = MessageRegistries.load(registryDir);

  let tls: TlsMaterial | undefined;
  if (!o.insecureHttp) {
    tls =
      o.tls ??
      (await generateSelfSigned(host === '0.0.0.0' || host === '::' ? [hostname()] : [host]));
    if (tls.generated)
      log.warn(
        'no TLS certificate configured: generated a self-signed one (clients must trust it)',
      );
  }

  const accounts = new AccountStore(clock, { ...DEFAULT_ACCOUNT_POLICY, ...o.accountPolicy });
  const sessions = new SessionStore(clock, { ...DEFAULT_SESSION_POLICY, ...o.sessionPolicy });
  accounts.onChange((user) => sessions.deleteForUser(user));
  for (const a of o.accounts ?? []) {
    const secret =
      a.passwordHash !== undefined ? { hash: a.passwordHash } : { password: a.password ?? '' };
    try {
      await accounts.create(a.user, secret, a.roleId);
    } catch (e) {
      throw new Orv3Error(ErrorCode.RedfishConfig, `account "${a.user}": ${(e as Error).message}`);
    }
  }
  if (accounts.activeAdministrators() === 0)
    log.warn(
      'no administrator account: set ORV3GW_ADMIN_USER and ORV3GW_ADMIN_PASSWORD (or ' +
        'redfish.accounts in the config file) and restart; until then no request can authenticate',
    );

  const seed = hostname();
  const info: ServiceInfo = {
    managerId: o.managerId ?? 'Gateway',
    uuid: nameUuid(`${seed}/service`),
    managerUuid: nameUuid(`${seed}/manager`),
    firmwareVersion: packageVersion(),
    product: 'orv3-gateway',
    vendor: 'orv3-gateway',
    hostName: seed,
    scheme: o.insecureHttp ? 'http' : 'https',
    host,
    port,
    startedEpochMs: clock.epochMs(),
    sensingInterval: `PT${(o.sensingIntervalMs ?? 1000) / 1000}S`,
  };
  const bus = new EventBus(clock, registries);
  const subscriptions = new SubscriptionStore(clock, bus, log, {
    ...DEFAULT_DELIVERY,
    ...o.delivery,
  });
  const model = new ShelfModel(o.gateway, seed);
  const gwClock = o.gateway.clock;
  const reports = new PeriodicReports(gwClock, o.gateway, model, bus, o.reportPeriodMs ?? 10_000);
  const monitor = new Monitor(gwClock, o.gateway, model, bus, o.monitorPeriodMs ?? 100);
  const controlWatch = new ControlWatch(o.gateway.journal, bus, {
    uri: `${ROOT}/Managers/${info.managerId}`,
    id: info.managerId,
  });
  const ctx: ServiceContext = {
    gateway: o.gateway,
    clock,
    registries,
    accounts,
    sessions,
    auth: new Authenticator(clock, accounts, sessions),
    log,
    model,
    monitor,
    info,
    props: new PropertyStore(),
    certificates: new CertificateStore(tls),
    events: { bus, subscriptions, closeStreams: () => subscriptions.closeStreams() },
    reports,
    busy: new CommandTracker(),
    registryDir,
  };
  const router = new Router();
  for (const r of allRoutes) router.add(r);
  const pipeline = new RedfishPipeline(
    ctx,
    router,
    new RateLimiter(clock, o.rateLimit ?? { ratePerS: 1000, burst: 2000 }),
    {
      maxBodyBytes: o.maxBodyBytes ?? 64 * 1024,
      tls: tls !== undefined,
      cacheTtlMs: o.cacheTtlMs ?? 100,
    },
  );

  const server: Server | HttpsServer = tls
    ? createHttpsServer(
        { cert: tls.certPem, key: tls.keyPem, minVersion: 'TLSv1.2' },
        pipeline.listener,
      )
    : createHttpServer(pipeline.listener);
  if (tls) {
    const https = server as HttpsServer;
    ctx.certificates.onReplace((m) => https.setSecureContext({ cert: m.certPem, key: m.keyPem }));
  }
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException): void =>
      reject(
        new Orv3Error(
          ErrorCode.RedfishConfig,
          `cannot listen on ${host}:${port} (${e.code ?? e.message}); ` +
            'choose another address with --redfish-listen HOST:PORT',
        ),
      );
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  monitor.start();
  reports.start();
  controlWatch.start();
  const bound = (server.address() as AddressInfo).port;
  info.port = bound;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `${info.scheme}://${urlHost}:${bound}`;
  log.info('Redfish service listening', { url, tls: tls !== undefined });

  return {
    url,
    host,
    port: bound,
    certPem: tls?.certPem,
    selfSigned: tls?.generated ?? false,
    ctx,
    pipeline,
    close: async () => {
      monitor.stop();
      reports.stop();
      controlWatch.stop();
      subscriptions.stop();
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
