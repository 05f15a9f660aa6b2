/**
 * bench:loop — the real-time control loop (src/control/realtime) at 1 kHz in its worker thread,
 * (a) alone and (b) while the main thread serves a synthetic HTTP load: an in-process node:http
 * server serialising a ~20 kB JSON document per request, driven at a fixed rate over keep-alive
 * connections by a load generator in a separate child process, plus a rolling window of live
 * objects churned on the main heap. Prints tick start jitter, tick duration, sample-to-command
 * latency, overruns and the HTTP rate achieved, with the targets (under HTTP load: jitter p99 ≤
 * 0.5 ms, aim 0.2 ms; max ≤ 2 ms). docs/CONTROL-REALTIME.md explains the figures.
 *
 * The tick body is the real control loop (src/control ControlLoop) over a simulated HPR shelf in
 * the worker (src/simlink/realtime-shelf-task.ts): real framing, PEC, predictor, coordinator and
 * interlocks, with each tick's modelled PMBus wire time slept as a blocking i2c-dev ioctl would
 * (Atomics.wait); `--task=synthetic` selects the synthetic stand-in instead. Every run stops by
 * itself; the child is killed on every exit.
 *
 *   tsx test/bench/loop.ts [--seconds=20] [--warmup=2] [--scenarios=alone,http] [--spin=0.3]
 *                          [--period=1] [--rate=500] [--connections=8] [--work=4] [--nice=N]
 *                          [--fifo=P] [--task=URL] [--baseline=auto|none] [--json]
 *
 * Each scenario is first run with cyclictest (rt-tests) in the loop's place, same period, priority
 * and load (test/bench/loop-platform.ts): the machine's own wake-up floor, which no sleeping thread
 * beats. The loop's figures are printed beside it, with the hypervisor's steal share of each window.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_SPIN_MS,
  RealtimeLoop,
  SYNTHETIC_TASK_URL,
} from '../../src/control/realtime/index.js';
import { startHeapChurn, startHttpLoad, type HttpLoad } from './loop-http.js';
import {
  cyclictestAvailable,
  readCpuTimes,
  runCyclictest,
  stealPct,
  type PlatformRun,
} from './loop-platform.js';
import type { LoadgenMessage, LoadgenReport, LoadgenStart } from './loop-loadgen.js';
import {
  formatPlatform,
  formatTable,
  summarizeRun,
  TARGETS,
  type LoopRun,
  type PlatformRow,
  type Scenario,
} from './loop-report.js';

/** The tick body measured: the real control loop on a simulated shelf (see above). */
const REAL_TASK_URL: URL = new URL('../../src/simlink/realtime-shelf-task.ts', import.meta.url);

const USAGE = `usage: tsx test/bench/loop.ts [options]
  --seconds=20            measured window per run, s
  --warmup=2              seconds run before the window (statistics reset after it)
  --scenarios=alone,http  which runs, in order
  --spin=${DEFAULT_SPIN_MS}               spin before each deadline, ms (a list runs each: 0,0.3,1)
  --period=1              tick period, ms
  --rate=500              HTTP requests/s from the load generator
  --connections=8         keep-alive connections of the load generator
  --work=4                synthetic control step size (workRepeats)
  --task=URL              tick body module: absolute path or URL, or "synthetic"
                          (default: the real control loop on a simulated shelf)
  --nice=N                nice value of the loop's worker thread only (negative needs root)
  --fifo=P                put the worker thread in SCHED_FIFO at priority P (chrt; Linux, root)
  --baseline=auto         cyclictest run per scenario as the platform floor (auto: when
                          installed, rt-tests package; none: skip)
  --json                  print JSON instead of the table`;

function fail(message: string): never {
  console.error(`bench:loop: ${message}`);
  process.exit(1);
}

