import type { IdempotencyClaim, IdempotencyStore } from './idempotency-store.js';

// The embedded default's idempotency keys. Expiry is checked on read; every 256th claim also drops expired entries
// so unread keys cannot pile up.

interface Entry {
  readonly h: string;
  r: string | null;
  readonly expiresAt: number;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly keys = new Map<string, Entry>();
  private claims = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | null {
    const e = this.keys.get(key);
    if (e && e.expiresAt <= this.now()) this.keys.delete(key);
    return e && e.expiresAt > this.now() ? e : null;
  }

  async claim(tenant: string, scopeKey: string, requestHash: string, ttlMs: number): Promise<IdempotencyClaim> {
    if (++this.claims % 256 === 0) for (const k of [...this.keys.keys()]) this.live(k);
    const key = tenantKey(tenant, scopeKey);
    const held = this.live(key);
    if (!held) {
      this.keys.set(key, { h: requestHash, r: null, expiresAt: this.now() + ttlMs });
      return { state: 'claimed' };
    }
    if (held.h !== requestHash) return { state: 'mismatch' };
    return held.r === null ? { state: 'in-flight' } : { state: 'completed', result: held.r };
  }

  async complete(tenant: string, scopeKey: string, requestHash: string, result: string): Promise<void> {
    const held = this.live(tenantKey(tenant, scopeKey));
    if (held?.h === requestHash) held.r = result;
  }

  async release(tenant: string, scopeKey: string, requestHash: string): Promise<void> {
    const key = tenantKey(tenant, scopeKey);
    const held = this.live(key);
    if (held?.h === requestHash && held.r === null) this.keys.delete(key);
  }
}

/** One map key per tenant and key (NUL cannot occur in a tenant id). */
export const tenantKey = (tenant: string, key: string) => `${tenant}\u0000${key}`;
