import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { RealClock } from '../clock/index.js';
import { Orv3Error, ErrorCode } from '../errors.js';
import type { Gateway } from '../gateway/index.js';
import {
  COMMAND_NAMES,
  consoleLogger,
  EdgeNode,
  type CommandName,
  type EdgeNodeConfig,
} from '../north/mqtt/index.js';
import { DurableQueue } from '../north/mqtt/store/index.js';

export interface UplinkOptions {
  mqttUrl?: string | undefined;
  group?: string | undefined;
  node?: string | undefined;
  username?: string | undefined;
  primaryHost?: string | undefined;
  storeDir?: string | undefined;
  authorise?: string | undefined;
  publishPeriodMs?: number | undefined;
  /** PEM files: broker CA, and our client certificate + key for mutual TLS. */
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
}

function readPem(path: string, flag: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Orv3Error(
      ErrorCode.FileUnreadable,
      `${flag}: cannot read ${path}: ${(e as Error).message}`,
    );
  }
}

/** Sparkplug ids may not contain + # / (spec §4.1); a hostname rarely does, but be sure. */
const sanitiseId = (s: string): string => s.replace(/[+#/\s]/g, '-');

/**
 * The Sparkplug B uplink of `orv3gw run`, or nothing: with no --mqtt-url the uplink is off
 * (no embedded broker; say so). The password comes only from ORV3GW_MQTT_PASSWORD, never a
 * flag (it would show in `ps`), and is never logged.
 */
export function uplinkAttacher(
  o: UplinkOptions,
): ((gw: Gateway) => Promise<() => Promise<void>>) | undefined {
  if (!o.mqttUrl) {
    process.stdout.write('orv3gw: MQTT uplink off (no --mqtt-url)\n');
    return undefined;
  }
  const authorised = (o.authorise ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const a of authorised)
    if (!(COMMAND_NAMES as readonly string[]).includes(a))
      throw new Orv3Error(
        ErrorCode.ConfigInvalid,
        `--authorise-commands: unknown command "${a}" (known: ${COMMAND_NAMES.join(', ')})`,
      );
  if ((o.certFile === undefined) !== (o.keyFile === undefined))
    throw new Orv3Error(ErrorCode.ConfigInvalid, '--mqtt-cert and --mqtt-key go together');
  const tls =
    o.caFile || o.certFile
      ? {
          rejectUnauthorized: true,
          ...(o.caFile ? { ca: readPem(o.caFile, '--mqtt-ca') } : {}),
          ...(o.certFile ? { cert: readPem(o.certFile, '--mqtt-cert') } : {}),
          ...(o.keyFile ? { key: readPem(o.keyFile, '--mqtt-key') } : {}),
        }
      : undefined;
  const group = sanitiseId(o.group ?? 'orv3-site');
  const node = sanitiseId(o.node ?? hostname());
  return async (gw) => {
    const clock = new RealClock();
    const store = o.storeDir ? DurableQueue.open({ dir: o.storeDir, clock }) : undefined;
    const config: EdgeNodeConfig = {
      brokerUrl: o.mqttUrl!,
      groupId: group,
      edgeNodeId: node,
      publishPeriodMs: o.publishPeriodMs ?? 1000,
      maxSilenceMs: 60_000,
      authorisedCommands: authorised as CommandName[],
      ...(o.username ? { username: o.username } : {}),
      ...(process.env.ORV3GW_MQTT_PASSWORD ? { password: process.env.ORV3GW_MQTT_PASSWORD } : {}),
      ...(o.primaryHost ? { primaryHostId: o.primaryHost } : {}),
      ...(tls ? { tls } : {}),
      ...(store ? { store } : {}),
    };
    const edge = new EdgeNode(config, {
      clock,
      source: gw.telemetry,
      sink: gw.commands,
      logger: consoleLogger('mqtt'),
    });
    edge.start();
    process.stdout.write(
      `orv3gw: Sparkplug B uplink to ${new URL(o.mqttUrl!).host} as spBv1.0/${group}/…/${node}` +
        (store
          ? `, store-and-forward in ${o.storeDir}`
          : ', no store (data while offline is dropped and counted)') +
        '\n',
    );
    return async () => {
      await edge.stop();
      await store?.close();
    };
  };
}
