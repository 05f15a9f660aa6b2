/**
 * EdgeNode configuration: shape, defaults and validation. Validation errors name the field and
 * never echo credentials; redactedConfig() is the only view of a config that may be logged.
 */
import { ErrorCode, Orv3Error } from '../../errors.js';
import type { DeadbandRule } from './deadband.js';
import { isValidId } from './sparkplug/index.js';
import type { ForwardStore } from './store-port.js';

/** PEM contents (not paths): the composition root reads the files, so the session never does I/O for them. */
export interface TlsConfig {
  readonly ca?: string | Uint8Array;
  readonly cert?: string | Uint8Array;
  readonly key?: string | Uint8Array;
  readonly rejectUnauthorized: boolean;
}

/** Commands the broker side may send, besides the always-allowed `Node Control/Rebirth`. */
export const COMMAND_NAMES = ['Node Control/Power Cap W', 'Locate', 'Self Test'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface EdgeNodeConfig {
  /** mqtt://, mqtts:// (TLS), ws:// or wss:// URL of one broker. */
  readonly brokerUrl: string;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: TlsConfig;
  /** Default `orv3gw-<group>-<node>`: unique per edge node, as MQTT requires. */
  readonly clientId?: string;
  /** 5 (default): PUBACK reason codes tell a refused publish from a delivered one. 4 for 3.1.1-only brokers. */
  readonly mqttVersion?: 4 | 5;
  readonly groupId: string;
  readonly edgeNodeId: string;
  /** When set, births and data wait for `spBv1.0/STATE/<primaryHostId>` online. */
  readonly primaryHostId?: string;
  /** How often the TelemetrySource is read and DATA is considered. */
  readonly publishPeriodMs: number;
  /** First matching rule wins; metrics without a rule report any change. */
  readonly deadbands?: readonly DeadbandRule[];
  /** A metric unchanged for this long is republished (0 = never). Default 0. */
  readonly maxSilenceMs?: number;
  /** Default none: commands are refused until the deployment says who may do what. */
  readonly authorisedCommands?: readonly CommandName[];
  /** Range accepted for `Node Control/Power Cap W` before the sink checks it again. */
  readonly powerCapLimitsW?: { readonly min: number; readonly max: number };
  /** Accept workload hints on `orv3gw/<group>/<node>/hint` (default true). */
  readonly hintsEnabled?: boolean;
  /** Durable queue for DATA while the broker or primary host is away; without it such data is dropped (counted). */
  readonly store?: ForwardStore;
  /** JSON file holding the last bdSeq, so a restart continues the sequence. */
  readonly bdSeqFile?: string;
  /** QoS of NDATA/DDATA. Default 1 with a store (PUBACK = delivered, see docs/MQTT.md), 0 without. */
  readonly dataQos?: 0 | 1;
  /** Reconnect back-off: doubles from minMs to maxMs, with ±20 % jitter. */
  readonly reconnect?: { readonly minMs: number; readonly maxMs: number };
  readonly keepaliveS?: number;
  readonly connectTimeoutMs?: number;
  /** Historical DATA messages in flight at once during replay. */
  readonly replayWindow?: number;
}

export interface ResolvedConfig extends EdgeNodeConfig {
  readonly clientId: string;
  readonly mqttVersion: 4 | 5;
  readonly deadbands: readonly DeadbandRule[];
  readonly maxSilenceMs: number;
  readonly authorisedCommands: readonly CommandName[];
  readonly powerCapLimitsW: { readonly min: number; readonly max: number };
  readonly hintsEnabled: boolean;
  readonly dataQos: 0 | 1;
  readonly reconnect: { readonly minMs: number; readonly maxMs: number };
  readonly keepaliveS: number;
  readonly connectTimeoutMs: number;
  readonly replayWindow: number;
}

function bad(field: string, why: string): never {
  throw new Orv3Error(ErrorCode.ConfigInvalid, `mqtt config: ${field} ${why}`, { field });
}

export function resolveConfig(c: EdgeNodeConfig): ResolvedConfig {
  let url: URL;
  try {
    url = new URL(c.brokerUrl);
  } catch {
    // The URL may carry user:password@: never echo it.
    return bad('brokerUrl', 'is not a URL');
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(url.protocol)) {
    bad('brokerUrl', `has unsupported scheme ${url.protocol}`);
  }
  if (url.username || url.password)
    bad('brokerUrl', 'must not carry credentials (use username/password)');
  for (const [k, v] of [
    ['groupId', c.groupId],
    ['edgeNodeId', c.edgeNodeId],
  ] as const) {
    if (!isValidId(v)) bad(k, 'must be non-empty without +, / or #');
  }
  if (c.primaryHostId !== undefined && !isValidId(c.primaryHostId)) {
    bad('primaryHostId', 'must be non-empty without +, / or #');
  }
  if (!(c.publishPeriodMs >= 10)) bad('publishPeriodMs', 'must be >= 10');
  if (c.password !== undefined && c.username === undefined) bad('password', 'needs a username');
  for (const r of c.deadbands ?? []) {
    const n = (r.absolute !== undefined ? 1 : 0) + (r.relative !== undefined ? 1 : 0);
    if (!r.pattern || n !== 1)
      bad('deadbands', `rule "${r.pattern}" needs exactly one of absolute/relative`);
    if (!((r.absolute ?? r.relative ?? -1) >= 0))
      bad('deadbands', `rule "${r.pattern}" must be >= 0`);
  }
  for (const a of c.authorisedCommands ?? []) {
    if (!(COMMAND_NAMES as readonly string[]).includes(a))
      bad('authorisedCommands', `has unknown ${a}`);
  }
  const cap = c.powerCapLimitsW ?? { min: 1, max: 1_000_000 };
  if (!(cap.min > 0 && cap.max >= cap.min && Number.isFinite(cap.max))) {
    bad('powerCapLimitsW', 'must have 0 < min <= max');
  }
  const reconnect = c.reconnect ?? { minMs: 1000, maxMs: 30_000 };
  if (!(reconnect.minMs >= 10 && reconnect.maxMs >= reconnect.minMs)) {
    bad('reconnect', 'must have 10 <= minMs <= maxMs');
  }
  const replayWindow = c.replayWindow ?? 16;
  if (!(Number.isInteger(replayWindow) && replayWindow >= 1)) bad('replayWindow', 'must be >= 1');
  return {
    ...c,
    clientId: c.clientId ?? `orv3gw-${c.groupId}-${c.edgeNodeId}`,
    mqttVersion: c.mqttVersion ?? 5,
    deadbands: c.deadbands ?? [],
    maxSilenceMs: c.maxSilenceMs ?? 0,
    authorisedCommands: c.authorisedCommands ?? [],
    powerCapLimitsW: cap,
    hintsEnabled: c.hintsEnabled ?? true,
    dataQos: c.dataQos ?? (c.store ? 1 : 0),
    reconnect,
    keepaliveS: c.keepaliveS ?? 30,
    connectTimeoutMs: c.connectTimeoutMs ?? 10_000,
    replayWindow,
  };
}

/** What may be logged about a config: ids and switches, never password, key or token. */
export function redactedConfig(c: EdgeNodeConfig): Record<string, string | number | boolean> {
  return {
    brokerUrl: c.brokerUrl,
    groupId: c.groupId,
    edgeNodeId: c.edgeNodeId,
    primaryHostId: c.primaryHostId ?? '',
    username: c.username !== undefined ? '(set)' : '(none)',
    password: c.password !== undefined ? '(set)' : '(none)',
    tls: c.tls ? `ca:${!!c.tls.ca} cert:${!!c.tls.cert} key:${!!c.tls.key}` : 'off',
    store: !!c.store,
  };
}
