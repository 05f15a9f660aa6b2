/**
 * bench:redfish: the IPC contract between the orchestrator (redfish.ts, which hosts the service
 * on the simulated shelf) and the load generator child (redfish-load.ts), plus the fork helper.
 * The load runs in its own process so its CPU never competes with the service's event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What a request asks for; `group` is how the target line and the table aggregate. */
export interface Target {
  readonly kind: string;
  readonly group: 'sensor' | 'collection';
  readonly uri: string;
}

export interface LoadStart {
  readonly type: 'start';
  readonly url: string;
  readonly ca?: string;
  /** X-Auth-Token of the session the orchestrator created. */
  readonly token: string;
  readonly targets: readonly Target[];
  readonly ratePerS: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  /** Keep-alive sockets of the one agent (the fleet service's limit is 4 per controller). */
  readonly connections: number;
}

/** One rate's raw figures from the child; the orchestrator summarises them. */
export interface LoadResult {
  readonly type: 'result';
  /** kind → latency of each response in the window, ms from its scheduled send time. */
  readonly latencyMs: Record<string, number[]>;
  /** kind → non-200 answers and transport errors in the window. */
  readonly errors: Record<string, number>;
  /** First few error descriptions, for the report. */
  readonly errorSamples: string[];
  /** Requests scheduled inside the window. */
  readonly scheduled: number;
  /** Responses completed inside the window (throughput numerator). */
  readonly completed: number;
  readonly windowMs: number;
  /** All kinds: from the actual send to the end of the response, ms (excludes generator lag). */
  readonly fromSendMs: number[];
  /** How late the generator sent, ms after the schedule (p99): above ~1 ms, it was the bottleneck. */
  readonly sendLagP99Ms: number;
  /** Distinct TCP connections the agent opened over the whole run. */
  readonly socketsOpened: number;
  /** The child's own CPU over the window, ms. */
  readonly cpuMs: number;
  /** The window in Unix ms (WallClock), so the orchestrator can take its own CPU over it. */
  readonly windowStartWallMs: number;
  readonly windowEndWallMs: number;
}

export type FromLoad = LoadResult | { readonly type: 'error'; readonly message: string };

/** Forks the load generator through tsx; resolves with its one result (or rejects). */
export function runLoadChild(start: LoadStart, timeoutMs: number): Promise<LoadResult> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./redfish-load.ts', import.meta.url)),
    [],
    {
      execArgv: ['--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  live.add(child);
  return new Promise<LoadResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator: no result within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (m: FromLoad) => {
      clearTimeout(timer);
      if (m.type === 'error') reject(new Error(`load generator: ${m.message}`));
      else resolve(m);
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      clearTimeout(timer);
      reject(new Error(`load generator exited (${signal ?? code}) without a result`));
    });
    child.send(start);
  });
}

const live = new Set<ChildProcess>();

/** Synchronous, for 'exit' and signal handlers: nothing may outlive the bench. */
export function killLoadChildren(): void {
  for (const c of live) c.kill('SIGKILL');
}
