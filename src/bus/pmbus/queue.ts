import { ErrorCode, Orv3Error } from '../../errors.js';
import { PriorityQueue, type Priority } from '../priority-queue.js';

export type { Priority };

interface Job {
  readonly priority: Priority;
  /** Always ready: SMBus reads are retried inside the transaction, not from the queue. */
  notBeforeMs: number;
  readonly run: () => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * One transaction at a time on an SMBus segment, in the shared bus priority order (see
 * src/bus/priority-queue.ts): a second transaction must wait for the STOP of the first.
 */
export class BusQueue {
  private readonly queue: PriorityQueue<Job>;
  private busy = false;
  private closedWith: Orv3Error | undefined;

  constructor(maxQueued = 256) {
    this.queue = new PriorityQueue<Job>(maxQueued);
  }

  /** Jobs waiting (not counting the one on the bus). */
  get queued(): number {
    return this.queue.size;
  }

  /**
   * Queues `job` at the tail of its class. When the queue is full the newest job of the lowest
   * class below `priority` is rejected to make room; with nothing below it, the new job itself
   * is refused (QueueOverflow).
   */
  run<T>(priority: Priority, job: () => Promise<T>): Promise<T> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    return new Promise<T>((resolve, reject) => {
      const entry: Job = {
        priority,
        notBeforeMs: 0,
        run: job,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      const refused = this.queue.push(entry);
      if (refused !== undefined) refused.reject(this.overflow(refused.priority));
      this.pump();
    });
  }

  private overflow(priority: Priority): Orv3Error {
    return new Orv3Error(
      ErrorCode.QueueOverflow,
      `SMBus queue full (${this.queue.maxSize} waiting)`,
      { priority },
    );
  }

  /** Refuses new jobs and rejects the waiting ones; the one on the bus finishes. */
  close(error: Orv3Error): void {
    this.closedWith = error;
    for (const j of this.queue.drain()) j.reject(error);
  }

  private pump(): void {
    if (this.busy) return;
    const job = this.queue.takeReady(Infinity);
    if (job === undefined) return;
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
