import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditAppend, chainHash, sha256Hex, type StoredAuditRecord } from '../../src/audit/chain.js';
import type { Stores } from '../../src/stores/stores.js';
import { doc } from './governance-store-contract.js';

// AuditLog's contract, with the governance store whose commit appends the records: test/stores/memory-store.test.ts
// and redis-store.test.ts run it.

export function auditLogContract(name: string, make: () => Promise<Pick<Stores, 'governance' | 'audit'>>, tenantPrefix: string) {
  describe(`${name}: AuditLog contract`, () => {
    const tenant = (t: string) => `${tenantPrefix}-${t}`;

    it('appends audit records in commit order, atomically with the rest, as one hash chain', async () => {
      const { governance: s, audit } = await make();
      const t = tenant('audit');
      await s.commit(t, [{ type: 'audit', record: auditAppend({ n: 1 }) }, { type: 'put-doc', doc: doc(1, 1) }]);
      const failed = await s.commit(t, [{ type: 'audit', record: auditAppend({ n: 2 }) }, { type: 'put-doc', doc: doc(1, 1) }]);
      expect(failed.ok).toBe(false);
      await s.commit(t, [{ type: 'audit', record: auditAppend({ n: 3 }) }, { type: 'audit', record: auditAppend({ n: 'é"\\/' }) }]);
      const records = (await audit.records(t, 1, 10)).map((r) => JSON.parse(r) as StoredAuditRecord);
      expect(records.map((r) => [r.seq, JSON.parse(r.body)])).toEqual([[1, { n: 1 }], [2, { n: 3 }], [3, { n: 'é"\\/' }]]);
      let prev = GENESIS_HASH;
      for (const r of records) {
        expect(r.prev).toBe(prev);
        expect(r.bodyHash).toBe(sha256Hex(r.body));
        expect(r.hash).toBe(chainHash(prev, r.bodyHash));
        prev = r.hash;
      }
      expect(await audit.meta(t)).toEqual({ headSeq: 3, headHash: prev, firstSeq: 1, anchorHash: GENESIS_HASH });
      await audit.trim(t, 1, records[0]!.hash);
      expect(await audit.meta(t)).toMatchObject({ firstSeq: 2, anchorHash: records[0]!.hash });
      expect((await audit.records(t, 1, 10)).map((r) => (JSON.parse(r) as StoredAuditRecord).seq)).toEqual([2, 3]);
      expect((await audit.records(t, 3, 10)).map((r) => (JSON.parse(r) as StoredAuditRecord).seq)).toEqual([3]);
      await audit.markExported(t, 2);
      await audit.markExported(t, 1);
      expect(await audit.exportedUpTo(t)).toBe(2);
      await audit.addCheckpoint(t, '{"seq":3}');
      expect(await audit.checkpoints(t)).toEqual(['{"seq":3}']);
    });

    it('an empty log starts at genesis; the verified mark is kept per tenant, the last one set wins', async () => {
      const { audit } = await make();
      const t = tenant('marks');
      expect(await audit.meta(t)).toEqual({ headSeq: 0, headHash: GENESIS_HASH, firstSeq: 1, anchorHash: GENESIS_HASH });
      expect(await audit.records(t, 1, 10)).toEqual([]);
      expect(await audit.verifiedMark(t)).toBeNull();
      await audit.setVerifiedMark(t, '{"seq":1}');
      await audit.setVerifiedMark(t, '{"seq":2}');
      expect(await audit.verifiedMark(t)).toBe('{"seq":2}');
      expect(await audit.verifiedMark(tenant('marks-other'))).toBeNull();
      expect(await audit.checkpoints(tenant('marks-other'))).toEqual([]);
      expect(await audit.exportedUpTo(t)).toBe(0);
    });
  });
}
