import type { LeaseStore } from './lease-store.js';
import { tenantKey } from './memory-idempotency-store.js';

// The embedded default's leases. JavaScript runs one call at a time, so check-and-take without an await is atomic.

export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(tenant: string, key: string, holder: string, ttlMs: number): Promise<boolean> {
    const k = tenantKey(tenant, key);
    const held = this.leases.get(k);
    if (held && held.expiresAt > this.now()) return false;
    this.leases.set(k, { holder, expiresAt: this.now() + ttlMs });
    return true;
  }

  async release(tenant: string, key: string, holder: string): Promise<void> {
    const k = tenantKey(tenant, key);
    if (this.leases.get(k)?.holder === holder) this.leases.delete(k);
  }
}
