import { Redis } from 'ioredis';
import { MEMORY_AUDIT_WINDOW, MemoryAuditLog } from './memory-audit-log.js';
import { MemoryGovernanceStore } from './memory-governance-store.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { MemoryLeaseStore } from './memory-lease-store.js';
import { MemoryUsageStore } from './memory-usage-store.js';
import { RedisAuditLog } from './redis-audit-log.js';
import { RedisGovernanceStore } from './redis-governance-store.js';
import { guarded, type RedisClient } from './redis-guard.js';
import { RedisIdempotencyStore } from './redis-idempotency-store.js';
import { RedisLeaseStore } from './redis-lease-store.js';
import { RedisUsageStore } from './redis-usage-store.js';
import type { Stores } from './stores.js';

/** The embedded default: every store in this process's memory (a bounded window of audit records per tenant). */
export function memoryStores(now: () => number = Date.now): Stores {
  const audit = new MemoryAuditLog();
  return Object.freeze({
    governance: new MemoryGovernanceStore(audit),
    audit,
    idempotency: new MemoryIdempotencyStore(now),
    usage: new MemoryUsageStore(),
    leases: new MemoryLeaseStore(now),
    durable: false,
    auditWindow: MEMORY_AUDIT_WINDOW,
    ping: async () => {},
    close: async () => {},
  });
}

/** Every store on one Redis client (single node or Cluster); `close` quits it. */
export function redisStores(client: RedisClient): Stores {
  return Object.freeze({
    governance: new RedisGovernanceStore(client),
    audit: new RedisAuditLog(client),
    idempotency: new RedisIdempotencyStore(client),
    usage: new RedisUsageStore(client),
    leases: new RedisLeaseStore(client),
    durable: true,
    auditWindow: null,
    ping: () => guarded(async () => void (await client.ping())),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  });
}

// Redis when REDIS_URL is set (production requires it: see src/config), the in-memory stores otherwise.
// Fail closed: no offline queue (a command while Redis is away fails at once instead of running later, after the
// client gave up) and a bounded wait per command.
export async function createStores(redisUrl: string | null): Promise<Stores> {
  if (!redisUrl) return memoryStores();
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
  return redisStores(client);
}
