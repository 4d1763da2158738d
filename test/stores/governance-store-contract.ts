import { describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../src/governance/change-request.js';
import type { DocVersion, GovernanceStore } from '../../src/stores/governance-store.js';
import { OPEN_BACKFILL_BATCH } from '../../src/stores/redis-governance-store.js';

// GovernanceStore's contract, two implementations: test/stores/memory-store.test.ts and redis-store.test.ts run it
// (with the contracts of the other stores).

const at = '2026-11-22T10:00:00.000Z';

export function sampleChange(id: string, over: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    id,
    tenant: 'acme',
    environment: 'PRODUCTION',
    target: { type: 'setting', key: 'billing.refundThreshold' },
    category: 'billing-automation',
    ownerFunction: 'finance',
    risk: 'HIGH',
    requester: { sub: 'bm-1', roles: ['billing-manager'], functions: ['finance'], kind: 'user' },
    reason: 'r',
    ticket: null,
    origin: { type: 'direct' },
    applyMode: 'atomic',
    baseVersion: 0,
    before: 100,
    after: 250,
    diff: [{ path: '', op: 'replace', before: 100, after: 250 }],
    requirement: { requiredApprovals: 2, distinctFunctions: true, ownerFunctionRequired: true, mfaRequired: true },
    approverFunctions: ['finance', 'security'],
    createdAt: at,
    expiresAt: '2026-11-25T10:00:00.000Z',
    updatedAt: at,
    approvals: [],
    status: 'PENDING',
    ...over,
  } as ChangeRequest;
}

export const doc = (version: number, value: number, id = 'setting:billing.refundThreshold'): DocVersion => ({
  ref: { environment: 'PRODUCTION', id }, version, value, changedBy: 'bm-1', changeId: `c${version}`, at, reason: null,
});

/** The fields a change needs in each status (so each parses). */
const statusFields: Record<ChangeRequest['status'], Record<string, unknown>> = {
  PENDING: {}, APPROVED: { approvedAt: at }, APPLIED: { approvedAt: at, appliedVersion: 1, appliedAt: at },
  REJECTED: { rejection: { sub: 'x', at, functions: ['finance'], reason: 'no' } },
  CANCELLED: { cancellation: { sub: 'x', at } },
  EXPIRED: { expiredAt: at },
  SUPERSEDED: { superseded: { currentVersion: 1, at } }, FAILED: { failure: { reason: 'x', at } },
};
export const STATUSES = Object.keys(statusFields) as ChangeRequest['status'][];
export const inStatus = (id: string, status: ChangeRequest['status'], over: Partial<ChangeRequest> = {}) =>
  sampleChange(id, { status, ...statusFields[status], ...over } as Partial<ChangeRequest>);
/** The n-th second after `at`, as a createdAt. */
const second = (n: number) => new Date(Date.parse(at) + n * 1000).toISOString();

/**
 * `forgetOpenIndex`: makes a tenant's store look written by a version without the open-change index (Redis: its keys
 * deleted), for the backfill cases; a store that never persists (memory) has nothing to forget (a no-op).
 * `make`: stores that share their data (two gateways on one store), as every implementation is run.
 */
