import type { Clock } from '../clock/index.js';

/** How much an entry matters, in Redfish LogEntry `Severity` terms. */
export type JournalSeverity = 'OK' | 'Warning' | 'Critical';

/** What produced an entry: a control decision, a command sent, a device event, an operator. */
export type JournalOrigin = 'control' | 'command' | 'device' | 'north' | 'safety' | 'gateway';

export interface JournalEntry {
  /** Monotonic sequence number, from 1; never reused within a process. */
  readonly id: number;
  /** Unix ms (from the injected clock). */
  readonly atEpochMs: number;
  readonly severity: JournalSeverity;
  readonly origin: JournalOrigin;
  /** A registry MessageId where one fits (e.g. `Power.1.0.LossOfInputPower`), else ours. */
  readonly messageId: string;
  readonly message: string;
  /** Device id (`psu-200`, `bbu-64`, `shelf-0`) the entry is about, if any. */
  readonly subject?: string;
  readonly args?: readonly string[];
}

export type JournalInput = Omit<JournalEntry, 'id' | 'atEpochMs'>;
export type JournalListener = (e: JournalEntry) => void;

/**
 * The gateway's record of decisions, commands and device events: a bounded ring (oldest
 * entries go first, counted) that the north side serves as LogEntries and events. Writing is
 * O(1) and never throws into the caller; listeners that throw are isolated.
 */
export class Journal {
  private readonly ring: (JournalEntry | undefined)[];
  private head = 0;
  private size = 0;
  private nextId = 1;
  private readonly listeners = new Set<JournalListener>();
  /** Entries overwritten by newer ones since start. */
  evicted = 0;
  /** Listener exceptions swallowed since start. */
  listenerErrors = 0;

  constructor(
    private readonly clock: Clock,
    readonly capacity = 4096,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity ≥ 1');
    this.ring = new Array<JournalEntry | undefined>(capacity);
  }

  append(input: JournalInput): JournalEntry {
    const e: JournalEntry = { ...input, id: this.nextId++, atEpochMs: this.clock.epochMs() };
    if (this.size === this.capacity) this.evicted++;
    else this.size++;
    this.ring[this.head] = e;
    this.head = (this.head + 1) % this.capacity;
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        this.listenerErrors++;
      }
    }
    return e;
  }

  /** Entries oldest first (a copy). */
  entries(): JournalEntry[] {
    const out: JournalEntry[] = [];
    const start = (this.head - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) out.push(this.ring[(start + i) % this.capacity]!);
    return out;
  }

  get(id: number): JournalEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  /** Drops every entry (Redfish LogService.ClearLog); ids keep counting. */
  clear(): void {
    this.ring.fill(undefined);
    this.size = 0;
    this.head = 0;
  }

  /**
   * Moves every entry's stamp by `deltaMs`, for a clock whose epoch was re-anchored
   * (VirtualClock.rebaseEpoch): entries keep their order and stay consistent with new ones.
   */
  shiftEpoch(deltaMs: number): void {
    if (!Number.isFinite(deltaMs)) throw new RangeError(`shift must be finite, got ${deltaMs}`);
    for (let i = 0; i < this.capacity; i++) {
      const e = this.ring[i];
      if (e) this.ring[i] = { ...e, atEpochMs: e.atEpochMs + deltaMs };
    }
  }

  subscribe(l: JournalListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
