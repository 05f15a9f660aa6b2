import type { Worker } from 'node:worker_threads';
import { RealClock, type Clock, type TimerHandle } from '../../clock/index.js';
import { ErrorCode, Orv3Error } from '../../errors.js';
import { COMMAND_WIDTH, encodeCommand, type RealtimeCommand } from './commands.js';
import { ControlBlock, createControlBuffer } from './control-block.js';
import { resolveOptions, type RealtimeLoopOptions, type ResolvedOptions } from './options.js';
import { SpscRing } from './spsc-ring.js';
import { createStatsBuffer, readStats, type LoopTiming } from './stats-block.js';
import { HeartbeatWatchdog } from './watchdog.js';
import { siblingModule, spawnModuleWorker } from './worker-spawn.js';
import type { WorkerInit, WorkerMessage } from './worker-protocol.js';

export type RealtimeLoopState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'dead';

export interface RealtimeStats extends LoopTiming {
  /** Telemetry records the worker dropped because the main thread did not drain in time. */
  readonly telemetryDropped: number;
  /** Commands refused because the command ring was full. */
  readonly commandsDropped: number;
  /** Telemetry records waiting to be drained. */
  readonly telemetryBacklog: number;
}

export type RealtimeEvent =
  | { readonly type: 'running' }
  /** The heartbeat stood still for stallMs (the worker is alive but not ticking). */
  | { readonly type: 'stall'; readonly error: Orv3Error; readonly silentMs: number }
  | { readonly type: 'resume'; readonly silentMs: number }
  /** The worker exited or threw while it should have been running. */
  | { readonly type: 'died'; readonly error: Orv3Error }
  | { readonly type: 'stopped'; readonly stats: RealtimeStats };

const ENTRY = siblingModule('worker-entry', import.meta.url);

/**
 * Main-thread side of the real-time loop: owns the worker, the shared buffers, the watchdog.
 * Nothing here throws because the worker failed: its death, a stall and a task that will not
 * build are reported (events, a rejected start()), and the process carries on — the devices fall
 * back to their native behaviour when the commands the loop sent expire.
 */
export class RealtimeLoop {
  private readonly o: ResolvedOptions;
  private readonly clock: Clock;
  private readonly control = createControlBuffer();
  private readonly statsBuffer = createStatsBuffer();
  private readonly ctl: ControlBlock;
  private readonly telemetry: SpscRing;
  private readonly commands: SpscRing;
  private readonly cmdScratch = new Float64Array(COMMAND_WIDTH);
  private readonly listeners = new Set<(e: RealtimeEvent) => void>();
  private readonly watchdog: HeartbeatWatchdog;
  private worker: Worker | undefined;
  private st: RealtimeLoopState = 'idle';
  private lastError: unknown;
  private exited: Promise<number> | undefined;
  private threadInfo: { osThreadId: number | null; niceError: string | null } = {
    osThreadId: null,
    niceError: null,
  };

  constructor(private readonly options: RealtimeLoopOptions) {
    this.o = resolveOptions(options);
    this.clock = options.clock ?? new RealClock();
    this.ctl = new ControlBlock(this.control);
    this.telemetry = SpscRing.create(this.o.telemetryCapacity, this.o.telemetryWidth);
    this.commands = SpscRing.create(this.o.commandCapacity, COMMAND_WIDTH);
    const wd = { stallMs: this.o.stallMs, checkMs: this.o.watchdogCheckMs };
    this.watchdog = new HeartbeatWatchdog(
      this.clock,
      () => this.ctl.heartbeat(),
      wd,
      (e) => {
        if (e.type === 'resume') return this.emit({ type: 'resume', silentMs: e.silentMs });
        const error = new Orv3Error(ErrorCode.RealtimeStalled, 'real-time loop stopped ticking', {
          silentMs: e.silentMs,
          heartbeat: e.heartbeat,
        });
        this.emit({ type: 'stall', error, silentMs: e.silentMs });
      },
    );
  }

  get state(): RealtimeLoopState {
    return this.st;
  }

  get periodMs(): number {
    return this.o.periodMs;
  }

  /**
   * The worker's OS thread id once running (Linux; null elsewhere), for `chrt -f -p <prio> <tid>`
   * or `taskset -p -c <cpu> <tid>`, and why the `nice` option failed, if it did.
   */
  get thread(): { readonly osThreadId: number | null; readonly niceError: string | null } {
    return this.threadInfo;
  }

