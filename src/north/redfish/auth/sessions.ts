/**
 * Redfish sessions: random 256-bit tokens (only their SHA-256 is kept), an idle timeout and
 * a cap on how many exist at once. A session ends when it idles out, is deleted, or its
 * account changes password, role or is removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../../clock/index.js';

export interface Session {
  readonly id: string;
  readonly userName: string;
  readonly createdEpochMs: number;
  readonly clientIp: string;
  readonly context: string | undefined;
  /** The account generation the session was made under. */
  readonly generation: number;
  lastUsedMs: number;
}

export interface SessionPolicy {
  /** Idle time after which a session ends, s (Redfish SessionTimeout: 30…86400). */
  timeoutS: number;
  readonly maxSessions: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { timeoutS: 1800, maxSessions: 64 };
export const SESSION_TIMEOUT_RANGE_S = { min: 30, max: 86400 } as const;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SessionStore {
  private readonly byId = new Map<string, Session>();
  private readonly byDigest = new Map<string, Session>();
  private readonly digestOf = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    readonly policy: SessionPolicy = { ...DEFAULT_SESSION_POLICY },
  ) {}

  /** A new session and its token (returned once, never stored), or undefined at the cap. */
  create(
    userName: string,
    generation: number,
    clientIp: string,
    context?: string,
  ): { session: Session; token: string } | undefined {
    this.expire();
    if (this.byId.size >= this.policy.maxSessions) return undefined;
    let id: string;
    do id = randomBytes(8).toString('hex');
    while (this.byId.has(id));
    const token = randomBytes(32).toString('base64url');
    const s: Session = {
      id,
      userName,
      createdEpochMs: this.clock.epochMs(),
      clientIp,
      context,
      generation,
      lastUsedMs: this.clock.nowMs(),
    };
    const d = digest(token);
    this.byId.set(id, s);
    this.byDigest.set(d, s);
    this.digestOf.set(id, d);
    return { session: s, token };
  }

  /** The live session of a token, refreshing its idle timer; undefined if none or expired. */
  byToken(token: string): Session | undefined {
    const s = this.byDigest.get(digest(token));
    if (!s) return undefined;
    const now = this.clock.nowMs();
    if (now - s.lastUsedMs > this.policy.timeoutS * 1000) {
      this.delete(s.id);
      return undefined;
    }
    s.lastUsedMs = now;
    return s;
  }

  get(id: string): Session | undefined {
    this.expire();
    return this.byId.get(id);
  }

  list(): Session[] {
    this.expire();
    return [...this.byId.values()];
  }

  delete(id: string): boolean {
    const d = this.digestOf.get(id);
    if (d === undefined) return false;
    this.byId.delete(id);
    this.byDigest.delete(d);
    this.digestOf.delete(id);
    return true;
  }

  deleteForUser(userName: string): number {
    let n = 0;
    for (const s of [...this.byId.values()]) if (s.userName === userName && this.delete(s.id)) n++;
    return n;
  }

  /** Drops idle sessions (called on create and listing; a lookup checks its own). */
  expire(): void {
    const limit = this.clock.nowMs() - this.policy.timeoutS * 1000;
    for (const s of [...this.byId.values()]) if (s.lastUsedMs < limit) this.delete(s.id);
  }

  get size(): number {
    return this.byId.size;
  }
}
