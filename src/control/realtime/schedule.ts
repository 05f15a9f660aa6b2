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

/** Fewest / most stop-word polls between two clock reads while spinning. */
export const SPIN_POLLS_MIN = 64;
export const SPIN_POLLS_MAX = 8192;

/**
 * How many stop-word polls to run before the next clock read while spinning to a deadline
 * `remainingMs` away: half the remaining time at the rate the last chunk ran (`pollsPerMs`; 0 =
 * not known yet), never more than twice the last chunk, within [SPIN_POLLS_MIN, SPIN_POLLS_MAX].
 * Every clock read allocates in Node 20 (performance.now() builds an hrtime array), so the
 * number of reads per spin is what fills the worker's young generation; halving keeps it
 * logarithmic in the spin time while the last reads still land within a few polls of the deadline.
 */
export function spinChunk(remainingMs: number, pollsPerMs: number, lastChunk: number): number {
  const target = Math.floor((pollsPerMs * remainingMs) / 2);
  const cap = Math.min(SPIN_POLLS_MAX, 2 * lastChunk);
  return Math.max(SPIN_POLLS_MIN, Math.min(cap, target));
}
