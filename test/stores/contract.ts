import { describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import { auditAppend, chainHash, sha256Hex } from '../../src/audit/chain.js';
import { GENESIS_HASH, type DocVersion, type GovernanceStore, type StoredAuditRecord } from '../../src/stores/governance-store.js';

// One contract, two implementations: test/stores/memory-store.test.ts and redis-store.test.ts run it.

const at = '2026-11-22T10:00:00.000Z';

export function sampleChange(id: string, over: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    id, tenant: 'acme', environment: 'PRODUCTION', target: { type: 'setting', key: 'billing.refundThreshold' }, category: 'billing-automation',
    ownerFunction: 'finance', risk: 'HIGH', requester: { sub: 'bm-1', roles: ['billing-manager'], functions: ['finance'], kind: 'user' },
    reason: 'r', ticket: null, origin: { type: 'direct' }, applyMode: 'atomic', baseVersion: 0, before: 100, after: 250,
    diff: [{ path: '', op: 'replace', before: 100, after: 250 }],
    requirement: { requiredApprovals: 2, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true },
    approverFunctions: ['finance', 'security'], createdAt: at, expiresAt: '2026-11-25T10:00:00.000Z', updatedAt: at, approvals: [],
    status: 'PENDING', ...over,
  } as ChangeRequest;
}

const doc = (version: number, value: number, id = 'setting:billing.refundThreshold'): DocVersion => ({
  ref: { environment: 'PRODUCTION', id }, version, value, changedBy: 'bm-1', changeId: `c${version}`, at, reason: null,
});

