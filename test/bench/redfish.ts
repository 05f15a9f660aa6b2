/**
 * bench:redfish — the gateway's Redfish service under the fleet power service's access pattern:
 * 4 keep-alive HTTPS connections, one session (X-Auth-Token), a fixed request rate of sensor
 * GETs (a Sensor, EnvironmentMetrics) and collection GETs (PowerSupplies, Sensors, Batteries).
 * Prints p50/p99/max latency and throughput per kind and the issue's target line: p99 ≤ 5 ms at
 * 500 req/s (for scale: the fleet service asks BMCs for p99 < 0.8 s).
 *
 * Processes: this one hosts the service on the simulated shelf (realTime: the shelf runs at
 * wall-clock pace, so telemetry moves under load, paced in bounded slices that yield to the
 * service; the slip it reports says how far from real time it fell); the load comes from a
 * forked child (redfish-load.ts), open loop, latency measured from each request's due time.
 *
 *   tsx test/bench/redfish.ts [--rate=500 | --rates=200,500,1000] [--duration=20] [--warmup=2]
 *                             [--target-p99=5] [--deployment=control|poller] [--json]
 *
 * Deployment: by default the process is laid out as `run --sim` runs the gateway — the slow lane
 * and the service on the main thread, the 1 kHz control loop (the real ControlLoop, on its own
 * simulated shelf) in its worker, competing for the same two cores; `poller` puts the gateway's
 * 1 kHz PMBus poller on the service thread instead (the `--no-control` layout).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RealtimeLoop } from '../../src/control/realtime/index.js';
import { parseArgs } from 'node:util';
import { startRedfishFixture, type RedfishFixture } from '../support/redfish-fixture.js';
import { RedfishClient, jsonOf } from '../conformance/support/http.js';
import { WallClock } from './fleet-stats.js';
import { readCpuTimes, stealPct } from './loop-platform.js';
import { killLoadChildren, runLoadChild, type Target } from './redfish-protocol.js';
import { formatRate, summariseRate, verdict, type RateSummary } from './redfish-report.js';

/** The fleet service opens at most four connections per controller (issue 5). */
const CONNECTIONS = 4;
const TARGET_RATE = 500;

const USAGE = `usage: tsx test/bench/redfish.ts [options]
  --rate=500            requests per second (open loop)
  --rates=200,500,1000  sweep: one run per rate (overrides --rate)
  --duration=20         measured window per rate, seconds
  --warmup=2            seconds of load before the window (connections, JIT, caches)
  --target-p99=5        the target line's p99 bound, ms
  --deployment=control  control: the slow lane on the service thread and the real 1 kHz control
                        loop in its worker (as run --sim runs); poller: --no-control, the 1 kHz
                        PMBus poller on the service thread
  --json                print JSON instead of the tables`;

function fail(message: string): never {
  console.error(`bench:redfish: ${message}`);
  process.exit(1);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(Number.isFinite(v) && v > 0)) fail(`--${name} must be a positive number, got "${text}"`);
  return v;
}

