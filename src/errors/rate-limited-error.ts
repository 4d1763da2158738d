import { HeaderMap } from '@apollo/server';
import { ClearanceError } from './errors.js';

/**
 * 429: too many requests in the current window. `retryAfterSeconds` in the body and a `Retry-After` header say when
 * to come back; `limit` names which budget ran out (principal, tenant, mutations, failed-auth), never a count of
 * anyone else's traffic.
 */
export class RateLimitedError extends ClearanceError<{ limit: string; retryAfterSeconds: number }> {
  constructor(limit: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('RATE_LIMITED', `Too many requests; retry after ${seconds} s.`, { limit, retryAfterSeconds: seconds });
    // Apollo merges `extensions.http` of errors into the response head (status and headers); format-error strips it.
    (this.extensions as { http?: unknown }).http = { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) };
  }
}
