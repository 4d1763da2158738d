import type { Cluster, Redis } from 'ioredis';
import { decision, type RateBucket, type RateLimiter } from './rate-limiter.js';
import { StoreUnavailableError } from '../errors/errors.js';

// Rate limits shared by every replica. One script does INCR and, on a window's first hit, PEXPIRE: two separate
// commands could leave a counter without expiry (a crash between them) that would then refuse its bucket forever.
// Keys carry the bucket's scope as hash tag (`{tenant}` or `{ip:...}`), like every other key of a tenant.

const HIT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

export function rateKey(bucket: RateBucket): string {
  return `clr:{${bucket.scope}}:rl:${bucket.name}`;
}

type Client = (Redis | Cluster) & { clearanceRateHit?: (key: string, windowMs: number) => Promise<[number, number]> };

export function createRedisRateLimiter(client: Redis | Cluster, options: { ownsClient: boolean }): RateLimiter {
  const c = client as Client;
  if (!c.clearanceRateHit) c.defineCommand('clearanceRateHit', { numberOfKeys: 1, lua: HIT });
  return {
    async hit(bucket, limit, windowMs) {
      try {
        const [count, ttl] = await c.clearanceRateHit!(rateKey(bucket), windowMs);
        return decision(Number(count), limit, Number(ttl));
      } catch {
        throw new StoreUnavailableError('rate-limit');
      }
    },
    async close() {
      if (options.ownsClient) await client.quit().catch(() => client.disconnect());
    },
  };
}
