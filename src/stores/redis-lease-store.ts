import type { LeaseStore } from './lease-store.js';
import { guarded, type RedisClient } from './redis-guard.js';
import { tenantKeys } from './redis-keys.js';
import { RELEASE_LEASE_LUA } from './redis-scripts.js';

// Leases in Redis: SET NX PX takes one atomically; release is a compare-and-delete script.

type ScriptClient = RedisClient & { clrReleaseLease(...args: (string | number)[]): Promise<number> };

export class RedisLeaseStore implements LeaseStore {
  private readonly r: ScriptClient;

  constructor(client: RedisClient) {
    if (!('clrReleaseLease' in client)) client.defineCommand('clrReleaseLease', { lua: RELEASE_LEASE_LUA, numberOfKeys: 1 });
    this.r = client as ScriptClient;
  }

  acquire(tenant: string, key: string, holder: string, ttlMs: number): Promise<boolean> {
    return guarded(async () => (await this.r.set(tenantKeys(tenant).lease(key), holder, 'PX', ttlMs, 'NX')) === 'OK');
  }

  release(tenant: string, key: string, holder: string): Promise<void> {
    return guarded(async () => void (await this.r.clrReleaseLease(tenantKeys(tenant).lease(key), holder)));
  }
}
