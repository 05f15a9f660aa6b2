/**
 * A real mosquitto for the MQTT integration tests: generated config on a free loopback port,
 * started as a child process and awaited until it accepts TCP connections. kill() is a kill -9
 * (no clean shutdown, no will flush), restart() brings it back on the same port so clients that
 * reconnect to the same URL find it again. Persistence is off: a restarted broker has no
 * retained messages and no sessions, like a broker that lost its disk.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  /** Require a username/password (mosquitto_passwd-hashed file); anonymous otherwise. */
  readonly users?: readonly { readonly username: string; readonly password: string }[];
  readonly startTimeoutMs?: number;
  /** TLS listener with these PEM files; requireCertificate = client certificates mandatory. */
  readonly tls?: {
    readonly ca: string;
    readonly cert: string;
    readonly key: string;
    readonly requireCertificate: boolean;
  };
  /** Extra mosquitto.conf lines (e.g. `max_inflight_messages 2`). */
  readonly extraConfig?: readonly string[];
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  /** Everything mosquitto wrote to stderr (log_dest stderr), for failure messages. */
  log(): string;
  /** kill -9: the broker vanishes without DISCONNECTs or will delivery. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** Start again on the same port and config (after kill or stop). */
  restart(): Promise<void>;
  /** Stop and delete the generated files. */
  dispose(): Promise<void>;
}

function haveBinary(path: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${path}`], { stdio: 'ignore' }).status === 0;
}

/**
 * True (after a loud warning) when mosquitto is missing, so a suite skips visibly instead of
 * passing silently. scripts/test.sh installs it with apt.
 */
export function skipWithoutMosquitto(suite: string): boolean {
  if (haveBinary(MOSQUITTO_BIN) || haveBinary('mosquitto')) return false;
  console.warn(
    `\n*** SKIPPING "${suite}": mosquitto not installed ` +
      `(scripts/test.sh installs it with apt: apt-get install mosquitto) ***\n`,
  );
  return true;
}

/** A port the kernel just handed out on loopback (closed again; mosquitto binds it next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = haveBinary(MOSQUITTO_BIN) ? MOSQUITTO_BIN : 'mosquitto';
  const dir = mkdtempSync(join(tmpdir(), 'orv3gw-mosquitto-'));
  const port = await freePort();
  const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr'];
  // Started as root, mosquitto drops to user "mosquitto", who cannot read our 0700 temp dir.
  if (process.getuid?.() === 0) lines.push('user root');
  lines.push('log_type error', 'log_type warning', 'log_type notice', 'log_type information');
  if (opts.users && opts.users.length > 0) {
    const pw = join(dir, 'passwd');
    writeFileSync(pw, '');
    for (const u of opts.users) {
      // -b takes the password on the command line: fine for throwaway test users only.
      const r = spawnSync('mosquitto_passwd', ['-b', pw, u.username, u.password]);
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr.toString()}`);
    }
    lines.push('allow_anonymous false', `password_file ${pw}`);
  } else {
    lines.push('allow_anonymous true');
  }
  if (opts.tls) {
    lines.push(`cafile ${opts.tls.ca}`, `certfile ${opts.tls.cert}`, `keyfile ${opts.tls.key}`);
    lines.push(`require_certificate ${opts.tls.requireCertificate}`);
  }
  lines.push(...(opts.extraConfig ?? []));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, lines.join('\n') + '\n');

  let child: ChildProcess | null = null;
  let log = '';
  const startTimeoutMs = opts.startTimeoutMs ?? 5000;

  const launch = async (): Promise<void> => {
    const c = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    c.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = performance.now() + startTimeoutMs;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`mosquitto exited (${c.exitCode}): ${log}`);
      if (await canConnect(port)) return;
      if (performance.now() > deadline) {
        c.kill('SIGKILL');
        throw new Error(`mosquitto did not listen on ${port} within ${startTimeoutMs} ms: ${log}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const c: ChildProcess | null = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(signal);
    await waitExit(c, 3000);
  };

  await launch();
  return {
    port,
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    log: () => log,
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
    restart: async () => {
      await halt('SIGTERM');
      await launch();
    },
    dispose: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestPki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/**
 * A throwaway CA, a server certificate for 127.0.0.1 and a client certificate (EC P-256, valid
 * one day), made with the openssl CLI. Null (after a loud warning) when openssl is missing.
 */
export function makeTestPki(suite: string): TestPki | null {
  if (!haveBinary('openssl')) {
    console.warn(`\n*** SKIPPING "${suite}": openssl not installed ***\n`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'orv3gw-pki-'));
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.toString()}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=orv3gw-test-ca',
  ]);
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, cn, ext] of [
    ['server', '127.0.0.1', true],
    ['client', 'rack7', false],
  ] as const) {
    run([
      'req',
      ...ec,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.csr`),
      '-subj',
      `/CN=${cn}`,
    ]);
    run([
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f(`${name}.crt`),
      '-days',
      '1',
      ...(ext ? ['-extfile', f('server.ext')] : []),
    ]);
  }
  return {
    dir,
    ca: f('ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
  };
}