  /** Subscribes to running/stall/resume/died/stopped; returns the unsubscribe function. */
  onEvent(listener: (e: RealtimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the worker; resolves once the task is built and the loop is about to tick. */
  start(): Promise<void> {
    if (this.st !== 'idle') {
      throw new Orv3Error(ErrorCode.RealtimeBadState, `cannot start a loop that is ${this.st}`, {
        state: this.st,
      });
    }
    this.st = 'starting';
    const init: WorkerInit = {
      control: this.control,
      stats: this.statsBuffer,
      telemetry: this.telemetry.buffer,
      commands: this.commands.buffer,
      taskUrl: this.o.taskUrl,
      taskExport: this.o.taskExport,
      taskOptions: this.o.taskOptions,
      periodMs: this.o.periodMs,
      spinMs: this.o.spinMs,
      nice: this.o.nice,
    };
    return new Promise<void>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const settle = (error?: Orv3Error): void => {
        this.clock.clearTimer(timer);
        timer = undefined;
        if (error) reject(error);
        else resolve();
      };
      let worker: Worker;
      try {
        worker = spawnModuleWorker(ENTRY, {
          workerData: init,
          alsoImports: [this.o.taskUrl],
          name: 'orv3-realtime-loop',
          // A small young generation (2 MB semi-spaces): the loop allocates ~30 kB a tick over
          // the simulated wire, and V8's default lets the young generation grow to 16 MB semi-
          // spaces whose scavenges took 1–3 ms here (max jitter 2–3 ms); at 6 MB a scavenge
          // every ~40 ms costs 0.5–0.8 ms, inside a tick's slack (bench:loop alone: max 0.73 ms).
          resourceLimits: { maxYoungGenerationSizeMb: 6, ...this.options.resourceLimits },
        });
      } catch (e) {
        this.st = 'dead';
        return settle(this.died(`could not start the worker: ${String(e)}`, {}));
      }
      this.worker = worker;
      worker.on('message', (m: WorkerMessage) => {
        if (this.st !== 'starting') return;
        if (m.type === 'ready') {
          this.threadInfo = { osThreadId: m.osThreadId, niceError: m.niceError };
          this.st = 'running';
          this.watchdog.start();
          settle();
          this.emit({ type: 'running' });
        } else {
          const error = new Orv3Error(m.code, m.message, { task: this.o.taskUrl });
          this.lastError = error;
          settle(error);
        }
      });
      worker.on('error', (e) => {
        this.lastError = e;
      });
      this.exited = new Promise((resolveExit) => {
        worker.on('exit', (code) => {
          this.onExit(code, (e) => settle(e));
          resolveExit(code);
        });
      });
      timer = this.clock.setTimeout(() => {
        if (this.st !== 'starting') return;
        settle(
          new Orv3Error(ErrorCode.RealtimeTimeout, 'real-time worker did not become ready', {
            timeoutMs: this.o.startTimeoutMs,
          }),
        );
        void this.worker?.terminate();
      }, this.o.startTimeoutMs);
    });
  }

  /**
   * Asks the loop to stop, waits for the worker to leave (terminating it after stopTimeoutMs) and
   * returns the final statistics. Safe in any state and more than once.
   */
  async stop(): Promise<RealtimeStats> {
    if (this.st === 'starting' || this.st === 'running') {
      this.st = 'stopping';
      this.watchdog.stop();
      this.ctl.requestStop();
      const exited = this.exited!;
      let timer: TimerHandle | undefined;
      const late = new Promise<'late'>((r) => {
        timer = this.clock.setTimeout(() => r('late'), this.o.stopTimeoutMs);
      });
      if ((await Promise.race([exited, late])) === 'late') await this.worker?.terminate();
      this.clock.clearTimer(timer);
      await exited;
    } else if (this.st === 'stopping') {
      await this.exited;
    }
    return this.stats();
  }

  /** Queues a command for the next tick; false when the loop is not running or the ring is full. */
  send(cmd: RealtimeCommand): boolean {
    if (this.st !== 'running') return false;
    encodeCommand(cmd, this.cmdScratch);
    return this.commands.push(this.cmdScratch);
  }

  /** The timing statistics now (any state; zeros before the first tick). */
  stats(): RealtimeStats {
    return {
      ...readStats(this.statsBuffer),
      telemetryDropped: this.telemetry.dropped(),
      commandsDropped: this.commands.dropped(),
      telemetryBacklog: this.telemetry.size(),
    };
  }

  /** Clears the timing statistics at the worker's next tick (e.g. after a warm-up). */
  resetStats(): void {
    this.ctl.requestReset();
  }

  /** Hands each waiting telemetry record to `fn` (a reused array: copy what you keep). */
  drainTelemetry(fn: (record: Float64Array) => void, max?: number): number {
    return this.telemetry.drain(fn, max);
  }

  /** `settleStart` rejects a start() still pending (no-op once it has settled). */
  private onExit(code: number, settleStart: (e: Orv3Error) => void): void {
    this.watchdog.stop();
    const was = this.st;
    if (was === 'stopping') {
      this.st = 'stopped';
      settleStart(new Orv3Error(ErrorCode.RealtimeBadState, 'loop stopped before it started'));
      this.emit({ type: 'stopped', stats: this.stats() });
      return;
    }
    this.st = 'dead';
    const error =
      this.lastError instanceof Orv3Error
        ? this.lastError
        : this.died(`real-time worker exited (code ${code})`, { exitCode: code });
    settleStart(error);
    if (was === 'running') this.emit({ type: 'died', error });
  }

  private died(message: string, context: Record<string, unknown>): Orv3Error {
    const cause = this.lastError;
    const detail =
      cause instanceof Error ? cause.message : cause === undefined ? '' : String(cause);
    return new Orv3Error(ErrorCode.RealtimeWorkerDied, detail ? `${message}: ${detail}` : message, {
      ...context,
      ...(detail ? { cause: detail } : {}),
    });
  }

  private emit(e: RealtimeEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener's bug must not take the loop host down with it.
      }
    }
  }
}
