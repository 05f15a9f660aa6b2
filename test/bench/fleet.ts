/**
 * bench:fleet — N simulated gateways (default 10, 50, 100) on one local mosquitto, with one fleet
 * consumer: messages/s published and received, bytes/s, latency from the metric's sample
 * timestamp to the consumer (p50/p99/max), CPU per gateway, the consumer's and mosquitto's CPU,
 * memory per gateway. docs/FLEET.md explains the figures and how the setup scales out.
 *
 * Processes: this one only orchestrates. The N gateways run in one child process (or split over
 * `--processes=k` children), the consumer in another, so each CPU/memory figure is one
 * workload's. Every run stops by itself (bounded waits plus a watchdog); children and the
 * broker are killed on every exit path.
 *
 *   tsx test/bench/fleet.ts [--n=10,50,100] [--processes=1] [--period=1000] [--warmup=3]
 *                           [--window=20] [--qos=0] [--aligned] [--max-silence=60] [--json]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { MOSQUITTO_BIN, startMosquitto, type Mosquitto } from '../support/mosquitto.js';
import { findChildPid } from './fleet-proc.js';
import { Child } from './fleet-protocol.js';
import { describeSetup, formatTable } from './fleet-report.js';
import { runFleet, type FleetResult } from './fleet-run.js';

const USAGE = `usage: tsx test/bench/fleet.ts [options]
  --n=10,50,100     gateway counts, one run each
  --processes=1     gateway host processes per run (N split between them)
  --period=1000     publish period, ms
  --warmup=3        seconds between "all gateways online" and the measured window
  --window=20       measured window, seconds
  --qos=0           QoS of NDATA/DDATA (0 = the EdgeNode default without a store, or 1)
  --aligned         every gateway ticks at the same instant (worst-case bursts)
  --max-silence=60  seconds after which an unchanged metric is republished (0 = never)
  --json            print JSON instead of the table`;

function fail(message: string): never {
  console.error(`bench:fleet: ${message}`);
  process.exit(1);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0)) fail(`--${name} must be a positive number, got "${text}"`);
  return v;
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        n: { type: 'string' },
        processes: { type: 'string' },
        period: { type: 'string' },
        warmup: { type: 'string' },
        window: { type: 'string' },
        qos: { type: 'string' },
        aligned: { type: 'boolean' },
        'max-silence': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const ns = (parsed.n ?? '10,50,100').split(',').map((s) => positive('n', s.trim(), 0));
  if (!ns.every(Number.isInteger)) fail('--n takes whole numbers');
  const qos = parsed.qos ?? '0';
  if (qos !== '0' && qos !== '1') fail('--qos must be 0 or 1');
  const silence = Number(parsed['max-silence'] ?? '60');
  if (!(silence >= 0)) fail('--max-silence must be >= 0');
  return {
    ns,
    processes: Math.round(positive('processes', parsed.processes, 1)),
    periodMs: positive('period', parsed.period, 1000),
    warmupMs: positive('warmup', parsed.warmup, 3) * 1000,
    windowMs: positive('window', parsed.window, 20) * 1000,
    qos: qos === '1' ? (1 as const) : (0 as const),
    aligned: parsed.aligned ?? false,
    maxSilenceMs: silence * 1000,
    json: parsed.json ?? false,
  };
}

function mosquittoVersion(): string | null {
  const has = spawnSync('sh', ['-c', `test -x ${MOSQUITTO_BIN} || command -v mosquitto`], {
    stdio: 'ignore',
  });
  if (has.status !== 0) return null;
  // `mosquitto -h` prints "mosquitto version 2.0.18" first (and exits non-zero: it is usage).
  const bin = spawnSync('sh', ['-c', `test -x ${MOSQUITTO_BIN}`]).status === 0;
  const r = spawnSync(bin ? MOSQUITTO_BIN : 'mosquitto', ['-h'], { encoding: 'utf8' });
  return /mosquitto version \S+/.exec(`${r.stdout}${r.stderr}`)?.[0] ?? 'mosquitto';
}

/**
 * startMosquitto() picks a free port and then starts the broker on it; on a busy machine
 * another process can take the port in between. That is not what the bench measures: retry.
 */
async function startBroker(): Promise<Mosquitto> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startMosquitto();
    } catch (e) {
      if (attempt >= 3) throw e;
      console.error(`bench:fleet: mosquitto did not start (${(e as Error).message}), retrying`);
    }
  }
}

async function main(): Promise<void> {
  const o = options();
  const version = mosquittoVersion();
  if (!version) {
    fail(
      'mosquitto is not installed. bench:fleet needs a real broker: ' +
        'apt-get install mosquitto (scripts/test.sh installs it too).',
    );
  }

  let broker: Mosquitto | null = null;
  let brokerPid: number | null = null;
  // Last resort on every way out (watchdog, signal, crash): nothing may outlive the bench.
  const killEverything = (): void => {
    Child.killAllNow();
    if (brokerPid !== null) {
      try {
        process.kill(brokerPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killEverything);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`bench:fleet: ${sig}, stopping`);
      Child.killAllNow();
      // dispose() also removes the broker's temp dir; the 'exit' handler kills it if that hangs.
      const gone = broker?.dispose() ?? Promise.resolve();
      void Promise.race([gone, new Promise((r) => setTimeout(r, 2000))]).finally(() =>
        process.exit(130),
      );
    });
  }
  // Per run: child start-up, gateways online, warm-up, window, stop; generous but finite.
  const budgetMs = o.ns.reduce((a) => a + o.warmupMs + o.windowMs + 150_000, 0);
  setTimeout(() => {
    console.error(`bench:fleet: watchdog: not finished after ${budgetMs / 1000} s, aborting`);
    killEverything();
    process.exit(1);
  }, budgetMs).unref();

  const results: FleetResult[] = [];
  try {
    broker = await startBroker();
    brokerPid = findChildPid('mosquitto');
    const setup = {
      broker: version,
      periodMs: o.periodMs,
      windowS: o.windowMs / 1000,
      qos: o.qos,
      aligned: o.aligned,
    };
    if (!o.json) console.log(`${describeSetup(setup)}\n`);
    for (const n of o.ns) {
      console.error(`bench:fleet: N=${n} ...`);
      results.push(
        await runFleet({
          url: broker.url,
          n,
          processes: o.processes,
          periodMs: o.periodMs,
          warmupMs: o.warmupMs,
          windowMs: o.windowMs,
          qos: o.qos,
          aligned: o.aligned,
          maxSilenceMs: o.maxSilenceMs,
          brokerPid,
        }),
      );
    }
    if (o.json) console.log(JSON.stringify({ setup, results }, null, 2));
    else console.log(formatTable(results));
  } finally {
    await broker?.dispose();
    brokerPid = null;
  }
  if (results.some((r) => !r.consistent)) {
    fail('some runs lost, duplicated or could not decode messages: their figures are not valid');
  }
}

main().catch((e: unknown) => {
  console.error(`bench:fleet: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
