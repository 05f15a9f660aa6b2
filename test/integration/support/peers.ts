/**
 * Real peers for the integration tests: a socat pty pair (a null-modem cable in software) and
 * mbpoll (a real Modbus master). Every child is spawned with a deadline and killed by its pid.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when `name` is on PATH; the tests that need it skip loudly otherwise. */
export function haveTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Prints why a suite is skipped, so a missing peer never passes silently. */
export function warnMissing(tools: readonly string[], suite: string): boolean {
  const missing = tools.filter((t) => !haveTool(t));
  if (missing.length > 0) {
    console.warn(
      `\n*** SKIPPING "${suite}": ${missing.join(', ')} not installed ` +
        `(scripts/test.sh installs them with apt) ***\n`,
    );
  }
  return missing.length > 0;
}

export interface PtyPair {
  /** The two ends: bytes written to one are read from the other. */
  readonly a: string;
  readonly b: string;
  close(): Promise<void>;
}

/** Starts `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and waits for both links. */
export async function startPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'orv3gw-pty-'));
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  const child = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = performance.now() + timeoutMs;
  // socat prints "starting data transfer loop" once both ptys exist and are linked.
  while (!(existsSync(a) && existsSync(b) && log.includes('starting data transfer loop'))) {
    if (child.exitCode !== null || performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`socat did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    a,
    b,
    close: async () => {
      await killChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(t);
}

export interface MbpollResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** `[ref]: value` lines of a read, by reference as printed. */
  readonly values: ReadonlyMap<number, number>;
}

/** Runs mbpoll once with a hard deadline (mbpoll's own -o timeout is 1 s by default). */
export function mbpoll(args: readonly string[], deadlineMs = 8000): Promise<MbpollResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('mbpoll', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr, values: parseMbpollValues(stdout) });
    });
  });
}

/**
 * mbpoll prints one `[ref]: \tvalue` line per register read; a 16-bit value ≥ 0x8000 comes with
 * its signed reading in parentheses (`[79]: \t51971 (-13565)`), which we ignore.
 */
export function parseMbpollValues(stdout: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)(?:\s+\(-?\d+\))?\s*$/gm)) {
    out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}
