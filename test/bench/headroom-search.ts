/**
 * The smallest reserved headroom h on a grid (0–40 % in 0.5 % steps by default) for which a
 * run passes, by bisection. Assumes monotonicity (more headroom never hurts); the two points
 * that decide the answer — h passes, h − step fails — are always evaluated runs, and are
 * returned as the verification. Evaluations are cached: a grid point is never run twice.
 */

export interface SearchOptions {
  /** Lowest and highest headroom searched, %. */
  loPct: number;
  hiPct: number;
  /** Grid resolution, %. */
  stepPct: number;
}

export const DEFAULT_SEARCH: SearchOptions = Object.freeze({ loPct: 0, hiPct: 40, stepPct: 0.5 });

export interface Evaluation<T> {
  hPct: number;
  pass: boolean;
  detail: T;
}

export interface SearchResult<T> {
  /**
   * found: the smallest passing grid point; atLow: even loPct passes; none: hiPct fails too
   * (hPct null).
   */
  status: 'found' | 'atLow' | 'none';
  hPct: number | null;
  /** The evaluation at hPct, and at hPct − step (absent when hPct is loPct). */
  verified: { at: Evaluation<T> | null; below: Evaluation<T> | null };
  /** Every evaluation, in the order run. */
  evaluations: Evaluation<T>[];
}

/** Grid index ↔ headroom, without accumulating float error. */
const hAt = (o: SearchOptions, i: number): number =>
  Math.round((o.loPct + i * o.stepPct) * 1e6) / 1e6;

export async function searchMinHeadroom<T>(
  evaluate: (hPct: number) => Promise<{ pass: boolean; detail: T }>,
  opts: SearchOptions = DEFAULT_SEARCH,
): Promise<SearchResult<T>> {
  const n = Math.round((opts.hiPct - opts.loPct) / opts.stepPct);
  if (!(n >= 1) || Math.abs(hAt(opts, n) - opts.hiPct) > 1e-6)
    throw new RangeError(
      `search range ${opts.loPct}–${opts.hiPct} % is not a multiple of ${opts.stepPct} %`,
    );
  const cache = new Map<number, Evaluation<T>>();
  const evaluations: Evaluation<T>[] = [];
  const at = async (i: number): Promise<Evaluation<T>> => {
    const hit = cache.get(i);
    if (hit) return hit;
    const hPct = hAt(opts, i);
    const r = await evaluate(hPct);
    const e: Evaluation<T> = { hPct, pass: r.pass, detail: r.detail };
    cache.set(i, e);
    evaluations.push(e);
    return e;
  };
  const top = await at(n);
  if (!top.pass)
    return { status: 'none', hPct: null, verified: { at: null, below: top }, evaluations };
  const bottom = await at(0);
  if (bottom.pass)
    return {
      status: 'atLow',
      hPct: bottom.hPct,
      verified: { at: bottom, below: null },
      evaluations,
    };
  // Invariant: lo fails, hi passes.
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((await at(mid)).pass) hi = mid;
    else lo = mid;
  }
  return {
    status: 'found',
    hPct: hAt(opts, hi),
    verified: { at: await at(hi), below: await at(hi - 1) },
    evaluations,
  };
}
