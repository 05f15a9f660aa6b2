/**
 * Turns a request's credentials into a Principal: `X-Auth-Token` (a session) or HTTP Basic.
 * A successful Basic login is remembered for a short time under an HMAC of the credentials
 * (keyed per process, never logged), so a client using Basic on every request does not pay
 * a scrypt per request; any change to the account forgets it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../../clock/index.js';
import { privilegesOf } from '../privileges.js';
import type { AccountStore } from './accounts.js';
import type { Principal } from './principal.js';
import type { SessionStore } from './sessions.js';

export type AuthFailure = 'missing' | 'bad-token' | 'bad-credentials' | 'locked';
export type AuthResult = { ok: true; principal: Principal } | { ok: false; why: AuthFailure };

const BASIC_CACHE_MS = 30_000;
const BASIC_CACHE_MAX = 256;

export class Authenticator {
  private readonly key = randomBytes(32);
  private readonly basicCache = new Map<string, { user: string; gen: number; untilMs: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly accounts: AccountStore,
    private readonly sessions: SessionStore,
  ) {}

  async authenticate(
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): Promise<AuthResult> {
    const token = headers['x-auth-token'];
    if (typeof token === 'string' && token !== '') return this.bySession(token);
    const auth = headers['authorization'];
    if (typeof auth === 'string' && /^basic /i.test(auth))
      return this.byBasic(auth.slice(6).trim());
    return { ok: false, why: 'missing' };
  }

  private bySession(token: string): AuthResult {
    const s = this.sessions.byToken(token);
    if (!s) return { ok: false, why: 'bad-token' };
    const a = this.accounts.get(s.userName);
    if (!a || !a.enabled || a.generation !== s.generation || this.accounts.isLocked(a)) {
      this.sessions.delete(s.id);
      return { ok: false, why: 'bad-token' };
    }
    return {
      ok: true,
      principal: {
        user: a.userName,
        roleId: a.roleId,
        privileges: privilegesOf(a.roleId),
        sessionId: s.id,
      },
    };
  }

  private async byBasic(b64: string): Promise<AuthResult> {
    const decoded = Buffer.from(b64, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { ok: false, why: 'bad-credentials' };
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const mac = createHmac('sha256', this.key).update(decoded).digest('base64');
    const now = this.clock.nowMs();
    const hit = this.basicCache.get(mac);
    const a = this.accounts.get(user);
    if (
      hit &&
      hit.untilMs > now &&
      a &&
      hit.gen === a.generation &&
      a.enabled &&
      !this.accounts.isLocked(a)
    )
      return {
        ok: true,
        principal: { user, roleId: a.roleId, privileges: privilegesOf(a.roleId) },
      };
    const r = await this.accounts.verify(user, password);
    if (r === 'locked') return { ok: false, why: 'locked' };
    if (r !== 'ok') return { ok: false, why: 'bad-credentials' };
    const acc = this.accounts.get(user)!;
    if (this.basicCache.size >= BASIC_CACHE_MAX) this.basicCache.clear();
    this.basicCache.set(mac, { user, gen: acc.generation, untilMs: now + BASIC_CACHE_MS });
    return {
      ok: true,
      principal: { user, roleId: acc.roleId, privileges: privilegesOf(acc.roleId) },
    };
  }

  /** Verifies a user name and password for POST /Sessions (no cache: a fresh check). */
  async login(user: string, password: string): Promise<'ok' | 'bad' | 'locked'> {
    const r = await this.accounts.verify(user, password);
    return r === 'ok' ? 'ok' : r === 'locked' ? 'locked' : 'bad';
  }
}
