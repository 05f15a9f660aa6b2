/**
 * bench:loop's HTTP load generator, a child process of the bench (so its CPU and heap are not the
 * main thread's): GETs at a fixed rate over keep-alive connections to a loopback URL for a fixed
 * time, then reports what it sent and got. Bounded in time and count; stops by itself and exits
 * when the parent goes away.
 *
 * IPC: parent → { type: 'start', url, rate, durationMs, connections }; child → { type: 'started' }
 * once the first request is answered, then one LoadgenReport at the end.
 */
import { Agent, request } from 'node:http';

export interface LoadgenStart {
  readonly type: 'start';
  readonly url: string;
  /** Requests per second, issued in batches every 10 ms. */
  readonly rate: number;
  readonly durationMs: number;
  readonly connections: number;
}

export type LoadgenMessage = { readonly type: 'started' } | LoadgenReport;

export interface LoadgenReport {
  readonly type: 'report';
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  /** Requests not issued because every connection already had a backlog (server too slow). */
  readonly skipped: number;
  readonly elapsedMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const TICK_MS = 10;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function run(m: LoadgenStart): Promise<LoadgenReport> {
  const url = new URL(m.url);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`refusing a non-loopback target ${url.hostname}`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: m.connections });
  const maxInFlight = m.connections * 8;
  const latencies: number[] = [];
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let skipped = 0;
  let inFlight = 0;
  const one = (): void => {
    const t0 = performance.now();
    inFlight++;
    sent++;
    const req = request(url, { agent, method: 'GET' }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        inFlight--;
        completed++;
        latencies.push(performance.now() - t0);
      });
    });
    req.on('error', () => {
      inFlight--;
      errors++;
    });
    req.end();
  };
  // One request first, so the connection is up and the parent knows the load is on.
  await new Promise<void>((resolve, reject) => {
    request(url, { agent }, (res) => res.resume().on('end', resolve))
      .on('error', reject)
      .end();
  });
  process.send?.({ type: 'started' } satisfies LoadgenMessage);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= m.durationMs) {
        clearInterval(timer);
        return resolve();
      }
      // Fixed rate from the start time, so a late timer issues what it owes rather than drifting.
      const due = Math.floor((elapsed / 1000) * m.rate) - sent - skipped;
      for (let i = 0; i < due; i++) {
        if (inFlight >= maxInFlight) skipped++;
        else one();
      }
    }, TICK_MS);
  });
  const elapsedMs = performance.now() - start;
  // Let the last responses arrive (bounded).
  for (let waited = 0; inFlight > 0 && waited < 2000; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    type: 'report',
    sent,
    completed,
    errors,
    skipped,
    elapsedMs,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

process.on('disconnect', () => process.exit(2));
process.on('message', (m: LoadgenStart) => {
  if (m.type !== 'start') return;
  run(m)
    .then((report) => process.send?.(report, undefined, undefined, () => process.disconnect()))
    .catch((e: unknown) => {
      console.error(`loadgen: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    });
});
