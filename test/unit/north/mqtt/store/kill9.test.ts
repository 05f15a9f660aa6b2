import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { all, dec, openQueue, tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./kill9-child.ts', import.meta.url));

/** Runs the child until it reported `atLeast` more appends, then SIGKILLs it at a random point. */
async function runAndKill(dir: string, atLeast: number): Promise<{ start: number; last: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
  let start = -1;
  let last = -1;
  let buf = '';
  let killing = false;
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const [word, n] = line.split(' ');
      if (word === 'start') start = Number(n);
      else if (word === 'appended') last = Number(n);
      else throw new Error(`child: ${line}`);
    }
    if (!killing && start >= 0 && last - start >= atLeast) {
      killing = true;
      // Mid-burst, mid-flush or mid-rotation: wherever the random delay lands.
      setTimeout(() => child.kill('SIGKILL'), Math.random() * 20);
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((r) =>
    child.once('exit', (_c, s) => r(s)),
  );
  clearTimeout(deadline);
  expect(signal).toBe('SIGKILL');
  return { start, last };
}

describe('kill -9 safety', () => {
  it('after SIGKILL the queue holds a gap-free, CRC-clean run ending at or after the last reported append', async () => {
    const dir = tempDir();
    let prevTail = 0;
    for (let round = 0; round < 3; round++) {
      const { start, last } = await runAndKill(dir, 5000);
      const q = openQueue(dir);
      const recs = all(q);
      const s = q.stats();
      q.abort(); // read only: leave the directory as the crash left it for the next round
      expect(s.corrupt.records).toBe(0);
      // A SIGKILL between the pages of one write() could tear the newest record; nothing else.
      expect(s.corrupt.events).toBeLessThanOrEqual(1);
      expect(recs.length).toBeGreaterThan(0);
      const head = recs[0]!.seq;
      recs.forEach((r, i) => {
        expect(r.seq).toBe(head + i);
        expect(dec(r.payload)).toBe(`payload-${r.seq}`);
      });
      const tail = recs.at(-1)!.seq;
      expect(tail).toBeGreaterThanOrEqual(last);
      // The child restarted exactly where the previous crash left the sequence.
      expect(start).toBe(prevTail);
      prevTail = tail;
      // The checkpoint never claims more than the child acked (ack(n - 500) at each 1000).
      expect(head - 1).toBeLessThanOrEqual(Math.max(0, Math.floor(tail / 1000) * 1000 - 500));
      console.log(
        `kill -9 round ${round}: child ${start}→${last} reported, found ${head}..${tail} ` +
          `(${recs.length} live), torn tail events ${s.corrupt.events}`,
      );
    }
  });
});
