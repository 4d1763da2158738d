import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Principal } from '../auth/principal.js';
import type { RateLimits } from '../config/hardening-config.js';
import type { GatewayContext } from '../context/context.js';
import { RateLimitedError } from '../errors/rate-limited-error.js';
import type { RateBucket, RateDecision, RateLimiter } from '../stores/rate-limiter.js';
import type { Logger } from './logger.js';

// Rate limits per principal and per tenant (every operation), per principal's mutations (stricter: they write),
// and per client IP for failed authentications (there is no principal yet). A limit of 0 is off (embedded mode only).
//
// If the limiter's store is unreachable the request goes on (fail open) and a warning is logged at most every 10 s:
// rate limiting protects availability, so making a Redis outage refuse every read would defeat its purpose; the
// actions that need the store (approvals, audit) fail closed on their own.

/** Principal ids are the IdP's: hashed so a key never grows with, or leaks, an arbitrary `sub`. */
function subKey(sub: string): string {
  return createHash('sha256').update(sub).digest('base64url').slice(0, 22);
}

export class RequestRateLimiter {
  private lastWarning = 0;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: RateLimits,
    private readonly logger: Logger,
  ) {}

  /** After a token failed to verify: counts it against the client IP; a RateLimitedError once over the limit. */
  async failedAuth(ip: string): Promise<RateLimitedError | null> {
    const over = await this.check([[{ scope: `ip:${ip}`, name: 'auth-failed' }, this.limits.failedAuthPerIp, 'failed-auth']]);
    return over;
  }

  /** Before an operation runs; throws RateLimitedError when any of the principal's budgets ran out. */
  async operation(principal: Principal, mutation: boolean): Promise<void> {
    const sub = subKey(principal.sub);
    const buckets: [RateBucket, number, string][] = [
      [{ scope: principal.tenant, name: `p:${sub}` }, this.limits.perPrincipal, 'principal'],
      [{ scope: principal.tenant, name: 't' }, this.limits.perTenant, 'tenant'],
    ];
    if (mutation) buckets.push([{ scope: principal.tenant, name: `m:${sub}` }, this.limits.mutationsPerPrincipal, 'mutations']);
    const over = await this.check(buckets);
    if (over) throw over;
  }

  private async check(buckets: [RateBucket, number, string][]): Promise<RateLimitedError | null> {
    const windowMs = this.limits.windowSec * 1000;
    const active = buckets.filter(([, limit]) => limit > 0);
    let results: RateDecision[];
    try {
      results = await Promise.all(active.map(([bucket, limit]) => this.limiter.hit(bucket, limit, windowMs)));
    } catch {
      const now = Date.now();
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.logger.warn('rate limiter unavailable: requests are not being rate limited');
      }
      return null;
    }
    let worst: RateLimitedError | null = null;
    results.forEach((r, i) => {
      if (r.allowed) return;
      const seconds = Math.ceil(r.resetMs / 1000);
      if (!worst || seconds > worst.extensions.retryAfterSeconds) worst = new RateLimitedError(active[i]![2], seconds);
    });
    return worst;
  }
}

/** Knows the operation type only after parsing: queries and mutations count differently. */
export function rateLimitPlugin(limiter: RequestRateLimiter): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          await limiter.operation(contextValue.principal, operation?.operation === 'mutation');
        },
      };
    },
  };
}