function num(name: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(Number.isFinite(v) && v >= min)) fail(`--${name} must be a number ≥ ${min}, got "${text}"`);
  return v;
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        scenarios: { type: 'string' },
        spin: { type: 'string' },
        period: { type: 'string' },
        rate: { type: 'string' },
        connections: { type: 'string' },
        work: { type: 'string' },
        task: { type: 'string' },
        nice: { type: 'string' },
        fifo: { type: 'string' },
        baseline: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scenarios = (parsed.scenarios ?? 'alone,http').split(',') as Scenario[];
  for (const s of scenarios) if (s !== 'alone' && s !== 'http') fail(`unknown scenario "${s}"`);
  const baseline = parsed.baseline ?? 'auto';
  if (baseline !== 'auto' && baseline !== 'none') fail(`--baseline must be auto or none`);
  const spins = (parsed.spin ?? String(DEFAULT_SPIN_MS)).split(',').map((s) => num('spin', s, 0));
  return {
    seconds: num('seconds', parsed.seconds, 20, 0.1),
    warmup: num('warmup', parsed.warmup, 2),
    scenarios,
    spins,
    periodMs: num('period', parsed.period, 1, 0.05),
    rate: num('rate', parsed.rate, 500, 1),
    connections: Math.round(num('connections', parsed.connections, 8, 1)),
    work: Math.round(num('work', parsed.work, 4)),
    task: parsed.task === 'synthetic' ? SYNTHETIC_TASK_URL : (parsed.task ?? REAL_TASK_URL),
    nice: parsed.nice === undefined ? undefined : Number(parsed.nice),
    fifo: parsed.fifo === undefined ? null : Math.round(num('fifo', parsed.fifo, 0, 1)),
    baseline: baseline === 'auto',
    json: parsed.json === true,
  };
}
type Options = ReturnType<typeof options>;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

interface Loadgen {
  /** The generator's first request was answered: the load is on. */
  readonly started: Promise<void>;
  readonly report: Promise<LoadgenReport>;
}

function startLoadgen(m: LoadgenStart): Loadgen {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(fileURLToPath(new URL('./loop-loadgen.ts', import.meta.url)), [], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.send(m);
  let onStarted: () => void = () => {};
  const started = new Promise<void>((r) => (onStarted = r));
  const report = new Promise<LoadgenReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('load generator did not report in time'));
    }, m.durationMs + 30_000);
    child.on('message', (r: LoadgenMessage) => {
      if (r.type === 'started') return onStarted();
      clearTimeout(timer);
      resolve(r);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`load generator exited (${code}) without a report`));
    });
  });
  return { started: Promise.race([started, report.then(() => {})]), report };
}

/**
 * What a deploy script would do for the loop thread alone (docs/CONTROL-REALTIME.md): Node has no
 * sched_setscheduler, so chrt on the thread id the loop reports. Fails loudly, never silently.
 */
