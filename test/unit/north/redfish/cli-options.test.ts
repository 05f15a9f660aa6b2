import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListen, redfishServiceOptions } from '../../../../src/cli/redfish-options.js';

describe('Redfish CLI options', () => {
  it('parses HOST:PORT, IPv6 in brackets, and refuses the rest', () => {
    expect(parseListen('127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseListen('[::1]:443')).toEqual({ host: '::1', port: 443 });
    expect(() => parseListen('8443')).toThrow(/HOST:PORT/);
    expect(() => parseListen('h:70000')).toThrow();
  });

  it('takes the first administrator from the environment; no default account otherwise', () => {
    const none = redfishServiceOptions({ env: {} });
    expect(none.accounts).toEqual([]);
    expect(none.host).toBe('127.0.0.1');
    expect(none.port).toBe(8443);
    const env = redfishServiceOptions({
      env: { ORV3GW_ADMIN_USER: 'root', ORV3GW_ADMIN_PASSWORD: 'a-secret-long-pw' },
    });
    expect(env.accounts).toEqual([
      { user: 'root', roleId: 'Administrator', password: 'a-secret-long-pw' },
    ]);
    expect(() => redfishServiceOptions({ env: { ORV3GW_ADMIN_USER: 'root' } })).toThrow(/together/);
  });

  it('reads the config file: listen, accounts with hashes, limits; flags win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rfcfg-'));
    const file = join(dir, 'c.json');
    const hash =
      '$scrypt$ln=14,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';
    writeFileSync(
      file,
      JSON.stringify({
        redfish: {
          listen: '127.0.0.2:9443',
          accounts: [{ user: 'ops', role: 'Operator', passwordHash: hash }],
          lockout: { threshold: 3 },
          maxSessions: 8,
        },
      }),
    );
    const o = redfishServiceOptions({ config: file, env: {} });
    expect(o.host).toBe('127.0.0.2');
    expect(o.accounts).toEqual([{ user: 'ops', roleId: 'Operator', passwordHash: hash }]);
    expect(o.accountPolicy).toEqual({ lockoutThreshold: 3 });
    expect(o.sessionPolicy).toEqual({ maxSessions: 8 });
    expect(
      redfishServiceOptions({ config: file, env: {}, redfishListen: '127.0.0.1:1' }).port,
    ).toBe(1);
    writeFileSync(
      file,
      JSON.stringify({ redfish: { accounts: [{ user: 'x', role: 'Root', password: 'p' }] } }),
    );
    expect(() => redfishServiceOptions({ config: file, env: {} })).toThrow(/role/);
  });
});