export function governanceStoreContract(
  name: string, make: () => Promise<GovernanceStore>, tenantPrefix: string, forgetOpenIndex: (tenant: string) => Promise<void>,
) {
  describe(`${name}: GovernanceStore contract`, () => {
    const tenant = (t: string) => `${tenantPrefix}-${t}`;

    it('lists docs of one kind by prefix (assignments apart from settings)', async () => {
      const s = await make();
      const t = tenant('prefix');
      await s.commit(t, [{ type: 'put-doc', doc: doc(1, 1, 'assignment:dr-grey') }, { type: 'put-doc', doc: doc(1, 2) }]);
      expect((await s.listDocs(t, 'PRODUCTION', 'assignment:')).map((d) => d.ref.id)).toEqual(['assignment:dr-grey']);
    });

    it('creates a change once: a second create of the same id conflicts', async () => {
      const s = await make();
      const t = tenant('create');
      expect(await s.commit(t, [{ type: 'put-change', change: sampleChange('c1'), expectedRev: 0 }])).toEqual({ ok: true });
      expect(await s.commit(t, [{ type: 'put-change', change: sampleChange('c1'), expectedRev: 0 }])).toEqual({
        ok: false,
        conflict: 'change',
        id: 'c1',
      });
      expect(await s.getChange(t, 'c1')).toMatchObject({ rev: 1, change: { id: 'c1', status: 'PENDING' } });
    });
    it('compare-and-set on the change revision: a stale writer loses and writes nothing at all', async () => {
      const s = await make();
      const t = tenant('cas');
      await s.commit(t, [{ type: 'put-change', change: sampleChange('c1'), expectedRev: 0 }]);
      const applied = sampleChange('c1', { status: 'APPLIED', appliedVersion: 1, appliedAt: at, approvedAt: at } as Partial<ChangeRequest>);
      expect(
        await s.commit(t, [
          { type: 'put-change', change: applied, expectedRev: 1 },
          { type: 'put-doc', doc: doc(1, 250) },
        ]),
      ).toEqual({ ok: true });
      // Same revision read by a racing approver: refused, and its doc write is not half-applied.
      const lost = await s.commit(t, [{ type: 'put-change', change: applied, expectedRev: 1 }, { type: 'put-doc', doc: doc(2, 999) }]);
      expect(lost).toEqual({ ok: false, conflict: 'change', id: 'c1' });
      expect(await s.getDoc(t, doc(1, 0).ref)).toMatchObject({ version: 1, value: 250 });
      expect((await s.history(t, doc(1, 0).ref)).map((d) => d.version)).toEqual([1]);
    });
    it('a doc version is written only over the version before it', async () => {
      const s = await make();
      const t = tenant('doc');
      expect(await s.commit(t, [{ type: 'put-doc', doc: doc(2, 1) }])).toEqual({
        ok: false,
        conflict: 'doc',
        id: 'setting:billing.refundThreshold',
      });
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
      await s.commit(t, [
        {
          type: 'put-change',
          change: sampleChange('b', { createdAt: '2026-11-22T11:00:00.000Z', environment: 'STAGING' }),
          expectedRev: 0,
        },
      ]);
      expect((await s.listChanges(t, {}, 10)).map((c) => c.id)).toEqual(['b', 'a']);
      expect((await s.listChanges(t, { environment: 'STAGING' }, 10)).map((c) => c.id)).toEqual(['b']);
      expect(await s.listChanges(t, { status: 'APPLIED' }, 10)).toEqual([]);
    });
    it('lists a change under the status it has now, through every move between statuses', async () => {
      // The memory store indexes open changes by status: every status a change moves to or from is enumerated.
      const s = await make();
      const t = tenant('status-moves');
      let rev = 0;
      const moves = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
      for (const [from, to] of moves) {
        for (const status of [from, to]) {
          await s.commit(t, [{ type: 'put-change', change: inStatus('m', status), expectedRev: rev++ }]);
          for (const listed of STATUSES) {
            expect((await s.listChanges(t, { status: listed }, 10)).map((c) => c.id)).toEqual(listed === status ? ['m'] : []);
          }
        }
      }
      await s.commit(t, [{ type: 'put-change', change: sampleChange('m'), expectedRev: rev++ }]);
      expect(await s.listChanges(t, { status: 'PENDING', environment: 'STAGING' }, 10)).toEqual([]);
    });
    it('lists an open change behind more than 5,000 finished ones (the open listing does not scan the history)', async () => {
      const s = await make();
      const t = tenant('open-after-history');
      const finished = STATUSES.filter((st) => st !== 'PENDING' && st !== 'APPROVED');
      await s.commit(t, [{ type: 'put-change', change: inStatus('old', 'PENDING', { createdAt: second(0) }), expectedRev: 0 }]);
      for (let from = 1; from <= 5_100; from += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, i) => from + i).map((n) =>
          s.commit(t, [{ type: 'put-change', change: inStatus(`f${n}`, finished[n % 6]!, { createdAt: second(n) }), expectedRev: 0 }])));
      }
      await s.commit(t, [{ type: 'put-change', change: inStatus('new', 'PENDING', { createdAt: second(6_000) }), expectedRev: 0 }]);
      expect((await s.listChanges(t, { status: 'PENDING' }, 10)).map((c) => c.id)).toEqual(['new', 'old']);
      expect((await s.listChanges(t, { status: 'PENDING' }, 1)).map((c) => c.id)).toEqual(['new']);
      expect(await s.listChanges(t, { status: 'APPROVED' }, 10)).toEqual([]);
    }, 60_000);
    it('open listings: newest first (ties by id), limit, environment and category filters; a finished change leaves', async () => {
      const s = await make();
      const t = tenant('open-filters');
      const changes = [
        inStatus('a', 'PENDING', { createdAt: second(1) }),
        inStatus('b', 'PENDING', { createdAt: second(1) }),
        inStatus('c', 'APPROVED', { createdAt: second(2) }),
        inStatus('d', 'PENDING', { createdAt: second(3), environment: 'STAGING' }),
        inStatus('e', 'PENDING', { createdAt: second(4), category: 'messaging' }),
        inStatus('f', 'APPLIED', { createdAt: second(5) }),
      ];
      for (const change of changes) await s.commit(t, [{ type: 'put-change', change, expectedRev: 0 }]);
      const ids = async (filter: Parameters<GovernanceStore['listChanges']>[1], limit = 10) =>
        (await s.listChanges(t, filter, limit)).map((c) => c.id);
      expect(await ids({ status: 'PENDING' })).toEqual(['e', 'd', 'b', 'a']);
      expect(await ids({ status: 'PENDING' }, 2)).toEqual(['e', 'd']);
      expect(await ids({ status: 'PENDING', environment: 'PRODUCTION' })).toEqual(['e', 'b', 'a']);
      expect(await ids({ status: 'PENDING', environment: 'PRODUCTION' }, 2)).toEqual(['e', 'b']);
      expect(await ids({ status: 'PENDING', environment: 'STAGING' })).toEqual(['d']);
      expect(await ids({ status: 'PENDING', category: 'messaging' })).toEqual(['e']);
      expect(await ids({ status: 'APPROVED' })).toEqual(['c']);
      expect(await ids({ status: 'APPROVED', environment: 'STAGING' })).toEqual([]);
      // Each open change moves to a finished status (every one of them): it leaves the open listings, the others stay.
      const finished = STATUSES.filter((st) => st !== 'PENDING' && st !== 'APPROVED');
      const open = ['e', 'd', 'c', 'b', 'a'];
      for (const [i, id] of open.entries()) {
        const before = changes.find((c) => c.id === id)!;
        const status = finished[i % finished.length]!;
        const change = { ...before, ...statusFields[status], status } as ChangeRequest;
        await s.commit(t, [{ type: 'put-change', change, expectedRev: 1 }]);
        const left = open.slice(i + 1);
        expect([...(await ids({ status: 'PENDING' })), ...(await ids({ status: 'APPROVED' }))].sort()).toEqual(left.sort());
        expect(await ids({ status })).toContain(id);
      }
    });
    it('backfills the open index of a store written without it, once, under concurrent gateways and commits',
      async () => {
        const t = tenant('open-backfill');
        const writer = await make();
        // More than two backfill batches, every status, both environments, in random order of creation time.
        const count = 2 * OPEN_BACKFILL_BATCH + 37;
        const stored = new Map<string, ChangeRequest>();
        const order = Array.from({ length: count }, (_, i) => (i * 7_919) % count);
        await Promise.all(order.map((n) => {
          const change = inStatus(`c${n}`, STATUSES[n % STATUSES.length]!, {
            createdAt: second(n), environment: n % 3 === 0 ? 'STAGING' : 'PRODUCTION',
          });
          stored.set(change.id, change);
          return writer.commit(t, [{ type: 'put-change', change, expectedRev: 0 }]);
        }));
        await forgetOpenIndex(t);
        // Two gateways list at once while open changes finish and new ones are proposed: every write lands in the index
        // whether the backfill has reached it or not.
        const [one, two] = [await make(), await make()];
        const moves = [...stored.values()].filter((c) => c.status === 'PENDING' || c.status === 'APPROVED').filter((_, i) => i % 4 === 0);
        const moved = moves.map((c) => ({ ...c, ...statusFields.CANCELLED, status: 'CANCELLED' }) as ChangeRequest);
        const added = Array.from({ length: 40 }, (_, i) =>
          inStatus(`n${i}`, i % 2 ? 'PENDING' : 'APPROVED', {
            createdAt: second(count + i), environment: i % 3 ? 'PRODUCTION' : 'STAGING',
          }));
        await Promise.all([
          one.listChanges(t, { status: 'PENDING', environment: 'PRODUCTION' }, 1000),
          two.listChanges(t, { status: 'APPROVED', environment: 'STAGING' }, 1000),
          ...moved.map((change) => writer.commit(t, [{ type: 'put-change', change, expectedRev: 1 }])),
          ...added.map((change) => writer.commit(t, [{ type: 'put-change', change, expectedRev: 0 }])),
          one.listChanges(t, { status: 'APPROVED' }, 1000),
        ]);
        for (const c of [...moved, ...added]) stored.set(c.id, c);
        for (const status of STATUSES) {
          for (const environment of ['PRODUCTION', 'STAGING'] as const) {
            const expected = [...stored.values()]
              .filter((c) => c.status === status && c.environment === environment)
              .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
              .map((c) => c.id);
            for (const s of [one, two, await make()]) {
              expect((await s.listChanges(t, { status, environment }, 5000)).map((c) => c.id)).toEqual(expected);
              expect((await s.listChanges(t, { status, environment }, 3)).map((c) => c.id)).toEqual(expected.slice(0, 3));
            }
          }
        }
      }, 60_000);
    it('keeps tenants apart', async () => {
      const s = await make();
      await s.commit(tenant('one'), [
        { type: 'put-change', change: sampleChange('x'), expectedRev: 0 },
        { type: 'put-doc', doc: doc(1, 5) },
      ]);
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
    it('sums a ledger over a window; an entry counts once however often it is added; adds are atomic with the commit', async () => {
      const s = await make();
      const t = tenant('ledger');
      const add = (entryId: string, cents: number, atMs: number) => ({
        type: 'ledger-add' as const,
        ledger: 'refund:invoice:i1',
        entryId,
        cents,
        atMs,
      });
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
