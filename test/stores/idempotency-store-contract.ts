import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../src/stores/idempotency-store.js';

// IdempotencyStore's contract: test/stores/memory-store.test.ts and redis-store.test.ts run it.

export function idempotencyStoreContract(name: string, make: () => Promise<IdempotencyStore>, tenantPrefix: string) {
  describe(`${name}: IdempotencyStore contract`, () => {
    const tenant = (t: string) => `${tenantPrefix}-${t}`;

    it('claimed once (also raced), replayed when completed, refused for another request, released only unanswered, by tenant', async () => {
      const s = await make();
      const t = tenant('idem');
      const day = 86_400_000;
      const claims = await Promise.all([1, 2, 3, 4].map(() => s.claim(t, 'scope-a', 'hash-1', day)));
      expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in-flight')).toHaveLength(3);
      expect(await s.claim(t, 'scope-a', 'hash-2', day)).toEqual({ state: 'mismatch' });
      // Another tenant's and another scope's same key are free.
      expect(await s.claim(tenant('idem-other'), 'scope-a', 'hash-2', day)).toEqual({ state: 'claimed' });
      expect(await s.claim(t, 'scope-b', 'hash-1', day)).toEqual({ state: 'claimed' });
      // Completing under another request's hash stores nothing.
      await s.complete(t, 'scope-a', 'hash-2', '{"wrong":true}');
      expect(await s.claim(t, 'scope-a', 'hash-1', day)).toEqual({ state: 'in-flight' });
      await s.complete(t, 'scope-a', 'hash-1', '{"status":"SENT"}');
      expect(await s.claim(t, 'scope-a', 'hash-1', day)).toEqual({ state: 'completed', result: '{"status":"SENT"}' });
      expect(await s.claim(t, 'scope-a', 'hash-2', day)).toEqual({ state: 'mismatch' });
      // A completed key is never released; an unanswered one is, and only by its own request.
      await s.release(t, 'scope-a', 'hash-1');
      expect(await s.claim(t, 'scope-a', 'hash-1', day)).toMatchObject({ state: 'completed' });
      await s.release(t, 'scope-b', 'hash-9');
      expect(await s.claim(t, 'scope-b', 'hash-1', day)).toEqual({ state: 'in-flight' });
      await s.release(t, 'scope-b', 'hash-1');
      expect(await s.claim(t, 'scope-b', 'hash-2', day)).toEqual({ state: 'claimed' });
    });
    it('keys expire after their ttl, answered or not', async () => {
      const s = await make();
      const t = tenant('idem-ttl');
      expect(await s.claim(t, 'done', 'h', 40)).toEqual({ state: 'claimed' });
      await s.complete(t, 'done', 'h', 'r');
      expect(await s.claim(t, 'pending', 'h', 40)).toEqual({ state: 'claimed' });
      expect(await s.claim(t, 'done', 'h', 40)).toEqual({ state: 'completed', result: 'r' });
      await new Promise((r) => setTimeout(r, 80));
      expect(await s.claim(t, 'done', 'other', 40)).toEqual({ state: 'claimed' });
      expect(await s.claim(t, 'pending', 'other', 40)).toEqual({ state: 'claimed' });
    });
  });
}
