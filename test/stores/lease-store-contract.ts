import { describe, expect, it } from 'vitest';
import type { LeaseStore } from '../../src/stores/lease-store.js';

// LeaseStore's contract: test/stores/memory-store.test.ts and redis-store.test.ts run it.

export function leaseStoreContract(name: string, make: () => Promise<LeaseStore>, tenantPrefix: string) {
  describe(`${name}: LeaseStore contract`, () => {
    const tenant = (t: string) => `${tenantPrefix}-${t}`;

    it('gives a lease to one of many concurrent callers; only its holder releases it; it lapses after its ttl', async () => {
      const s = await make();
      const t = tenant('lease');
      const won = await Promise.all(Array.from({ length: 10 }, (_, i) => s.acquire(t, 'refund:patient:p1', `h${i}`, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const holder = `h${won.indexOf(true)}`;
      expect(await s.acquire(tenant('other'), 'refund:patient:p1', 'x', 60_000)).toBe(true);
      expect(await s.acquire(t, 'refund:patient:p2', 'x', 60_000)).toBe(true);
      await s.release(t, 'refund:patient:p1', 'not-the-holder');
      expect(await s.acquire(t, 'refund:patient:p1', 'y', 60_000)).toBe(false);
      await s.release(t, 'refund:patient:p1', holder);
      expect(await s.acquire(t, 'refund:patient:p1', 'y', 40)).toBe(true);
      // A lapsed lease is free again (margin: five times the ttl), and the old holder cannot release the new one.
      await new Promise((r) => setTimeout(r, 200));
      expect(await s.acquire(t, 'refund:patient:p1', 'z', 60_000)).toBe(true);
      await s.release(t, 'refund:patient:p1', 'y');
      expect(await s.acquire(t, 'refund:patient:p1', 'w', 60_000)).toBe(false);
    });
  });
}
