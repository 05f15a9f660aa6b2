/**
 * CPU of processes the bench did not write (mosquitto) from /proc, Linux only: elsewhere the
 * figures are simply absent (null), never guessed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseProcStat, type ProcStat } from './fleet-stats.js';

export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

let ticks: number | undefined;

/** sysconf(_SC_CLK_TCK): the unit of utime/stime. 100 when getconf is unavailable (Linux's USER_HZ). */
export function clockTicksPerSecond(): number {
  if (ticks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const v = Number(r.stdout?.trim());
    ticks = r.status === 0 && v > 0 ? v : 100;
  }
  return ticks;
}

/** CPU time of a process so far, ms; null without /proc or once it is gone. */
export function processCpuMs(pid: number): number | null {
  const s = readProcStat(pid);
  return s ? (s.cpuTicks * 1000) / clockTicksPerSecond() : null;
}

/**
 * The pid of our child process named `comm`. test/support/mosquitto.ts spawns the broker but
 * does not expose its pid, so we find it as the child of this process with that name.
 */
export function findChildPid(comm: string, parent = process.pid): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = readProcStat(Number(e));
    if (s && s.ppid === parent && s.comm === comm) return s.pid;
  }
  return null;
}
