/**
 * The scheduling policy every bus client shares: control before telemetry before background,
 * FIFO within a class, bounded with eviction of the lowest class. One wire, one transaction at a
 * time — a setpoint must not queue behind a sweep of identity strings.
 */
export type Priority = 'control' | 'telemetry' | 'background';

export const PRIORITIES: readonly Priority[] = ['control', 'telemetry', 'background'];

export interface Queued {
  readonly priority: Priority;
  /** A retry waits its backoff off the line: it is not ready before this time (clock ms). */
  notBeforeMs: number;
}

/**
 * One FIFO per priority. The next job is the head of the highest-priority class whose head is
 * ready; a retry keeps its place at the head of its class (FIFO holds within a class) while a
 * lower class may use the line during its backoff.
 */
export class PriorityQueue<T extends Queued> {
  private readonly lanes = new Map<Priority, T[]>(PRIORITIES.map((p) => [p, []]));

  constructor(readonly maxSize: number) {}

  get size(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.length;
    return n;
  }

  /**
   * Adds at the tail of its class. When full, evicts the newest job of the lowest class below the
   * new one's priority and returns it (the caller rejects it); with nothing to evict, returns the
   * new job itself unqueued. So a backlog of background work never blocks a control write.
   */
  push(job: T): T | undefined {
    if (this.size < this.maxSize) {
      this.lane(job.priority).push(job);
      return undefined;
    }
    const rank = PRIORITIES.indexOf(job.priority);
    for (let i = PRIORITIES.length - 1; i > rank; i--) {
      const lane = this.lane(PRIORITIES[i]!);
      if (lane.length > 0) {
        const evicted = lane.pop()!;
        this.lane(job.priority).push(job);
        return evicted;
      }
    }
    return job;
  }

  /** Puts a job back at the head of its class (a retry); not bounded, it was already admitted. */
  unshift(job: T): void {
    this.lane(job.priority).unshift(job);
  }

  takeReady(nowMs: number): T | undefined {
    for (const p of PRIORITIES) {
      const lane = this.lane(p);
      if (lane.length > 0 && lane[0]!.notBeforeMs <= nowMs) return lane.shift();
    }
    return undefined;
  }

  /** Earliest time a head becomes ready, or undefined when empty. */
  nextReadyAtMs(): number | undefined {
    let at: number | undefined;
    for (const lane of this.lanes.values()) {
      const head = lane[0];
      if (head && (at === undefined || head.notBeforeMs < at)) at = head.notBeforeMs;
    }
    return at;
  }

  drain(): T[] {
    const all: T[] = [];
    for (const lane of this.lanes.values()) all.push(...lane.splice(0));
    return all;
  }

  private lane(p: Priority): T[] {
    return this.lanes.get(p)!;
  }
}
