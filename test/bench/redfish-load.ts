/**
 * bench:redfish load generator, a child process of redfish.ts. Open loop: request i is due at
 * t0 + i / rate whatever happened to earlier ones, and its latency runs from that due time to
 * the end of its response, so a slow answer delays nothing else and queueing (in the agent's 4
 * sockets or in the service) is counted, not hidden (no coordinated omission).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { percentile, WallClock } from './fleet-stats.js';
import type { FromLoad, LoadResult, LoadStart } from './redfish-protocol.js';

const REQUEST_TIMEOUT_MS = 10_000;
const MAX_ERROR_SAMPLES = 5;

function send(m: FromLoad): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, undefined, () => resolve());
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function run(s: LoadStart): Promise<LoadResult> {
  const base = new URL(s.url);
  const isHttps = base.protocol === 'https:';
  const agentOptions = {
    keepAlive: true,
    maxSockets: s.connections,
    maxFreeSockets: s.connections,
  };
  const agent = isHttps
    ? new https.Agent({ ...agentOptions, ...(s.ca ? { ca: s.ca } : {}) })
    : new http.Agent(agentOptions);
  const get = isHttps ? https.get : http.get;
  const headers = { 'x-auth-token': s.token, accept: 'application/json', 'odata-version': '4.0' };

  const sockets = new Set<Socket>();
  const latencyMs: Record<string, number[]> = {};
  const errors: Record<string, number> = {};
  for (const t of s.targets) {
    latencyMs[t.kind] = [];
    errors[t.kind] = 0;
  }
  const errorSamples: string[] = [];
  const lags: number[] = [];
  const fromSendMs: number[] = [];
  const wall = new WallClock();
  const periodMs = 1000 / s.ratePerS;
  const t0 = performance.now() + 20;
  const windowStart = t0 + s.warmupMs;
  const windowEnd = windowStart + s.windowMs;
  const total = Math.floor(((s.warmupMs + s.windowMs) * s.ratePerS) / 1000);
  let scheduled = 0;
  let completed = 0;
  let inFlight = 0;
  let cpuAtStart: NodeJS.CpuUsage | null = null;

  const fail = (kind: string, inWindow: boolean, what: string): void => {
    if (!inWindow) return;
    errors[kind] = (errors[kind] ?? 0) + 1;
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(`${kind}: ${what}`);
  };

  const issue = (i: number): void => {
    const due = t0 + i * periodMs;
    const target = s.targets[i % s.targets.length]!;
    const inWindow = due >= windowStart && due < windowEnd;
    const sent = performance.now();
    if (inWindow) {
      scheduled++;
      lags.push(sent - due);
    }
    inFlight++;
    const req = get(
      new URL(target.uri, base),
      { agent, headers, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        res.resume(); // the body is read (and dropped): a response ends when its body has arrived
        res.on('end', () => {
          inFlight--;
          const end = performance.now();
          if (end >= windowStart && end < windowEnd) completed++;
          if (res.statusCode !== 200) fail(target.kind, inWindow, `HTTP ${res.statusCode}`);
          else if (inWindow) {
            latencyMs[target.kind]!.push(end - due);
            fromSendMs.push(end - sent);
          }
        });
      },
    );
    req.on('socket', (sock: Socket) => void sockets.add(sock));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => {
      inFlight--;
      fail(target.kind, inWindow, e.message);
    });
  };

  for (let i = 0; i < total;) {
    const now = performance.now();
    if (cpuAtStart === null && now >= windowStart) cpuAtStart = process.cpuUsage();
    while (i < total && t0 + i * periodMs <= now) issue(i++);
    const wait = t0 + i * periodMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const drainBy = performance.now() + REQUEST_TIMEOUT_MS;
  while (inFlight > 0 && performance.now() < drainBy) await sleep(5);
  agent.destroy();

  return {
    type: 'result',
    latencyMs,
    errors,
    errorSamples,
    scheduled,
    completed,
    fromSendMs,
    windowMs: s.windowMs,
    sendLagP99Ms: percentile(Float64Array.from(lags).sort(), 99),
    socketsOpened: sockets.size,
    cpuMs,
    windowStartWallMs: wall.nowMs() - (performance.now() - windowStart),
    windowEndWallMs: wall.nowMs() - (performance.now() - windowEnd),
  };
}

process.once('message', (m: LoadStart) => {
  run(m)
    .then((r) => send(r))
    .catch((e: unknown) =>
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    )
    .finally(() => process.disconnect());
});
// An orchestrator that died must not leave a load generator running.
process.on('disconnect', () => process.exit(0));
