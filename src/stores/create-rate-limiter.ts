import { Redis } from 'ioredis';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

// Redis when REDIS_URL is set (every replica counts in the same windows), in-memory otherwise. Its own connection,
// not the governance store's: a flood of hostile requests then queues its counters behind nothing of the approval
// path, and the two fail independently. Same fail-fast options as the store (no offline queue, bounded waits).
export async function createRateLimiter(redisUrl: string | null): Promise<RateLimiter> {
  if (!redisUrl) return new MemoryRateLimiter();
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  client.on('error', () => {}); // reported per call; never log the URL (it may hold a password)
  await client.connect();
  return new RedisRateLimiter(client, { ownsClient: true });
}
