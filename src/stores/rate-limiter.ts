// Counting requests per bucket in fixed windows. Two implementations keep the same contract
// (test/stores/rate-limiter-contract.ts runs against both): Redis, shared by every replica, and in-memory for the
// embedded default. A window starts at a bucket's first hit and lasts `windowMs`; the count resets after it.

/** A bucket: `scope` groups keys (the Redis hash tag: a tenant id, or `ip:<address>`), `name` the counter in it. */
export interface RateBucket {
  readonly scope: string;
  readonly name: string;
}

export interface RateDecision {
  /** True while the count of this window is at most the limit. */
  readonly allowed: boolean;
  readonly count: number;
  /** Until the window resets (when not allowed: how long the caller should wait). */
  readonly resetMs: number;
}

export interface RateLimiter {
  /** Counts one hit in the bucket's current window and says whether it is within `limit`. */
  hit(bucket: RateBucket, limit: number, windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export function decision(count: number, limit: number, resetMs: number): RateDecision {
  return { allowed: count <= limit, count, resetMs: Math.max(0, resetMs) };
}
