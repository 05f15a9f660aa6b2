import { ErrorCode, Orv3Error } from '../../errors.js';

/**
 * One transaction at a time on a bus, control before telemetry before background, FIFO within a
 * priority. A bus is a shared wire: a second transaction must wait for the STOP of the first, and
 * a fast-lane setpoint must not queue behind a sweep of identity strings.
 */
export type Priority = 'control' | 'telemetry' | 'background';

const ORDER: readonly Priority[] = ['control', 'telemetry', 'background'];

interface Job {
  readonly run: () => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

export class BusQueue {
  private readonly lanes: Record<Priority, Job[]> = { control: [], telemetry: [], background: [] };
  private readonly maxQueued: number;
  private busy = false;
  private closedWith: Orv3Error | undefined;

  constructor(maxQueued = 256) {
    this.maxQueued = maxQueued;
  }

  /** Jobs waiting (not counting the one on the bus). */
  get queued(): number {
    return ORDER.reduce((n, p) => n + this.lanes[p].length, 0);
  }

  /**
   * Queues `job` at the tail of its class. When the queue is full the newest job of the lowest
   * class below `priority` is rejected to make room, so a backlog of telemetry never blocks a
   * control write; with nothing below it, the new job itself is refused (QueueOverflow).
   */
  run<T>(priority: Priority, job: () => Promise<T>): Promise<T> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (this.queued >= this.maxQueued) {
      const victim = this.evictBelow(priority);
      if (victim === undefined) return Promise.reject(this.overflow(priority));
      victim.job.reject(this.overflow(victim.priority));
    }
    return new Promise<T>((resolve, reject) => {
      this.lanes[priority].push({ run: job, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private overflow(priority: Priority): Orv3Error {
    return new Orv3Error(ErrorCode.QueueOverflow, `SMBus queue full (${this.maxQueued} waiting)`, {
      priority,
    });
  }

  private evictBelow(priority: Priority): { job: Job; priority: Priority } | undefined {
    for (let i = ORDER.length - 1; i > ORDER.indexOf(priority); i--) {
      const p = ORDER[i]!;
      const job = this.lanes[p].pop();
      if (job !== undefined) return { job, priority: p };
    }
    return undefined;
  }

  /** Refuses new jobs and rejects the waiting ones; the one on the bus finishes. */
  close(error: Orv3Error): void {
    this.closedWith = error;
    for (const p of ORDER) for (const j of this.lanes[p].splice(0)) j.reject(error);
  }

  private pump(): void {
    if (this.busy) return;
    const lane = ORDER.find((p) => this.lanes[p].length > 0);
    if (lane === undefined) return;
    const job = this.lanes[lane].shift()!;
    this.busy = true;
    job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }
}
