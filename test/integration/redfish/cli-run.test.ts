/**
 * `orv3gw run --sim` brings the Redfish service up (issue 5, Build 1): the first administrator
 * from ORV3GW_ADMIN_USER/ORV3GW_ADMIN_PASSWORD, HTTPS on loopback with a certificate generated
 * at start, an authenticated GET answered, and a clean stop that closes the port.
 */
import { connect as tlsConnect } from 'node:tls';
import { connect as tcpConnect } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli.js';
import { capture } from '../../support/capture.js';
import { Client } from './client.js';

const ADMIN = { user: 'fleet-admin', password: 'a-long-test-secret-9' };

/** The certificate the server presents, fetched without trusting it (to trust it next). */
function peerCertificate(host: string, port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host, port, rejectUnauthorized: false }, () => {
      const c = s.getPeerX509Certificate();
      s.end();
      if (c) resolve(c);
      else reject(new Error('no peer certificate'));
    });
    s.on('error', reject);
  });
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

async function waitFor<T>(
  probe: () => T | undefined,
  timeoutMs: number,
  seen: () => string,
): Promise<T> {
  for (const end = performance.now() + timeoutMs; performance.now() < end;) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  // What the command printed tells which phase it was stuck in (discovery, TLS, accounts).
  throw new Error(`not seen within ${timeoutMs} ms; output so far:\n${seen()}`);
}

describe('orv3gw run --sim with the Redfish service', () => {
  const saved = { ...process.env };
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it('serves /redfish/v1 over self-signed HTTPS on 127.0.0.1, answers an authenticated GET, stops cleanly', async () => {
    process.env['ORV3GW_ADMIN_USER'] = ADMIN.user;
    process.env['ORV3GW_ADMIN_PASSWORD'] = ADMIN.password;
    const before = new Set(process.listeners('SIGTERM'));
    const c = capture();
    const running = main(['node', 'orv3gw', 'run', '--sim', '--redfish-listen', '127.0.0.1:0']);
    let client: Client | undefined;
    try {
      const url = await waitFor(
        () => /Redfish service at (https:\/\/127\.0\.0\.1:\d+)\/redfish\/v1/.exec(c.out())?.[1],
        90_000,
        () => c.out() + c.err(),
      );
      const { hostname, port } = new URL(url);
      expect(c.out()).toMatch(/self-signed TLS certificate generated at start/);
      expect(c.out()).not.toMatch(/no administrator/);
      expect(c.out() + c.err()).not.toContain(ADMIN.password);

      const cert = await peerCertificate(hostname, Number(port));
      expect(cert.issuer).toBe(cert.subject);
      expect(cert.verify(cert.publicKey)).toBe(true);
      expect(cert.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);

      // Full verification (chain and host name) against the served certificate.
      client = new Client({ url, ca: cert.toString() });
      const root = await client.request('GET', '/redfish/v1');
      expect(root.status).toBe(200);
      expect(root.json.Id).toBe('RootService');
      expect((await client.request('GET', '/redfish/v1/Chassis')).status).toBe(401);
      const chassis = await client.request('GET', '/redfish/v1/Chassis', { cred: ADMIN });
      expect(chassis.status).toBe(200);
      expect(chassis.json['Members@odata.count']).toBeGreaterThan(0);
      const wrong = { user: ADMIN.user, password: 'not-the-password' };
      expect((await client.request('GET', '/redfish/v1/Chassis', { cred: wrong })).status).toBe(
        401,
      );
      client.close();
      client = undefined;

      // What a SIGTERM does: the handler `run` installed, called directly, so no real signal
      // reaches the test runner.
      const added = process.listeners('SIGTERM').filter((l) => !before.has(l));
      expect(added).toHaveLength(1);
      added[0]!('SIGTERM');
      expect(await running).toBe(0);
      expect(c.out()).toMatch(/orv3gw: stopped at t=\d+\.\d s/);
      expect(await refused(hostname, Number(port))).toBe(true);
      expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toHaveLength(0);
    } finally {
      client?.close();
      for (const l of process.listeners('SIGTERM')) if (!before.has(l)) l('SIGTERM');
      await running.catch(() => undefined);
    }
  }, 150_000);
});
