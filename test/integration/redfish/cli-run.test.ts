/**
 * `orv3gw run --sim` brings the Redfish service up (issue 5, Build 1): the first administrator
 * from ORV3GW_ADMIN_USER/ORV3GW_ADMIN_PASSWORD, HTTPS on loopback with a certificate generated
 * at start, an authenticated GET answered, and a clean stop that closes the port. Also what the
 * run's unpaced discovery must not leak: epoch stamps ahead of the wall clock, and a
 * `--duration` spent before the control loop starts.
 */
import { connect as tlsConnect } from 'node:tls';
import { connect as tcpConnect } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealClock } from '../../../src/clock/index.js';
import { main } from '../../../src/cli.js';
import { capture } from '../../support/capture.js';
import { Client } from './client.js';

const ADMIN = { user: 'fleet-admin', password: 'a-long-test-secret-9' };
const MGR = '/redfish/v1/Managers/Gateway';
const wall = new RealClock();

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

/**
 * What a SIGTERM does: the one handler `run` installed since `before` was taken, called
 * directly, so no real signal reaches the test runner.
 */
function sigterm(before: ReadonlySet<NodeJS.SignalsListener>): void {
  const added = process.listeners('SIGTERM').filter((l) => !before.has(l));
  expect(added).toHaveLength(1);
  added[0]!('SIGTERM');
}

/** After a test, pass or fail: stop a run still going and wait for it. */
async function stopLeftover(
  before: ReadonlySet<NodeJS.SignalsListener>,
  running: Promise<unknown>,
): Promise<void> {
  for (const l of process.listeners('SIGTERM')) if (!before.has(l)) l('SIGTERM');
  await running.catch(() => undefined);
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

      sigterm(before);
      expect(await running).toBe(0);
      expect(c.out()).toMatch(/orv3gw: stopped at t=\d+\.\d s/);
      expect(await refused(hostname, Number(port))).toBe(true);
      expect(process.listeners('SIGTERM').filter((l) => !before.has(l))).toHaveLength(0);
    } finally {
      client?.close();
      await stopLeftover(before, running);
    }
  }, 150_000);

  it('stamps readings and LogEntries with the wall clock once it serves, not discovery’s bus time', async () => {
    process.env['ORV3GW_ADMIN_USER'] = ADMIN.user;
    process.env['ORV3GW_ADMIN_PASSWORD'] = ADMIN.password;
    const before = new Set(process.listeners('SIGTERM'));
    const c = capture();
    const running = main([
      'node',
      'orv3gw',
      'run',
      '--sim',
      '--insecure-http',
      '--redfish-listen',
      '127.0.0.1:0',
    ]);
    let client: Client | undefined;
    try {
      const url = await waitFor(
        () => /Redfish service at (http:\/\/127\.0\.0\.1:\d+)\/redfish\/v1/.exec(c.out())?.[1],
        90_000,
        () => c.out() + c.err(),
      );
      // Discovery took ~11 s of bus time in ~1 s of wall time: unanchored, every stamp on the
      // gateway's clock was ~10 s ahead.
      expect(c.out()).toMatch(/discovered 12 devices in 1\d\.\d s of bus time/);
      client = new Client({ url });
      const get = async (path: string) => {
        const r = await client!.get(path, ADMIN);
        expect(r.status, path).toBe(200);
        return r.json;
      };
      // The slow lane's bus reading (≈ 1 Hz): its sample time, converted from monotonic time.
      let reading: string | null = null;
      for (let i = 0; i < 100 && reading === null; i++) {
        reading = (await get('/redfish/v1/Chassis/PowerShelf1/Sensors/BusVoltage')).ReadingTime;
        if (reading === null) await new Promise((r) => setTimeout(r, 100));
      }
      const readingMs = Date.parse(reading ?? 'no reading');
      const atReading = wall.epochMs();
      expect(Math.abs(readingMs - atReading)).toBeLessThanOrEqual(3_000);

      // The journal: the loop's first mode change is made once pacing starts; none is ahead.
      await waitFor(
        () => (/control mode autonomous → normal/.test(c.out()) ? true : undefined),
        30_000,
        () => c.out(),
      );
      const members = (await get(`${MGR}/LogServices/Journal/Entries`)).Members as {
        '@odata.id': string;
      }[];
      expect(members.length).toBeGreaterThan(0);
      const created: number[] = [];
      for (const m of members) created.push(Date.parse((await get(m['@odata.id'])).Created));
      const atJournal = wall.epochMs();
      for (const t of created) expect(t).toBeLessThanOrEqual(atJournal + 3_000);
      expect(created).toEqual([...created].sort((a, b) => a - b));
      client.close();
      client = undefined;

      sigterm(before);
      expect(await running).toBe(0);
    } finally {
      client?.close();
      await stopLeftover(before, running);
    }
  }, 150_000);

  it('counts --duration from the end of discovery: a short run reaches the control loop', async () => {
    const c = capture();
    const code = await main([
      'node',
      'orv3gw',
      'run',
      '--sim',
      '--speed',
      '10',
      '--duration',
      '2',
      '--insecure-http',
      '--redfish-listen',
      '127.0.0.1:0',
    ]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const out = c.out();
    const discovered = /discovered 12 devices in (\d+\.\d) s of bus time/.exec(out);
    expect(discovered).not.toBeNull();
    // Longer than the whole --duration: counted from t=0, the run would end in discovery.
    expect(Number(discovered![1])).toBeGreaterThan(2);
    expect(out).toMatch(/control mode autonomous → normal/);
    const ticks = /control loop: (\d+) ticks, 0 overruns/.exec(out);
    expect(ticks).not.toBeNull();
    // 2 s of shelf time at 1 kHz.
    expect(Number(ticks![1])).toBeGreaterThanOrEqual(1_900);
    expect(Number(ticks![1])).toBeLessThanOrEqual(2_010);
    const stopped = /stopped at t=(\d+\.\d) s/.exec(out);
    expect(stopped).not.toBeNull();
    // Both printed to 0.1 s.
    expect(Math.abs(Number(stopped![1]) - Number(discovered![1]) - 2)).toBeLessThanOrEqual(0.11);
  }, 150_000);
});
