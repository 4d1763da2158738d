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

export class RedisRateLimiter implements RateLimiter {
  private readonly client: Client;

  constructor(client: Redis | Cluster, private readonly options: { ownsClient: boolean }) {
    this.client = client as Client;
    if (!this.client.clearanceRateHit) this.client.defineCommand('clearanceRateHit', { numberOfKeys: 1, lua: HIT });
  }

  async hit(bucket: RateBucket, limit: number, windowMs: number) {
    try {
      const [count, ttl] = await this.client.clearanceRateHit!(rateKey(bucket), windowMs);
      return decision(Number(count), limit, Number(ttl));
    } catch {
      throw new StoreUnavailableError('rate-limit');
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}