function schedFifo(tid: number | null, priority: number): void {
  if (tid === null) fail('--fifo needs the worker thread id (Linux /proc/thread-self)');
  const r = spawnSync('chrt', ['-f', '-p', String(priority), String(tid)], { encoding: 'utf8' });
  if (r.status !== 0) fail(`chrt -f -p ${priority} ${tid} failed: ${r.stderr || r.error}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The scenario's main-thread load (none when alone), held for `body`, then taken down. */
async function withLoad<T>(
  o: Options,
  scenario: Scenario,
  totalMs: number,
  body: (http: HttpLoad | null) => Promise<T>,
): Promise<T & { loadgen: LoopRun['loadgen'] }> {
  const http = scenario === 'http' ? await startHttpLoad() : null;
  const stopChurn = scenario === 'http' ? startHeapChurn() : () => {};
  const gen = http
    ? startLoadgen({
        type: 'start',
        url: http.url,
        rate: o.rate,
        durationMs: totalMs + 2000,
        connections: o.connections,
      })
    : null;
  gen?.report.catch(() => {}); // awaited below; an early failure must not be unhandled meanwhile
  try {
    await gen?.started;
    const result = await body(http);
    const lg = gen ? await gen.report : null;
    const loadgen = lg && {
      completed: lg.completed,
      errors: lg.errors,
      skipped: lg.skipped,
      p50Ms: lg.p50Ms,
      p99Ms: lg.p99Ms,
    };
    return { ...result, loadgen };
  } finally {
    stopChurn();
    await http?.close();
  }
}

/** cyclictest in the loop's place, same period, priority and load. */
async function runPlatform(o: Options, scenario: Scenario): Promise<PlatformRow> {
  const r = await withLoad(o, scenario, o.seconds * 1000, async (http) => {
    const served0 = http?.served() ?? 0;
    const cpu0 = readCpuTimes();
    const t0 = performance.now();
    const run: PlatformRun = await runCyclictest(o.seconds, o.periodMs, o.fifo);
    const wallMs = performance.now() - t0;
    const served = (http?.served() ?? 0) - served0;
    return {
      run,
      stealPct: stealPct(cpu0, readCpuTimes()),
      httpReqPerS: http ? (served * 1000) / wallMs : null,
    };
  });
  return {
    scenario,
    fifo: o.fifo,
    ...r.run,
    stealPct: r.stealPct,
    httpReqPerS: r.httpReqPerS,
    httpTargetPerS: r.httpReqPerS === null ? null : o.rate,
  };
}

async function runOne(o: Options, scenario: Scenario, spinMs: number): Promise<LoopRun> {
  const totalMs = (o.warmup + o.seconds) * 1000;
  const loop = new RealtimeLoop({
    task: { url: o.task, options: { workRepeats: o.work } },
    periodMs: o.periodMs,
    spinMs,
    ...(o.nice !== undefined ? { nice: o.nice } : {}),
  });
  loop.onEvent((e) => {
    if (e.type === 'died' || e.type === 'stall') console.error(`bench:loop: ${e.error.message}`);
  });
  // The main thread drains telemetry and sends a hint now and then, as the gateway would.
  let records = 0;
  const drain = setInterval(() => {
    loop.drainTelemetry(() => records++);
    loop.send({ kind: 'hint', deltaW: 2000 * Math.sin(records), leadMs: 20 });
  }, 20);
  try {
    const r = await withLoad(o, scenario, totalMs, async (http) => {
      await loop.start();
      if (loop.thread.niceError)
        console.error(`bench:loop: nice not applied: ${loop.thread.niceError}`);
      if (o.fifo !== null) schedFifo(loop.thread.osThreadId, o.fifo);
      await sleep(o.warmup * 1000);
      loop.resetStats();
      const served0 = http?.served() ?? 0;
      const cpu0 = process.cpuUsage();
      const machine0 = readCpuTimes();
      const t0 = performance.now();
      await sleep(o.seconds * 1000);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const served = (http?.served() ?? 0) - served0;
      return {
        stats: loop.stats(),
        extra: {
          processCpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
          stealPct: stealPct(machine0, readCpuTimes()),
          loadAvg1: loadavg()[0]!,
          nice: o.nice ?? null,
          fifo: o.fifo,
          httpReqPerS: http ? (served * 1000) / wallMs : null,
          httpTargetPerS: http ? o.rate : null,
        },
      };
    });
    return summarizeRun({ scenario, periodMs: o.periodMs, spinMs, seconds: o.seconds }, r.stats, {
      ...r.extra,
      loadgen: r.loadgen,
    });
  } finally {
    clearInterval(drain);
    await loop.stop();
  }
}

async function main(): Promise<void> {
  const o = options();
  const baseline = o.baseline && cyclictestAvailable();
  if (o.baseline && !baseline)
    console.error(
      'bench:loop: cyclictest not found (Debian: apt-get install rt-tests): ' +
        "NO PLATFORM BASELINE — the figures below cannot be told apart from the machine's own floor",
    );
  const platform: PlatformRow[] = [];
  const runs: LoopRun[] = [];
  for (const scenario of o.scenarios) {
    if (!baseline) continue;
    if (!o.json)
      console.error(`bench:loop: platform floor (cyclictest), ${scenario}, ${o.seconds} s …`);
    platform.push(await runPlatform(o, scenario));
  }
  for (const spin of o.spins) {
    for (const scenario of o.scenarios) {
      if (!o.json) console.error(`bench:loop: ${scenario}, spin ${spin} ms, ${o.seconds} s …`);
      runs.push(await runOne(o, scenario, spin));
    }
  }
  if (o.json) {
    const doc = { targets: TARGETS, cpus: availableParallelism(), platform, runs };
    console.log(JSON.stringify(doc, null, 2));
    return;
  }
  console.log(formatTable(runs));
  console.log(
    `targets under HTTP load: tick jitter p99 ≤ ${TARGETS.jitterP99Ms} ms ` +
      `(aim ${TARGETS.jitterAimP99Ms} ms), max ≤ ${TARGETS.jitterMaxMs} ms; ` +
      `times in ms; cpu% = whole process, 100 = one core (${availableParallelism()} CPUs here); ` +
      `steal% = the hypervisor's share of the machine's CPU time in the window`,
  );
  if (platform.length > 0) console.log('\n' + formatPlatform(platform, runs));
}

await main();
