/**
 * A pool of worker processes for the control benches: a gateway-in-the-loop run is
 * single-threaded and CPU-bound, so independent runs go to separate processes (one per core by
 * default). Jobs wait in a queue ordered by priority (higher first, then submission order).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchJob, BenchOutcome } from './control-bench-job.js';

export type FromWorker =
  { type: 'done'; outcome: BenchOutcome } | { type: 'error'; key: string; message: string };

interface Pending {
  job: BenchJob;
  priority: number;
  seq: number;
  resolve: (o: BenchOutcome) => void;
  reject: (e: Error) => void;
}

interface Slot {
  proc: ChildProcess;
  busy: Pending | null;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export class BenchPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private seq = 0;
  private closed = false;
  /** Jobs finished so far (for progress lines). */
  done = 0;
  submitted = 0;

  constructor(
    readonly size: number,
    private readonly onDone?: (o: BenchOutcome, pool: BenchPool) => void,
  ) {
    if (!(size >= 1)) throw new RangeError(`pool size must be ≥ 1, got ${size}`);
  }

  run(job: BenchJob, priority = 0): Promise<BenchOutcome> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    this.submitted++;
    return new Promise<BenchOutcome>((resolve, reject) => {
      this.queue.push({ job, priority, seq: this.seq++, resolve, reject });
      this.queue.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
      this.pump();
    });
  }

  /** Ends the workers (after the queue drained, if the caller awaited its jobs). */
  close(): void {
    this.closed = true;
    for (const s of this.slots) {
      live.delete(s.proc);
      s.proc.disconnect();
    }
    this.slots.length = 0;
  }

  private spawn(): Slot {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const proc = fork(fileURLToPath(new URL('./control-bench-worker.ts', import.meta.url)), [], {
      execArgv: ['--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(proc);
    const slot: Slot = { proc, busy: null };
    proc.on('message', (m: FromWorker) => {
      const p = slot.busy;
      slot.busy = null;
      if (p === null) return;
      this.done++;
      if (m.type === 'done') {
        this.onDone?.(m.outcome, this);
        p.resolve(m.outcome);
      } else p.reject(new Error(`${m.key}: ${m.message}`));
      this.pump();
    });
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (slot.busy !== null) {
        slot.busy.reject(new Error(`${slot.busy.job.key}: worker exited (${signal ?? code})`));
        slot.busy = null;
      }
      this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      slot.busy = p;
      slot.proc.send(p.job);
    }
  }
}
