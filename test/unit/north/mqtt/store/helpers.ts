/** Temp directories and small readers shared by the store tests. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { VirtualClock } from '../../../../../src/clock/index.js';
import {
  DurableQueue,
  type DurableQueueOptions,
  type StoredRecord,
} from '../../../../../src/north/mqtt/store/index.js';

const dirs: string[] = [];
const open: DurableQueue[] = [];

afterEach(() => {
  for (const q of open.splice(0)) q.abort();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'orv3gw-store-'));
  dirs.push(d);
  return d;
}

export type TestOptions = Omit<DurableQueueOptions, 'clock' | 'dir'> &
  Partial<Pick<DurableQueueOptions, 'clock' | 'dir'>>;

/** Opens a queue on a VirtualClock (timers fire only when a test advances it). */
export function openQueue(dir: string, o: TestOptions = {}): DurableQueue {
  const q = DurableQueue.open({ clock: new VirtualClock(), ...o, dir });
  open.push(q);
  return q;
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Appends `n` records whose payload and timestamp name their index; returns the seqs. */
export function fill(q: DurableQueue, from: number, n: number, topic = 't/x'): number[] {
  const seqs: number[] = [];
  for (let i = from; i < from + n; i++) {
    const r = q.append(topic, 1000 + i, enc(`p${i}`));
    if (!r.ok) throw new Error(`append ${i} refused: ${r.reason}`);
    seqs.push(r.seq);
  }
  return seqs;
}

export function all(q: DurableQueue): StoredRecord[] {
  return q.peek(Number.POSITIVE_INFINITY);
}

export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .sort();
}

export function dirBytes(dir: string): number {
  return segmentFiles(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0);
}
