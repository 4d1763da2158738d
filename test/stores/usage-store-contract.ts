import { describe, expect, it } from 'vitest';
import type { UsageStore } from '../../src/stores/usage-store.js';

// UsageStore's contract: test/stores/memory-store.test.ts and redis-store.test.ts run it.

export function usageStoreContract(name: string, make: () => Promise<UsageStore>, tenantPrefix: string) {
  describe(`${name}: UsageStore contract`, () => {
    const tenant = (t: string) => `${tenantPrefix}-${t}`;

    it('records the last use of a grant per tenant (access reviews)', async () => {
      const s = await make();
      const t = tenant('usage');
      await s.record(t, 'g-1', '2026-12-01T09:00:00.000Z');
      await s.record(t, 'g-1', '2026-12-01T09:05:00.000Z');
      await s.record(t, 'g-2', '2026-12-01T09:01:00.000Z');
      expect(await s.lastUses(t)).toEqual({ 'g-1': '2026-12-01T09:05:00.000Z', 'g-2': '2026-12-01T09:01:00.000Z' });
      expect(await s.lastUses(tenant('other'))).toEqual({});
    });
  });
}
