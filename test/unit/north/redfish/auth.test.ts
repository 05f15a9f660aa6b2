import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../../src/clock/index.js';
import { AccountStore } from '../../../../src/north/redfish/auth/accounts.js';
import { Authenticator } from '../../../../src/north/redfish/auth/authenticate.js';
import { hashPassword, verifyPassword } from '../../../../src/north/redfish/auth/passwords.js';
import { SessionStore } from '../../../../src/north/redfish/auth/sessions.js';
import { RateLimiter } from '../../../../src/north/redfish/http/rate-limit.js';

const basic = (u: string, p: string) => ({
  authorization: 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64'),
});

describe('passwords (scrypt)', () => {
  it('verifies the right password only; hashes are salted', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterz', h)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(h);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});

describe('AccountStore', () => {
  it('refuses short passwords and duplicate or malformed user names', async () => {
    const a = new AccountStore(new VirtualClock());
    await expect(a.create('bob', { password: 'short' }, 'Operator')).rejects.toThrow();
    await a.create('bob', { password: 'long-enough-password' }, 'Operator');
    await expect(a.create('bob', { password: 'long-enough-password' }, 'Operator')).rejects.toThrow(
      /exists/,
    );
    await expect(
      a.create('1bad', { password: 'long-enough-password' }, 'Operator'),
    ).rejects.toThrow();
  });

  it('locks after the threshold, refuses even the right password, unlocks after the duration', async () => {
    const clock = new VirtualClock();
    const a = new AccountStore(clock);
    a.policy.lockoutThreshold = 3;
    a.policy.lockoutDurationS = 60;
    await a.create('eve', { password: 'eve-password-123' }, 'ReadOnly');
    for (let i = 0; i < 2; i++) expect(await a.verify('eve', 'x')).toBe('bad');
    expect(await a.verify('eve', 'x')).toBe('locked');
    expect(await a.verify('eve', 'eve-password-123')).toBe('locked');
    clock.advance(61_000);
    expect(await a.verify('eve', 'eve-password-123')).toBe('ok');
    expect(await a.verify('nobody', 'x')).toBe('bad');
  });
});

describe('SessionStore', () => {
  it('expires idle sessions and caps how many exist', () => {
    const clock = new VirtualClock();
    const s = new SessionStore(clock, { timeoutS: 30, maxSessions: 2 });
    const a = s.create('u', 1, '127.0.0.1')!;
    expect(s.byToken(a.token)?.id).toBe(a.session.id);
    s.create('u', 1, '127.0.0.1');
    expect(s.create('u', 1, '127.0.0.1')).toBeUndefined();
    clock.advance(31_000);
    expect(s.byToken(a.token)).toBeUndefined();
    expect(s.create('u', 1, '127.0.0.1')).toBeDefined();
    expect(s.byToken('forged')).toBeUndefined();
  });
});

describe('Authenticator', () => {
  it('Basic, then a password change ends cached logins and sessions', async () => {
    const clock = new VirtualClock();
    const accounts = new AccountStore(clock);
    const sessions = new SessionStore(clock);
    accounts.onChange((u) => sessions.deleteForUser(u));
    const auth = new Authenticator(clock, accounts, sessions);
    await accounts.create('ann', { password: 'ann-password-123' }, 'Operator');
    const ok = await auth.authenticate(basic('ann', 'ann-password-123'));
    expect(ok.ok && ok.principal.roleId).toBe('Operator');
    const s = sessions.create('ann', accounts.get('ann')!.generation, '')!;
    expect((await auth.authenticate({ 'x-auth-token': s.token })).ok).toBe(true);
    await accounts.setPassword('ann', 'ann-password-456');
    expect((await auth.authenticate(basic('ann', 'ann-password-123'))).ok).toBe(false);
    expect((await auth.authenticate({ 'x-auth-token': s.token })).ok).toBe(false);
    expect(await auth.authenticate({})).toEqual({ ok: false, why: 'missing' });
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then asks the client to retry after whole seconds', () => {
    const clock = new VirtualClock();
    const r = new RateLimiter(clock, { ratePerS: 2, burst: 3 });
    expect([r.take('a'), r.take('a'), r.take('a')]).toEqual([0, 0, 0]);
    expect(r.take('a')).toBe(1);
    expect(r.take('b')).toBe(0);
    clock.advance(500);
    expect(r.take('a')).toBe(0);
  });
});
