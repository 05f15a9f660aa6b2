/**
 * CLI glue of the Redfish service for `orv3gw run`: the flags, the config file's `redfish`
 * section, the first administrator from the environment, and the attach/detach pair the live
 * command calls once the gateway runs. Secrets (passwords, keys) are never printed.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Clock } from '../clock/index.js';
import { ErrorCode, Orv3Error } from '../errors.js';
import type { Gateway } from '../gateway/index.js';
import {
  consoleLogger,
  isRoleId,
  readTlsFiles,
  startRedfishService,
  type InitialAccount,
  type RedfishServiceOptions,
} from '../north/redfish/index.js';

export interface RedfishCliOptions {
  /** `HOST:PORT` (IPv6 as `[::1]:8443`); default 127.0.0.1:8443. */
  readonly redfishListen?: string | undefined;
  readonly insecureHttp?: boolean | undefined;
  /** JSON config file with a `redfish` section (docs/REDFISH.md). */
  readonly config?: string | undefined;
  /** Defaults to process.env; tests pass their own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The service's clock (sessions, limits); default the gateway's. A simulated shelf paced to
   * the wall clock passes the RealClock, as the service would have beside real hardware.
   */
  readonly clock?: Clock;
}

/** Adds the Redfish flags to a command (`run`). */
export function addRedfishOptions(cmd: Command): Command {
  return cmd
    .option('--redfish-listen <host:port>', 'Redfish service address (default 127.0.0.1:8443)')
    .option('--insecure-http', 'serve Redfish over plain HTTP (loopback addresses only)')
    .option('--config <file>', 'JSON config file (redfish section: TLS files, accounts, limits)');
}

const bad = (msg: string): Orv3Error => new Orv3Error(ErrorCode.RedfishConfig, msg);

export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw bad(`--redfish-listen: expected HOST:PORT, got "${s}"`);
  return { host: (m[1] ?? m[2])!, port };
}

interface ConfigSection {
  listen?: string;
  tls?: { certFile?: string; keyFile?: string };
  accounts?: { user?: string; role?: string; passwordHash?: string; password?: string }[];
  sessionTimeoutS?: number;
  maxSessions?: number;
  lockout?: { threshold?: number; durationS?: number; resetAfterS?: number };
  rateLimit?: { ratePerS?: number; burst?: number };
  maxBodyBytes?: number;
}

function readConfig(file: string): ConfigSection {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Orv3Error(ErrorCode.FileUnreadable, `--config ${file}: ${(e as Error).message}`);
  }
  const r = (json as { redfish?: unknown }).redfish ?? {};
  if (typeof r !== 'object' || r === null) throw bad(`${file}: "redfish" must be an object`);
  return r as ConfigSection;
}

const num = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw bad(`redfish.${name}: not a number ≥ 0`);
  return v;
};

/** Service options from flags, config file and environment (flags win over the file). */
export function redfishServiceOptions(
  o: RedfishCliOptions,
): Omit<RedfishServiceOptions, 'gateway'> & { accounts: InitialAccount[] } {
  const env = o.env ?? process.env;
  const cfg = o.config ? readConfig(o.config) : {};
  const listen = parseListen(o.redfishListen ?? cfg.listen ?? '127.0.0.1:8443');
  const accounts: InitialAccount[] = [];
  for (const [i, a] of (cfg.accounts ?? []).entries()) {
    if (typeof a.user !== 'string' || !isRoleId(a.role))
      throw bad(
        `redfish.accounts[${i}]: needs "user" and "role" (Administrator, Operator, ReadOnly)`,
      );
    if ((a.passwordHash === undefined) === (a.password === undefined))
      throw bad(`redfish.accounts[${i}]: give exactly one of passwordHash or password`);
    accounts.push({
      user: a.user,
      roleId: a.role,
      ...(a.passwordHash !== undefined
        ? { passwordHash: a.passwordHash }
        : { password: a.password! }),
    });
  }
  const adminUser = env['ORV3GW_ADMIN_USER'];
  const adminPassword = env['ORV3GW_ADMIN_PASSWORD'];
  if ((adminUser === undefined) !== (adminPassword === undefined))
    throw bad('ORV3GW_ADMIN_USER and ORV3GW_ADMIN_PASSWORD go together');
  if (adminUser !== undefined && !accounts.some((a) => a.user === adminUser))
    accounts.push({ user: adminUser, roleId: 'Administrator', password: adminPassword! });
  if ((cfg.tls?.certFile === undefined) !== (cfg.tls?.keyFile === undefined))
    throw bad('redfish.tls: certFile and keyFile go together');
  const lockout = cfg.lockout ?? {};
  const rate = cfg.rateLimit;
  return {
    ...(o.clock ? { clock: o.clock } : {}),
    host: listen.host,
    port: listen.port,
    insecureHttp: o.insecureHttp === true,
    ...(cfg.tls?.certFile ? { tls: readTlsFiles(cfg.tls.certFile, cfg.tls.keyFile!) } : {}),
    accounts,
    accountPolicy: {
      ...(num(lockout.threshold, 'lockout.threshold') !== undefined
        ? { lockoutThreshold: lockout.threshold! }
        : {}),
      ...(num(lockout.durationS, 'lockout.durationS') !== undefined
        ? { lockoutDurationS: lockout.durationS! }
        : {}),
      ...(num(lockout.resetAfterS, 'lockout.resetAfterS') !== undefined
        ? { lockoutCounterResetAfterS: lockout.resetAfterS! }
        : {}),
    },
    sessionPolicy: {
      ...(num(cfg.sessionTimeoutS, 'sessionTimeoutS') !== undefined
        ? { timeoutS: cfg.sessionTimeoutS! }
        : {}),
      ...(num(cfg.maxSessions, 'maxSessions') !== undefined
        ? { maxSessions: cfg.maxSessions! }
        : {}),
    },
    ...(rate
      ? {
          rateLimit: {
            ratePerS: num(rate.ratePerS, 'rateLimit.ratePerS') ?? 1000,
            burst: num(rate.burst, 'rateLimit.burst') ?? 2000,
          },
        }
      : {}),
    ...(num(cfg.maxBodyBytes, 'maxBodyBytes') !== undefined
      ? { maxBodyBytes: cfg.maxBodyBytes! }
      : {}),
  };
}

/** Starts the service on a running gateway; returns its stop function. */
export function redfishAttacher(
  o: RedfishCliOptions,
): (gw: Gateway) => Promise<() => Promise<void>> {
  const opts = redfishServiceOptions(o);
  return async (gw) => {
    const svc = await startRedfishService({
      ...opts,
      gateway: gw,
      logger: consoleLogger('redfish'),
    });
    const admins = opts.accounts.filter((a) => a.roleId === 'Administrator').length;
    process.stdout.write(
      `orv3gw: Redfish service at ${svc.url}/redfish/v1` +
        (svc.selfSigned ? ' (self-signed TLS certificate generated at start)' : '') +
        (admins === 0 ? '; no administrator: set ORV3GW_ADMIN_USER/ORV3GW_ADMIN_PASSWORD' : '') +
        '\n',
    );
    return () => svc.close();
  };
}
