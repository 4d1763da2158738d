import { Redis } from 'ioredis';
import type { GovernanceStore } from './governance-store.js';
import { createMemoryGovernanceStore, MEMORY_AUDIT_WINDOW } from './memory-governance-store.js';
import { createRedisGovernanceStore } from './redis-governance-store.js';

// Redis when REDIS_URL is set (production requires it: see src/config), the in-memory store otherwise.
// Fail closed: no offline queue (a command while Redis is away fails at once instead of running later, after the
// client gave up) and a bounded wait per command.
export async function createStore(redisUrl: string | null): Promise<{ store: GovernanceStore; durable: boolean; auditWindow: number | null }> {
  // In memory: a bounded window of audit records (memory-governance-store.ts); Redis keeps everything.
  if (!redisUrl) return { store: createMemoryGovernanceStore(), durable: false, auditWindow: MEMORY_AUDIT_WINDOW };
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });
  client.on('error', () => {}); // reported per command as STORE_UNAVAILABLE; never log the URL (it may hold a password)
  // A failed first connect must not leave the client retrying in the background (it would keep the process alive).
  await client.connect().catch((e: unknown) => {
    client.disconnect();
    throw e;
  });
  return { store: createRedisGovernanceStore(client), durable: true, auditWindow: null };
}