export function storeContract(name: string, make: () => Promise<GovernanceStore>, tenantPrefix: string) {
  describe(`${name}: GovernanceStore contract`, () => {
    const tenant = (t: string) => `${tenantPrefix}-${t}`;

    it('records the last use of a grant per tenant (access reviews), and lists assignment docs by prefix', async () => {
      const s = await make();
      const t = tenant('usage');
      await s.recordUsage(t, 'g-1', '2026-12-01T09:00:00.000Z');
      await s.recordUsage(t, 'g-1', '2026-12-01T09:05:00.000Z');
      await s.recordUsage(t, 'g-2', '2026-12-01T09:01:00.000Z');
      expect(await s.usage(t)).toEqual({ 'g-1': '2026-12-01T09:05:00.000Z', 'g-2': '2026-12-01T09:01:00.000Z' });
      expect(await s.usage(tenant('other'))).toEqual({});
      await s.commit(t, [{ type: 'put-doc', doc: doc(1, 1, 'assignment:dr-grey') }, { type: 'put-doc', doc: doc(1, 2) }]);
      expect((await s.listDocs(t, 'PRODUCTION', 'assignment:')).map((d) => d.ref.id)).toEqual(['assignment:dr-grey']);
    });

    it('creates a change once: a second create of the same id conflicts', async () => {
      const s = await make();
      const t = tenant('create');
      expect(await s.commit(t, [{ type: 'put-change', change: sampleChange('c1'), expectedRev: 0 }])).toEqual({ ok: true });
      expect(await s.commit(t, [{ type: 'put-change', change: sampleChange('c1'), expectedRev: 0 }])).toEqual({ ok: false, conflict: 'change', id: 'c1' });
      expect(await s.getChange(t, 'c1')).toMatchObject({ rev: 1, change: { id: 'c1', status: 'PENDING' } });
    });

    it('compare-and-set on the change revision: a stale writer loses and writes nothing at all', async () => {
      const s = await make();
      const t = tenant('cas');
      await s.commit(t, [{ type: 'put-change', change: sampleChange('c1'), expectedRev: 0 }]);
      const applied = sampleChange('c1', { status: 'APPLIED', appliedVersion: 1, appliedAt: at, approvedAt: at } as Partial<ChangeRequest>);
      expect(await s.commit(t, [{ type: 'put-change', change: applied, expectedRev: 1 }, { type: 'put-doc', doc: doc(1, 250) }])).toEqual({ ok: true });
      // Same revision read by a racing approver: refused, and its doc write is not half-applied.
      const lost = await s.commit(t, [{ type: 'put-change', change: applied, expectedRev: 1 }, { type: 'put-doc', doc: doc(2, 999) }]);
      expect(lost).toEqual({ ok: false, conflict: 'change', id: 'c1' });
      expect(await s.getDoc(t, doc(1, 0).ref)).toMatchObject({ version: 1, value: 250 });
      expect((await s.history(t, doc(1, 0).ref)).map((d) => d.version)).toEqual([1]);
    });

    it('a doc version is written only over the version before it', async () => {
      const s = await make();
      const t = tenant('doc');
      expect(await s.commit(t, [{ type: 'put-doc', doc: doc(2, 1) }])).toEqual({ ok: false, conflict: 'doc', id: 'setting:billing.refundThreshold' });
      expect(await s.commit(t, [{ type: 'put-doc', doc: doc(1, 1) }])).toEqual({ ok: true });
      expect(await s.commit(t, [{ type: 'put-doc', doc: doc(1, 2) }])).toMatchObject({ ok: false });
      expect(await s.commit(t, [{ type: 'put-doc', doc: doc(2, 2) }])).toEqual({ ok: true });
      expect((await s.history(t, doc(1, 0).ref)).map((d) => d.value)).toEqual([1, 2]);
      await s.commit(t, [{ type: 'put-doc', doc: doc(1, 7, 'setting:billing.reminderCadenceDays') }]);
      expect((await s.listDocs(t, 'PRODUCTION', 'setting:')).map((d) => [d.ref.id, d.version])).toEqual([
        ['setting:billing.refundThreshold', 2],
        ['setting:billing.reminderCadenceDays', 1],
      ]);
      expect(await s.listDocs(t, 'STAGING', 'setting:')).toEqual([]);
    });

    it('lists changes newest first with filters', async () => {
      const s = await make();
      const t = tenant('list');
      await s.commit(t, [{ type: 'put-change', change: sampleChange('a', { createdAt: '2026-11-22T10:00:00.000Z' }), expectedRev: 0 }]);
      await s.commit(t, [{ type: 'put-change', change: sampleChange('b', { createdAt: '2026-11-22T11:00:00.000Z', environment: 'STAGING' }), expectedRev: 0 }]);
      expect((await s.listChanges(t, {}, 10)).map((c) => c.id)).toEqual(['b', 'a']);
      expect((await s.listChanges(t, { environment: 'STAGING' }, 10)).map((c) => c.id)).toEqual(['b']);
      expect(await s.listChanges(t, { status: 'APPLIED' }, 10)).toEqual([]);
    });

    it('keeps tenants apart', async () => {
      const s = await make();
      await s.commit(tenant('one'), [{ type: 'put-change', change: sampleChange('x'), expectedRev: 0 }, { type: 'put-doc', doc: doc(1, 5) }]);
      expect(await s.getChange(tenant('two'), 'x')).toBeNull();
      expect(await s.getDoc(tenant('two'), doc(1, 0).ref)).toBeNull();
      expect(await s.listChanges(tenant('two'), {}, 10)).toEqual([]);
    });

    it('outbox: added once per key, claimed by one worker per lease, back after the lease, done removes it', async () => {
      const s = await make();
      const t = tenant('outbox');
      const add = { type: 'outbox-add', idempotencyKey: 'c1:apply', changeId: 'c1' } as const;
      await s.commit(t, [add]);
      await s.commit(t, [add]);
      const first = await s.claimOutbox(t, 1_000, 30_000, 10);
      expect(first.map((e) => e.idempotencyKey)).toEqual(['c1:apply']);
      expect(await s.claimOutbox(t, 2_000, 30_000, 10)).toEqual([]);
      expect((await s.claimOutbox(t, 40_000, 30_000, 10)).length).toBe(1);
      await s.failOutbox(t, 'c1:apply', 'connector down', 50_000);
      expect(await s.claimOutbox(t, 45_000, 30_000, 10)).toEqual([]);
      expect(await s.claimOutbox(t, 50_000, 30_000, 10)).toMatchObject([{ attempts: 1, lastError: 'connector down' }]);
      await s.commit(t, [{ type: 'outbox-done', idempotencyKey: 'c1:apply' }]);
      expect(await s.claimOutbox(t, 999_999, 30_000, 10)).toEqual([]);
      expect(await s.tenants()).toContain(t);
    });

    it('idempotency keys: claimed once (also when raced), replayed when completed, refused for another request, released only unanswered, per tenant', async () => {
      const s = await make();
      const t = tenant('idem');
      const day = 86_400_000;
      const claims = await Promise.all([1, 2, 3, 4].map(() => s.claimIdempotencyKey(t, 'scope-a', 'hash-1', day)));
      expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.state === 'in-flight')).toHaveLength(3);
      expect(await s.claimIdempotencyKey(t, 'scope-a', 'hash-2', day)).toEqual({ state: 'mismatch' });
      // Another tenant's and another scope's same key are free.
      expect(await s.claimIdempotencyKey(tenant('idem-other'), 'scope-a', 'hash-2', day)).toEqual({ state: 'claimed' });
      expect(await s.claimIdempotencyKey(t, 'scope-b', 'hash-1', day)).toEqual({ state: 'claimed' });
      // Completing under another request's hash stores nothing.
      await s.completeIdempotencyKey(t, 'scope-a', 'hash-2', '{"wrong":true}');
      expect(await s.claimIdempotencyKey(t, 'scope-a', 'hash-1', day)).toEqual({ state: 'in-flight' });
      await s.completeIdempotencyKey(t, 'scope-a', 'hash-1', '{"status":"SENT"}');
      expect(await s.claimIdempotencyKey(t, 'scope-a', 'hash-1', day)).toEqual({ state: 'completed', result: '{"status":"SENT"}' });
      expect(await s.claimIdempotencyKey(t, 'scope-a', 'hash-2', day)).toEqual({ state: 'mismatch' });
      // A completed key is never released; an unanswered one is, and only by its own request.
      await s.releaseIdempotencyKey(t, 'scope-a', 'hash-1');
      expect(await s.claimIdempotencyKey(t, 'scope-a', 'hash-1', day)).toMatchObject({ state: 'completed' });
      await s.releaseIdempotencyKey(t, 'scope-b', 'hash-9');
      expect(await s.claimIdempotencyKey(t, 'scope-b', 'hash-1', day)).toEqual({ state: 'in-flight' });
      await s.releaseIdempotencyKey(t, 'scope-b', 'hash-1');
      expect(await s.claimIdempotencyKey(t, 'scope-b', 'hash-2', day)).toEqual({ state: 'claimed' });
    });

    it('idempotency keys expire after their ttl, answered or not', async () => {
      const s = await make();
      const t = tenant('idem-ttl');
      expect(await s.claimIdempotencyKey(t, 'done', 'h', 40)).toEqual({ state: 'claimed' });
      await s.completeIdempotencyKey(t, 'done', 'h', 'r');
      expect(await s.claimIdempotencyKey(t, 'pending', 'h', 40)).toEqual({ state: 'claimed' });
      expect(await s.claimIdempotencyKey(t, 'done', 'h', 40)).toEqual({ state: 'completed', result: 'r' });
      await new Promise((r) => setTimeout(r, 80));
      expect(await s.claimIdempotencyKey(t, 'done', 'other', 40)).toEqual({ state: 'claimed' });
      expect(await s.claimIdempotencyKey(t, 'pending', 'other', 40)).toEqual({ state: 'claimed' });
    });

    it('appends audit records in commit order, atomically with the rest, as one hash chain', async () => {
      const s = await make();
      const t = tenant('audit');
      await s.commit(t, [{ type: 'audit', record: auditAppend({ n: 1 }) }, { type: 'put-doc', doc: doc(1, 1) }]);
      const failed = await s.commit(t, [{ type: 'audit', record: auditAppend({ n: 2 }) }, { type: 'put-doc', doc: doc(1, 1) }]);
      expect(failed.ok).toBe(false);
      await s.commit(t, [{ type: 'audit', record: auditAppend({ n: 3 }) }, { type: 'audit', record: auditAppend({ n: 'é"\\/' }) }]);
      const records = (await s.audit.records(t, 1, 10)).map((r) => JSON.parse(r) as StoredAuditRecord);
      expect(records.map((r) => [r.seq, JSON.parse(r.body)])).toEqual([[1, { n: 1 }], [2, { n: 3 }], [3, { n: 'é"\\/' }]]);
      let prev = GENESIS_HASH;
      for (const r of records) {
        expect(r.prev).toBe(prev);
        expect(r.bodyHash).toBe(sha256Hex(r.body));
        expect(r.hash).toBe(chainHash(prev, r.bodyHash));
        prev = r.hash;
      }
      expect(await s.audit.meta(t)).toEqual({ headSeq: 3, headHash: prev, firstSeq: 1, anchorHash: GENESIS_HASH });
      await s.audit.trim(t, 1, records[0]!.hash);
      expect(await s.audit.meta(t)).toMatchObject({ firstSeq: 2, anchorHash: records[0]!.hash });
      expect((await s.audit.records(t, 1, 10)).map((r) => (JSON.parse(r) as StoredAuditRecord).seq)).toEqual([2, 3]);
      expect((await s.audit.records(t, 3, 10)).map((r) => (JSON.parse(r) as StoredAuditRecord).seq)).toEqual([3]);
      await s.audit.markExported(t, 2);
      await s.audit.markExported(t, 1);
      expect(await s.audit.exportedUpTo(t)).toBe(2);
      await s.audit.addCheckpoint(t, '{"seq":3}');
      expect(await s.audit.checkpoints(t)).toEqual(['{"seq":3}']);
    });
      it('gives a lease to one of many concurrent callers; only its holder releases it; it lapses after its ttl', async () => {
      const s = await make();
      const t = tenant('lease');
      const won = await Promise.all(Array.from({ length: 10 }, (_, i) => s.acquireLease(t, 'refund:patient:p1', `h${i}`, 60_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const holder = `h${won.indexOf(true)}`;
      expect(await s.acquireLease(tenant('other'), 'refund:patient:p1', 'x', 60_000)).toBe(true);
      expect(await s.acquireLease(t, 'refund:patient:p2', 'x', 60_000)).toBe(true);
      await s.releaseLease(t, 'refund:patient:p1', 'not-the-holder');
      expect(await s.acquireLease(t, 'refund:patient:p1', 'y', 60_000)).toBe(false);
      await s.releaseLease(t, 'refund:patient:p1', holder);
      expect(await s.acquireLease(t, 'refund:patient:p1', 'y', 40)).toBe(true);
      // A lapsed lease is free again (margin: five times the ttl), and the old holder cannot release the new one.
      await new Promise((r) => setTimeout(r, 200));
      expect(await s.acquireLease(t, 'refund:patient:p1', 'z', 60_000)).toBe(true);
      await s.releaseLease(t, 'refund:patient:p1', 'y');
      expect(await s.acquireLease(t, 'refund:patient:p1', 'w', 60_000)).toBe(false);
    });

    it('sums a ledger over a window; an entry counts once however often it is added; adds are atomic with the commit', async () => {
      const s = await make();
      const t = tenant('ledger');
      const add = (entryId: string, cents: number, atMs: number) => ({ type: 'ledger-add' as const, ledger: 'refund:invoice:i1', entryId, cents, atMs });
      const t0 = 1_764_000_000_000;
      expect(await s.ledgerSum(t, 'refund:invoice:i1', 0)).toBe(0);
      await s.commit(t, [add('c1', 9_900, t0)]);
      await s.commit(t, [add('c1', 9_900, t0)]);
      await s.commit(t, [add('c2', 150, t0 + 60_000)]);
      expect(await s.ledgerSum(t, 'refund:invoice:i1', t0)).toBe(10_050);
      expect(await s.ledgerSum(t, 'refund:invoice:i1', t0 + 1)).toBe(150);
      expect(await s.ledgerSum(t, 'refund:invoice:other', 0)).toBe(0);
      expect(await s.ledgerSum(tenant('other'), 'refund:invoice:i1', 0)).toBe(0);
      // A commit whose check fails adds nothing to the ledger.
      await s.commit(t, [{ type: 'put-doc', doc: doc(1, 1) }]);
      expect((await s.commit(t, [add('c3', 500, t0), { type: 'put-doc', doc: doc(1, 2) }])).ok).toBe(false);
      expect(await s.ledgerSum(t, 'refund:invoice:i1', 0)).toBe(10_050);
    });
  });
}
