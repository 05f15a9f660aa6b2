/**
 * Deadline arithmetic of the periodic loop, as pure functions so it is tested without threads.
 *
 * Deadlines are absolute: tick k is due at start + k·period, computed afresh each time (never by
 * adding period to the previous deadline), so rounding cannot accumulate into drift. A tick that
 * starts late does not move the grid; when a tick ends after the next deadline has already passed
 * the loop does not burst through the missed ticks to catch up: it skips ahead to the first
 * deadline still in the future, and every deadline skipped is an overrun.
 */

/** When tick `k` is due. */
export function deadlineOf(startMs: number, periodMs: number, k: number): number {
  return startMs + k * periodMs;
}

/**
 * Index of the tick to run after tick `k`, planned at `nowMs` (when tick k's work is done): the
 * first tick after k whose deadline is not yet past (≥ now). That is k + 1 unless tick k overran;
 * the ticks skipped in between, `result - k - 1`, are the overruns.
 */
export function nextTickIndex(startMs: number, periodMs: number, k: number, nowMs: number): number {
  if (nowMs <= deadlineOf(startMs, periodMs, k + 1)) return k + 1;
  let j = Math.max(k + 2, Math.ceil((nowMs - startMs) / periodMs));
  // The division may round across a multiple of the period: settle on the exact first deadline
  // ≥ now, so no deadline still ahead is skipped and none already past is planned.
  while (deadlineOf(startMs, periodMs, j) < nowMs) j++;
  while (j > k + 2 && deadlineOf(startMs, periodMs, j - 1) >= nowMs) j--;
  return j;
}

/**
 * How long to block before spinning the rest of the way to `deadlineMs`: the sleep ends `spinMs`
 * before the deadline so a late wake-up (scheduler latency) is absorbed by the spin. 0 = spin now.
 */
export function sleepBudgetMs(deadlineMs: number, spinMs: number, nowMs: number): number {
  const budget = deadlineMs - spinMs - nowMs;
  return budget > 0 ? budget : 0;
}
