import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RateBucket, RateLimiter } from '../../src/stores/rate-limiter.js';

// One contract for both rate limiters (memory and Redis): fixed windows that start at a bucket's first hit, counts
// per bucket, a reset time to tell the client, and no cross-talk between buckets or scopes.

const bucket = (scope = 'acme', name = `p:${randomUUID()}`): RateBucket => ({ scope, name });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function rateLimiterContract(name: string, make: () => Promise<RateLimiter>): void {
  describe(`rate limiter contract: ${name}`, () => {
    it('allows up to the limit in a window, then refuses with the time left', async () => {
      const l = await make();
      const b = bucket();
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await l.hit(b, 3, 10_000));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
      expect(decisions.map((d) => d.count)).toEqual([1, 2, 3, 4, 5]);
      // Time left is some, and never grows within one window (its exact value, against an injected clock, is in
      // rate-limiter.test.ts: the contract does not depend on how long the hits took).
      const [fourth, fifth] = [decisions[3]!, decisions[4]!];
      expect(fifth.resetMs).toBeGreaterThan(0);
      expect(fifth.resetMs).not.toBeGreaterThan(fourth.resetMs);
    });

    it('starts a new window once the old one is over', async () => {
      const l = await make();
      const b = bucket();
      // A window long enough that the second hit lands in it on a loaded machine, and a wait of three windows.
      await l.hit(b, 1, 2_000);
      expect((await l.hit(b, 1, 2_000)).allowed).toBe(false);
      await sleep(6_000);
      const fresh = await l.hit(b, 1, 2_000);
      expect(fresh).toMatchObject({ allowed: true, count: 1 });
    });

    it('keeps buckets apart: other names, other scopes (tenants), same name in another scope', async () => {
      const l = await make();
      const name = `p:${randomUUID()}`;
      await l.hit({ scope: 'acme', name }, 1, 10_000);
      expect((await l.hit({ scope: 'acme', name }, 1, 10_000)).allowed).toBe(false);
      expect((await l.hit({ scope: 'globex', name }, 1, 10_000)).allowed).toBe(true);
      expect((await l.hit({ scope: 'acme', name: `${name}-other` }, 1, 10_000)).allowed).toBe(true);
      expect((await l.hit({ scope: 'ip:127.0.0.1', name }, 1, 10_000)).allowed).toBe(true);
    });

    it('counts every one of many concurrent hits exactly once', async () => {
      const l = await make();
      const b = bucket();
      const decisions = await Promise.all(Array.from({ length: 50 }, () => l.hit(b, 20, 10_000)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
      expect(decisions.map((d) => d.count).sort((a, c) => a - c)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });
}
