/**
 * bench:fleet runs its gateways and its fleet consumer in child processes, so each one's CPU and
 * memory are its own (process.cpuUsage() cannot tell two workloads of one process apart) and
 * every N starts from a fresh heap. This file is the IPC contract between the orchestrator
 * (fleet-run.ts) and the children (fleet-gateways.ts, fleet-consumer.ts), plus the fork helper.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type MessageCounts = Record<string, number>;

export interface CpuMemory {
  /** User + system CPU over the window, ms (process.cpuUsage delta). */
  readonly cpuMs: number;
  /** The child's own measure of the window, ms. */
  readonly wallMs: number;
  /** After a full GC at the window end, bytes. */
  readonly heapUsed: number;
  readonly rss: number;
}

export interface GatewaysStart {
  readonly type: 'start';
  readonly url: string;
  readonly group: string;
  /** Edge node ids are `gw-<index>`, index from firstIndex to firstIndex + count - 1. */
  readonly firstIndex: number;
  readonly count: number;
  /** All gateways of the run (all processes): start offsets spread over one period. */
  readonly total: number;
  readonly periodMs: number;
  /** All nodes tick at the same instant (worst-case bursts) instead of spread over the period. */
  readonly aligned: boolean;
  readonly qos: 0 | 1;
  readonly maxSilenceMs: number;
  readonly onlineTimeoutMs: number;
}

export interface ConsumerStart {
  readonly type: 'start';
  readonly url: string;
  readonly group: string;
  readonly qos: 0 | 1;
}

export type ToChild =
  | GatewaysStart
  | ConsumerStart
  | { readonly type: 'window-start' }
  | { readonly type: 'window-end' }
  | { readonly type: 'stop' };

export interface GatewaysReady {
  readonly type: 'ready';
  /** Heap and RSS before any gateway existed (after GC): the process's own baseline. */
  readonly baselineHeap: number;
  readonly baselineRss: number;
}

export interface GatewaysWindow extends CpuMemory {
  readonly type: 'gw-window';
  /** Messages handed to the broker connection in the window, per Sparkplug type. */
  readonly published: MessageCounts;
}

export interface GatewaysFinal {
  readonly type: 'gw-final';
  /** Since start, per type, including the NDEATHs of stop(). */
  readonly published: MessageCounts;
  readonly disconnects: number;
  readonly publishRefused: number;
  readonly droppedNoStore: number;
}

export interface ConsumerWindow extends CpuMemory {
  readonly type: 'consumer-window';
  readonly received: MessageCounts;
  /** Topic + payload bytes of the messages received in the window. */
  readonly bytes: number;
  readonly metrics: number;
  /** Sample → receipt of every DATA message in the window, ms (the orchestrator summarises). */
  readonly latenciesMs: readonly number[];
  /** Payload (publish) timestamp → receipt of the same messages, ms. */
  readonly wireMs: readonly number[];
}

export interface ConsumerFinal {
  readonly type: 'consumer-final';
  readonly received: MessageCounts;
  readonly seqGaps: number;
  readonly undecodable: number;
  /** Topic + payload bytes of every NBIRTH and DBIRTH received. */
  readonly birthBytes: number;
}

export type FromChild =
  | GatewaysReady
  | GatewaysWindow
  | GatewaysFinal
  | { readonly type: 'subscribed' }
  | ConsumerWindow
  | ConsumerFinal
  | { readonly type: 'error'; readonly message: string };

/** Typed send for the children; resolves once handed to the channel, a no-op once the parent is gone. */
export function reply(m: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(m, undefined, undefined, () => resolve());
  });
}

let finishing = false;

export function onParent(handler: (m: ToChild) => void | Promise<void>): void {
  process.on('message', (m: ToChild) => {
    Promise.resolve(handler(m)).catch((e: unknown) => {
      void reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    });
  });
  // An orchestrator that died (crash, kill -9) must not leave gateways publishing forever;
  // mqtt.js keeps timers alive, so leaving means exiting.
  process.on('disconnect', () => process.exit(finishing ? 0 : 2));
}

/** The child's last word: send it, close the channel, exit 0. */
export async function finish(last: FromChild): Promise<void> {
  finishing = true;
  await reply(last);
  process.disconnect();
}

/** Full GC when the child was started with --expose-gc (it always is), so heap figures are live data. */
export function collect(): void {
  globalThis.gc?.();
}

export function addCounts(into: MessageCounts, from: MessageCounts): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** now - before, leaving out the types that did not move. */
export function diffCounts(now: MessageCounts, before: MessageCounts): MessageCounts {
  const out: MessageCounts = {};
  for (const [k, v] of Object.entries(now))
    if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

export function sumCounts(c: MessageCounts): number {
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** A child as the orchestrator sees it: send, and await the next message of a type. */
export class Child {
  /** Children not yet exited, for the emergency exit paths (signal, watchdog, crash). */
  static readonly live = new Set<Child>();
  private readonly inbox: FromChild[] = [];
  private readonly waiters = new Set<() => void>();
  private exited: string | null = null;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m: FromChild) => {
      this.inbox.push(m);
      for (const w of this.waiters) w();
    });
    Child.live.add(this);
    proc.on('exit', (code, signal) => {
      Child.live.delete(this);
      this.exited = `${name} exited (${signal ?? code})`;
      for (const w of this.waiters) w();
    });
  }

  /** Forks a TypeScript module through tsx, with --expose-gc for the memory figures. */
  static fork(name: string, moduleUrl: URL): Child {
    // Resolved to a file URL here so the child finds tsx whatever its working directory.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const proc = fork(fileURLToPath(moduleUrl), [], {
      execArgv: ['--expose-gc', '--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child(name, proc);
  }

  send(m: ToChild): void {
    if (this.exited) throw new Error(this.exited);
    this.proc.send(m);
  }

  /** The next message of `type`; an 'error' from the child or its exit rejects. */
  async next<T extends FromChild['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromChild, { type: T }>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const m = this.inbox.splice(i, 1)[0]!;
        if (m.type === 'error') throw new Error(`${this.name}: ${m.message}`);
        return m as Extract<FromChild, { type: T }>;
      }
      if (this.exited) throw new Error(this.exited);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.name}: no '${type}' within ${timeoutMs} ms`);
      // Woken by the next message, the child's exit, or the deadline, whichever comes first.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  /** Synchronous, for process 'exit' handlers: SIGKILL every child still running. */
  static killAllNow(): void {
    for (const c of Child.live) c.proc.kill('SIGKILL');
  }

  /** SIGKILL unless already gone; waits for the exit. */
  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGKILL');
    await gone;
  }

  /** Resolves when the child exits by itself, or kills it after `graceMs`. */
  async exit(graceMs: number): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const gone = new Promise<void>((r) => this.proc.once('exit', () => r()));
    const t = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(t);
  }
}
