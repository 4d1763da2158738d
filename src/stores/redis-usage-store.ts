import { guarded, type RedisClient } from './redis-guard.js';
import { tenantKeys } from './redis-keys.js';
import type { UsageStore } from './usage-store.js';

// Last-use times in one Redis hash per tenant. Last write wins; a lost race between two replicas loses a minute of
// precision, which reviews do not need.

export class RedisUsageStore implements UsageStore {
  constructor(private readonly r: RedisClient) {}

  record(tenant: string, entryId: string, atIso: string): Promise<void> {
    return guarded(async () => void (await this.r.hset(tenantKeys(tenant).usage, entryId, atIso)));
  }

  lastUses(tenant: string): Promise<Record<string, string>> {
    return guarded(async () => this.r.hgetall(tenantKeys(tenant).usage));
  }
}
