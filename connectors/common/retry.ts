import type { ConnectorErrorKind } from './connector-error.js';

// Bounded retries with exponential backoff, for idempotent calls only (a read, a conditional create, a
// version-guarded update, an SMTP send with a fixed Message-ID): the caller says whether a call may be repeated.

export interface RetryPolicy {
  /** Attempts in all, the first included (1: no retry). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };

/** Only outages are worth another try; a refused, conflicting or missing request fails the same way again. */
export const RETRYABLE_KINDS: ReadonlySet<ConnectorErrorKind> = new Set(['UNAVAILABLE', 'TIMEOUT']);

/** The wait before retry number `retry` (1-based): base * 2^(retry-1), capped. Pure. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