function options() {
  let v;
  try {
    v = parseArgs({
      options: {
        rate: { type: 'string' },
        rates: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        'target-p99': { type: 'string' },
        deployment: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const rates = v.rates
    ? v.rates.split(',').map((r) => positive('rates', r.trim(), 0))
    : [positive('rate', v.rate, TARGET_RATE)];
  return {
    rates,
    windowMs: positive('duration', v.duration, 20) * 1000,
    warmupMs: positive('warmup', v.warmup, 2) * 1000,
    targetP99Ms: positive('target-p99', v['target-p99'], 5),
    deployment: deploymentOf(v.deployment),
    json: v.json ?? false,
  };
}

function deploymentOf(text: string | undefined): 'control' | 'poller' {
  if (text === undefined || text === 'control' || text === 'poller') return text ?? 'control';
  return fail(`--deployment must be control or poller, got "${text}"`);
}

/** The control loop's worker: the real ControlLoop on its own simulated shelf, at 1 kHz. */
async function startControlWorker(): Promise<RealtimeLoop> {
  const loop = new RealtimeLoop({
    task: { url: new URL('../../src/simlink/realtime-shelf-task.ts', import.meta.url) },
  });
  loop.onEvent((e) => {
    if (e.type === 'died' || e.type === 'stall') console.error(`bench:redfish: ${e.error.message}`);
  });
  await loop.start();
  return loop;
}

const linkOf = (payload: unknown, key: string): string | null => {
  const l = (payload as Record<string, { '@odata.id'?: unknown } | undefined> | null)?.[key];
  return typeof l?.['@odata.id'] === 'string' ? l['@odata.id'] : null;
};

/** Finds the URIs to load by following links from the service root, as a client would. */
async function discover(client: RedfishClient): Promise<Target[]> {
  const get = async (uri: string | null, what: string): Promise<unknown> => {
    if (!uri) throw new Error(`the service does not link ${what}`);
    const r = await client.get(uri);
    if (r.status !== 200) throw new Error(`GET ${uri} (${what}) returned HTTP ${r.status}`);
    return jsonOf(r);
  };
  const root = await get('/redfish/v1', 'the service root');
  const chassisList = (await get(linkOf(root, 'Chassis'), 'Chassis')) as {
    Members?: { '@odata.id': string }[];
  };
  const chassisUri = chassisList.Members?.[0]?.['@odata.id'] ?? null;
  const chassis = await get(chassisUri, 'a Chassis member');
  const sensorsUri = linkOf(chassis, 'Sensors');
  const sensors = (await get(sensorsUri, 'Chassis Sensors')) as {
    Members?: { '@odata.id': string }[];
  };
  const sensorUri = sensors.Members?.[0]?.['@odata.id'] ?? null;
  const envUri = linkOf(chassis, 'EnvironmentMetrics');
  const power = await get(linkOf(chassis, 'PowerSubsystem'), 'Chassis PowerSubsystem');
  const psusUri = linkOf(power, 'PowerSupplies');
  const batteriesUri = linkOf(power, 'Batteries');
  const need = (uri: string | null, what: string): string => {
    if (!uri) throw new Error(`the service does not link ${what}`);
    return uri;
  };
  return [
    { kind: 'Sensor', group: 'sensor', uri: need(sensorUri, 'a Sensor') },
    { kind: 'EnvironmentMetrics', group: 'sensor', uri: need(envUri, 'EnvironmentMetrics') },
    { kind: 'PowerSupplies (coll.)', group: 'collection', uri: need(psusUri, 'PowerSupplies') },
    { kind: 'Sensors (coll.)', group: 'collection', uri: need(sensorsUri, 'Sensors') },
    { kind: 'Batteries (coll.)', group: 'collection', uri: need(batteriesUri, 'Batteries') },
  ];
}

/** This process's CPU (the service and the real-time shelf) sampled against the shared wall clock. */
class CpuTimeline {
  private readonly samples: [number, number][] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly wall: WallClock) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    const u = process.cpuUsage();
    this.samples.push([this.wall.nowMs(), (u.user + u.system) / 1000]);
  }

  /** CPU ms spent between two wall times (linear between samples). */
  between(fromMs: number, toMs: number): number | null {
    this.sample();
    const at = (t: number): number | null => {
      for (let i = 1; i < this.samples.length; i++) {
        const [t1, c1] = this.samples[i]!;
        const [t0, c0] = this.samples[i - 1]!;
        if (t <= t1 && t >= t0) return t1 === t0 ? c1 : c0 + ((c1 - c0) * (t - t0)) / (t1 - t0);
      }
      return null;
    };
    // Two processes' calibrated wall clocks agree to about a millisecond: clamp into the
    // sampled range by that much rather than report nothing.
    const first = this.samples[0]![0];
    const last = this.samples[this.samples.length - 1]![0];
    const clamp = (t: number): number =>
      t < first && first - t < 5 ? first : t > last && t - last < 5 ? last : t;
    const a = at(clamp(fromMs));
    const b = at(clamp(toMs));
    return a === null || b === null ? null : b - a;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function main(): Promise<void> {
  const o = options();
  process.on('exit', killLoadChildren);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killLoadChildren();
      process.exit(130);
    });
  }
  const budgetMs = o.rates.length * (o.warmupMs + o.windowMs + 60_000) + 120_000;
  setTimeout(() => {
    console.error(`bench:redfish: watchdog: not finished after ${budgetMs / 1000} s, aborting`);
    killLoadChildren();
    process.exit(1);
  }, budgetMs).unref();

  let fx: RedfishFixture | null = null;
  let control: RealtimeLoop | undefined;
  let drain: ReturnType<typeof setInterval> | undefined;
  const client: { c: RedfishClient | null } = { c: null };
  const wall = new WallClock();
  const cpu = new CpuTimeline(wall);
  const results: RateSummary[] = [];
  const shelfSlip: { ratePerS: number; slippedMs: number; stealPct: number | null }[] = [];
  try {
    console.error(
      'bench:redfish: starting the gateway and its Redfish service on the simulated shelf ...',
    );
    fx = await startRedfishFixture({ realTime: true, fastLane: o.deployment === 'poller' });
    if (o.deployment === 'control') control = await startControlWorker();
    // The worker's telemetry is drained as the gateway would, so its ring never fills.
    drain = setInterval(() => control?.drainTelemetry(() => undefined), 20);
    const c = new RedfishClient({ url: fx.url, ...(fx.ca ? { ca: fx.ca } : {}), maxSockets: 1 });
    client.c = c;
    await c.authenticate({ kind: 'session', ...fx.admin });
    const targets = await discover(c);
    const idleFrom = wall.nowMs();
    await new Promise((r) => setTimeout(r, 2000));
    const idleCpuPct = (100 * (cpu.between(idleFrom, wall.nowMs()) ?? Number.NaN)) / 2000;
    const setup = {
      url: fx.url,
      connections: CONNECTIONS,
      auth: 'session (X-Auth-Token)',
      deployment: o.deployment,
      windowS: o.windowMs / 1000,
      warmupS: o.warmupMs / 1000,
      targets,
      idleServiceCpuPct: idleCpuPct,
    };
    if (!o.json) {
      console.log(
        `bench:redfish: ${fx.url}, ${CONNECTIONS} keep-alive connections, one session, open-loop ` +
          `(deployment: ${o.deployment === 'control' ? 'slow lane here, 1 kHz control loop in its worker' : '1 kHz PMBus poller on the service thread'}) ` +
          `round robin over:\n${targets.map((t) => `  ${t.kind.padEnd(22)} ${t.uri}`).join('\n')}\n` +
          `latency = due time -> end of response; service process idle (shelf sim only): ` +
          `${idleCpuPct.toFixed(1)} % of one core\n`,
      );
    }
    // Blocking in the service process (GC, a long simulation step) shows here, not in the child.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    for (const rate of o.rates) {
      console.error(`bench:redfish: ${rate} req/s for ${o.windowMs / 1000} s ...`);
      loopDelay.reset();
      const slip0 = fx.pacer?.slippedMs ?? 0;
      const machine0 = readCpuTimes();
      const r = await runLoadChild(
        {
          type: 'start',
          url: fx.url,
          ...(fx.ca ? { ca: fx.ca } : {}),
          token: c.session!.token,
          targets,
          ratePerS: rate,
          warmupMs: o.warmupMs,
          windowMs: o.windowMs,
          connections: CONNECTIONS,
        },
        o.warmupMs + o.windowMs + 60_000,
      );
      const s = summariseRate(
        rate,
        targets,
        r,
        cpu.between(r.windowStartWallMs, r.windowEndWallMs),
        { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 },
      );
      results.push(s);
      // The shelf yields to the service when CPU is short (src/simlink/real-time-pacer.ts):
      // how much simulated time it gave up says how far from real time it ran meanwhile.
      const slipMs = (fx.pacer?.slippedMs ?? 0) - slip0;
      // On a VM the hypervisor's steal is time no thread here could run (bench:loop's floor).
      const steal = stealPct(machine0, readCpuTimes());
      shelfSlip.push({ ratePerS: rate, slippedMs: slipMs, stealPct: steal });
      if (!o.json)
        console.log(
          `${formatRate(s)}\nsimulated shelf: ${slipMs.toFixed(0)} ms of shelf time slipped ` +
            `during this rate (0 = it kept real time); machine steal ` +
            `${steal === null ? '-' : steal.toFixed(1)} % (hypervisor)\n`,
        );
      if (s.socketsOpened !== CONNECTIONS) {
        console.error(
          `bench:redfish: ${s.socketsOpened} connections were opened, not ${CONNECTIONS}: ` +
            'the service closed keep-alive connections (or never needed all four)',
        );
      }
    }
    loopDelay.disable();
    const atTarget = results.find((s) => s.ratePerS === TARGET_RATE) ?? results[0]!;
    const v = verdict(atTarget, o.targetP99Ms, TARGET_RATE);
    if (o.json) console.log(JSON.stringify({ setup, results, shelfSlip, verdict: v }, null, 2));
    else console.log(v.line);
  } finally {
    clearInterval(drain);
    const cs = await control?.stop();
    if (cs && !o.json)
      console.log(
        `control loop worker: ${cs.ticks} ticks, ${cs.overruns} overruns, jitter p99 ` +
          `${cs.jitter.p99Ms.toFixed(3)} ms, max ${cs.jitter.maxMs.toFixed(3)} ms`,
      );
    cpu.stop();
    await client.c?.logout().catch(() => undefined);
    client.c?.close();
    await fx?.close();
  }
}

main().catch((e: unknown) => {
  killLoadChildren();
  console.error(`bench:redfish: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
