/**
 * What one connection attempt needs: the CONNECT options with a will built for this attempt's
 * bdSeq, the topics to subscribe before any birth, and the back-off between attempts.
 */
import type { ResolvedConfig } from './config.js';
import { hintTopic } from './hints.js';
import { ndeathPayload } from './metrics-model.js';
import { commandFilters, encodePayload, nodeTopic, stateTopic } from './sparkplug/index.js';
import type { ConnectOptions } from './transport.js';

/** CONNECT options; the will is the NDEATH carrying `bdSeq` (QoS 1, not retained: transport.ts). */
export function connectOptions(
  cfg: ResolvedConfig,
  bdSeq: number,
  epochMs: number,
): ConnectOptions {
  return {
    url: cfg.brokerUrl,
    clientId: cfg.clientId,
    ...(cfg.username !== undefined ? { username: cfg.username } : {}),
    ...(cfg.password !== undefined ? { password: cfg.password } : {}),
    ...(cfg.tls ? { tls: cfg.tls } : {}),
    mqttVersion: cfg.mqttVersion,
    keepaliveS: cfg.keepaliveS,
    connectTimeoutMs: cfg.connectTimeoutMs,
    will: {
      topic: nodeTopic(cfg.groupId, 'NDEATH', cfg.edgeNodeId),
      payload: encodePayload(ndeathPayload(epochMs, bdSeq)),
    },
  };
}

/** NCMD, every device's DCMD, the primary host's STATE and the hint topic, all at QoS 1. */
export function subscriptions(cfg: ResolvedConfig): string[] {
  const f = [...commandFilters(cfg.groupId, cfg.edgeNodeId)];
  if (cfg.primaryHostId) f.push(stateTopic(cfg.primaryHostId));
  if (cfg.hintsEnabled) f.push(hintTopic(cfg.groupId, cfg.edgeNodeId));
  return f;
}

/**
 * Doubling delays from minMs to maxMs with ±20 % jitter, so a fleet that lost its broker does
 * not reconnect in lockstep when it returns.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly r: { readonly minMs: number; readonly maxMs: number },
    private readonly random: () => number,
  ) {}

  next(): number {
    const base = Math.min(this.r.maxMs, this.r.minMs * 2 ** Math.min(this.attempt, 16));
    this.attempt++;
    return base * (0.8 + 0.4 * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
