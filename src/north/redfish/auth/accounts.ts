/**
 * Local accounts: user name, role, scrypt hash, enable flag and lockout state. No account is
 * ever created with a default password: the first administrator comes from the environment
 * or the config file, the rest through AccountService. Kept in memory (see docs/REDFISH.md).
 */
import type { Clock } from '../../../clock/index.js';
import { hashPassword, isPasswordHash, verifyPassword } from './passwords.js';
import type { RoleId } from '../privileges.js';

export interface AccountPolicy {
  /** Failed logins within `lockoutCounterResetAfterS` that lock the account (0 = never). */
  lockoutThreshold: number;
  /** How long a locked account stays locked, s (0 = until an administrator unlocks it). */
  lockoutDurationS: number;
  /** Quiet time after which the failure counter restarts, s. */
  lockoutCounterResetAfterS: number;
  readonly minPasswordLength: number;
  readonly maxPasswordLength: number;
  readonly maxAccounts: number;
}

export const DEFAULT_ACCOUNT_POLICY: AccountPolicy = {
  lockoutThreshold: 5,
  lockoutDurationS: 300,
  lockoutCounterResetAfterS: 300,
  minPasswordLength: 12,
  maxPasswordLength: 128,
  maxAccounts: 32,
};

export const USER_NAME_RE = /^[A-Za-z][A-Za-z0-9._-]{0,31}$/;

export interface Account {
  readonly userName: string;
  roleId: RoleId;
  enabled: boolean;
  hash: string;
  failures: number;
  lastFailureMs: number;
  /** Monotonic ms until which the account is locked; 0 = not locked; Infinity = until unlocked. */
  lockedUntilMs: number;
  /** Bumped whenever the credentials or access change: cached Basic logins and sessions end. */
  generation: number;
}

export type VerifyResult = 'ok' | 'bad' | 'locked' | 'disabled';
export type AccountChange = (
  userName: string,
  what: 'password' | 'role' | 'removed' | 'disabled',
) => void;

export class AccountStore {
  private readonly accounts = new Map<string, Account>();
  private readonly listeners = new Set<AccountChange>();
  /** A hash to verify against for unknown users, so timing does not tell who exists. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly clock: Clock,
    readonly policy: AccountPolicy = { ...DEFAULT_ACCOUNT_POLICY },
  ) {}

  onChange(l: AccountChange): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(userName: string, what: Parameters<AccountChange>[1]): void {
    for (const l of this.listeners) l(userName, what);
  }

  list(): Account[] {
    return [...this.accounts.values()];
  }

  get(userName: string): Account | undefined {
    return this.accounts.get(userName);
  }

  /** Why a password is refused by policy, or undefined when it is acceptable. */
  passwordProblem(password: string): 'length' | undefined {
    const n = [...password].length;
    return n < this.policy.minPasswordLength || n > this.policy.maxPasswordLength
      ? 'length'
      : undefined;
  }

  /** Adds an account from a clear password or an encoded scrypt hash (config files). */
  async create(
    userName: string,
    secret: { password: string } | { hash: string },
    roleId: RoleId,
    enabled = true,
  ): Promise<Account> {
    if (!USER_NAME_RE.test(userName)) throw new RangeError(`user name "${userName}" not allowed`);
    if (this.accounts.has(userName)) throw new RangeError(`account "${userName}" exists`);
    if (this.accounts.size >= this.policy.maxAccounts) throw new RangeError('too many accounts');
    let hash: string;
    if ('hash' in secret) {
      if (!isPasswordHash(secret.hash)) throw new RangeError(`account "${userName}": bad hash`);
      hash = secret.hash;
    } else {
      if (this.passwordProblem(secret.password)) throw new RangeError('password length');
      hash = await hashPassword(secret.password);
    }
    // Re-check: another create may have finished while we hashed.
    if (this.accounts.has(userName)) throw new RangeError(`account "${userName}" exists`);
    const a: Account = {
      userName,
      roleId,
      enabled,
      hash,
      failures: 0,
      lastFailureMs: -Infinity,
      lockedUntilMs: 0,
      generation: 1,
    };
    this.accounts.set(userName, a);
    return a;
  }

  isLocked(a: Account): boolean {
    if (a.lockedUntilMs === 0) return false;
    if (this.clock.nowMs() >= a.lockedUntilMs) {
      a.lockedUntilMs = 0;
      a.failures = 0;
      return false;
    }
    return true;
  }

  /**
   * Checks a password and keeps the lockout books. A locked or disabled account answers so
   * even for the right password; unknown users cost the same scrypt time as known ones.
   */
  async verify(userName: string, password: string): Promise<VerifyResult> {
    const a = this.accounts.get(userName);
    if (!a) {
      this.dummyHash ??= hashPassword('unknown-user-dummy-password');
      await verifyPassword(password, await this.dummyHash);
      return 'bad';
    }
    const good = await verifyPassword(password, a.hash);
    if (this.isLocked(a)) return 'locked';
    if (!a.enabled) return 'disabled';
    if (good) {
      a.failures = 0;
      return 'ok';
    }
    this.recordFailure(a);
    return this.isLocked(a) ? 'locked' : 'bad';
  }

  private recordFailure(a: Account): void {
    const now = this.clock.nowMs();
    const p = this.policy;
    if (now - a.lastFailureMs > p.lockoutCounterResetAfterS * 1000) a.failures = 0;
    a.failures++;
    a.lastFailureMs = now;
    if (p.lockoutThreshold > 0 && a.failures >= p.lockoutThreshold) {
      a.lockedUntilMs = p.lockoutDurationS > 0 ? now + p.lockoutDurationS * 1000 : Infinity;
      a.generation++;
      this.changed(a.userName, 'disabled');
    }
  }

  async setPassword(userName: string, password: string): Promise<void> {
    const a = this.accounts.get(userName);
    if (!a) throw new RangeError(`no account "${userName}"`);
    if (this.passwordProblem(password)) throw new RangeError('password length');
    a.hash = await hashPassword(password);
    a.generation++;
    this.changed(userName, 'password');
  }

  setRole(userName: string, roleId: RoleId): void {
    const a = this.accounts.get(userName)!;
    if (a.roleId === roleId) return;
    a.roleId = roleId;
    a.generation++;
    this.changed(userName, 'role');
  }

  setEnabled(userName: string, enabled: boolean): void {
    const a = this.accounts.get(userName)!;
    if (a.enabled === enabled) return;
    a.enabled = enabled;
    a.generation++;
    if (!enabled) this.changed(userName, 'disabled');
  }

  unlock(userName: string): void {
    const a = this.accounts.get(userName)!;
    a.lockedUntilMs = 0;
    a.failures = 0;
  }

  remove(userName: string): boolean {
    const had = this.accounts.delete(userName);
    if (had) this.changed(userName, 'removed');
    return had;
  }

  /** Enabled administrators that are not locked: the last one may not be removed or demoted. */
  activeAdministrators(): number {
    let n = 0;
    for (const a of this.accounts.values())
      if (a.roleId === 'Administrator' && a.enabled && !this.isLocked(a)) n++;
    return n;
  }
}
