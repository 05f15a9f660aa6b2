/**
 * The loop worker's entry: attach the shared buffers, build the task from its module, tell the
 * host it is ready, then run the loop synchronously until asked to stop. A task module that will
 * not load or build is reported as a 'failed' message (the host turns it into an Orv3Error); an
 * exception thrown by a tick escapes and ends the worker, which the host reports as its death.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { RealClock } from '../../clock/index.js';
import { ErrorCode } from '../../errors.js';
import { ControlBlock, RunState } from './control-block.js';
import { SpscRing } from './spsc-ring.js';
import { StatsWriter } from './stats-block.js';
import type { RealtimeTask, TaskContext, TaskFactory } from './task.js';
import { runLoop } from './worker-loop.js';
import type { WorkerInit, WorkerMessage } from './worker-protocol.js';

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

async function buildTask(init: WorkerInit, ctx: TaskContext): Promise<RealtimeTask | null> {
  let factory: unknown;
  try {
    const mod = (await import(init.taskUrl)) as Record<string, unknown>;
    factory = mod[init.taskExport];
  } catch (e) {
    post({ type: 'failed', code: ErrorCode.RealtimeBadTask, message: `import: ${String(e)}` });
    return null;
  }
  if (typeof factory !== 'function') {
    const message = `${init.taskUrl} has no exported function '${init.taskExport}'`;
    post({ type: 'failed', code: ErrorCode.RealtimeBadTask, message });
    return null;
  }
  try {
    const task = await (factory as TaskFactory)(init.taskOptions, ctx);
    if (typeof task?.tick !== 'function') throw new TypeError('the factory returned no tick()');
    return task;
  } catch (e) {
    post({ type: 'failed', code: ErrorCode.RealtimeBadTask, message: `factory: ${String(e)}` });
    return null;
  }
}

/** This thread's kernel id: /proc/thread-self links to "<pid>/task/<tid>" on Linux. */
function osThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

/** setpriority(PRIO_PROCESS, 0) acts on the calling thread only on Linux: the loop, not the process. */
function applyNice(nice: number | null): string | null {
  if (nice === null) return null;
  try {
    setPriority(nice);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

async function main(init: WorkerInit): Promise<void> {
  const clock = new RealClock();
  const control = new ControlBlock(init.control);
  const stats = new StatsWriter(init.stats);
  const telemetry = SpscRing.attach(init.telemetry);
  const ctx: TaskContext = {
    clock,
    periodMs: init.periodMs,
    telemetryWidth: telemetry.width,
    recordLatency: (sampleAtMs, commandAtMs) => stats.recordLatency(sampleAtMs, commandAtMs),
    publish: (record) => telemetry.push(record),
  };
  const task = await buildTask(init, ctx);
  if (task === null) return;
  post({ type: 'ready', osThreadId: osThreadId(), niceError: applyNice(init.nice) });
  try {
    runLoop({
      now: () => clock.nowMs(),
      sleep: (token, ms) => control.sleep(token, ms),
      control,
      stats,
      commands: SpscRing.attach(init.commands),
      task,
      periodMs: init.periodMs,
      spinMs: init.spinMs,
    });
  } finally {
    control.setState(RunState.Stopped);
  }
}

await main(workerData as WorkerInit);
