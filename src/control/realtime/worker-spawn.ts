import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker on a module that may be TypeScript. The project runs its sources through tsx
 * (bin/orv3gw.mjs registers tsx's ESM hooks); a worker has its own module loader, and on Node 20
 * `execArgv: ['--import', 'tsx']` does not reach the worker's entry (".ts" is rejected before the
 * hooks are in place). What works — from tsx, from vitest and from plain node — is a two-line
 * bootstrap evaluated in the worker: register tsx's hooks (tsx/esm/api), then import the entry.
 * Compiled JavaScript (dist/) skips the bootstrap and needs no tsx at all.
 */
export interface SpawnOptions {
  readonly workerData: unknown;
  /** Other modules the worker will import (a task module): any .ts among them needs tsx too. */
  readonly alsoImports?: readonly string[];
  readonly resourceLimits?: ResourceLimits;
  /** Thread name in heap snapshots and inspector (Node ≥ 20 shows it in diagnostics). */
  readonly name?: string;
}

const TS = /\.[cm]?ts$/;

export function isTypeScriptUrl(url: string | URL): boolean {
  return TS.test(new URL(url).pathname);
}

/** The sibling module `base` (no extension) in the same flavour as the calling module's URL. */
export function siblingModule(base: string, callerUrl: string): URL {
  return new URL(`./${base}${isTypeScriptUrl(callerUrl) ? '.ts' : '.js'}`, callerUrl);
}

export function spawnModuleWorker(entry: URL, opts: SpawnOptions): Worker {
  const common = {
    workerData: opts.workerData,
    // Not the parent's flags: tsx's CLI adds its own --import, vitest adds --conditions; the
    // worker gets exactly the loader it needs from the bootstrap below.
    execArgv: [] as string[],
    ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    ...(opts.name ? { name: opts.name } : {}),
  };
  const needsTsx = [entry.href, ...(opts.alsoImports ?? [])].some(isTypeScriptUrl);
  if (!needsTsx) return new Worker(entry, common);
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(api)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...common, eval: true });
}
