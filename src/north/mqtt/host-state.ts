/**
 * Primary host awareness (Sparkplug 3.0 §5 "Edge Node Session Establishment" and "Session
 * Termination"): the retained `spBv1.0/STATE/<host>` JSON `{online, timestamp}`.
 *
 * Timestamp rules: an online message counts only if its timestamp is >= the last accepted STATE
 * timestamp; an offline message counts only if its timestamp is >= the last *online* timestamp —
 * a late will from the host's previous session must not take us offline. The memory survives
 * our own reconnects (it is per broker, and we have one broker URL).
 */
export type HostStateVerdict =
  | { readonly kind: 'online' | 'offline' }
  | { readonly kind: 'stale' | 'malformed'; readonly reason: string };

export class PrimaryHostTracker {
  private onlineNow = false;
  private lastTs: number | undefined;
  private lastOnlineTs: number | undefined;

  get online(): boolean {
    return this.onlineNow;
  }

  /** Judges one STATE message and updates the state when it counts. */
  accept(payload: Uint8Array): HostStateVerdict {
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    } catch {
      return { kind: 'malformed', reason: 'STATE payload is not UTF-8 JSON' };
    }
    const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    const { online, timestamp } = o;
    if (typeof online !== 'boolean' || typeof timestamp !== 'number' || !(timestamp >= 0)) {
      return { kind: 'malformed', reason: 'STATE needs {"online": boolean, "timestamp": number}' };
    }
    const floor = online ? this.lastTs : this.lastOnlineTs;
    if (floor !== undefined && timestamp < floor) {
      return { kind: 'stale', reason: `timestamp ${timestamp} < ${floor}` };
    }
    this.onlineNow = online;
    this.lastTs = timestamp;
    if (online) this.lastOnlineTs = timestamp;
    return { kind: online ? 'online' : 'offline' };
  }

  /** Our MQTT session ended: until the broker tells us again, the host is not known online. */
  sessionLost(): void {
    this.onlineNow = false;
  }
}
