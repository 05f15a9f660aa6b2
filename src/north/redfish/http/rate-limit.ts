/**
 * Per-client token buckets: `ratePerS` requests a second sustained, `burst` at once. Buckets
 * of idle clients are dropped so the table stays small.
 */
import type { Clock } from '../../../clock/index.js';

export interface RateLimitPolicy {
  readonly ratePerS: number;
  readonly burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly clock: Clock,
    readonly policy: RateLimitPolicy,
  ) {}

  /** 0 when the request may go, else the seconds to wait before retrying (≥ 1). */
  take(client: string): number {
    const now = this.clock.nowMs();
    const { ratePerS, burst } = this.policy;
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size > 4096) this.prune(now);
      b = { tokens: burst, atMs: now };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.atMs) / 1000) * ratePerS);
    b.atMs = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / ratePerS));
  }

  private prune(now: number): void {
    const full = this.policy.burst / this.policy.ratePerS;
    for (const [k, b] of this.buckets) if ((now - b.atMs) / 1000 > full) this.buckets.delete(k);
  }
}
