import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { memoryStores, redisStores } from '../../src/stores/create-store.js';
import type { GovernanceStore } from '../../src/stores/governance-store.js';
import type { Stores } from '../../src/stores/stores.js';
import type { ProposalOutcome } from '../../src/services/governance/deps.js';
import { proposeEhrWrite } from '../../src/services/governance/ehr-write-proposals.js';
import { updateSetting, updateSettings } from '../../src/services/governance/setting-proposals.js';
import { approveChange, cancelChange } from '../../src/services/governance/transition.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { RedisServer } from '../support/redis-server.js';

// Issue 17 (memory): a requester's newer proposal replaces their own pending one on the same target and environment, in
// the same commit, with its audit record; other requesters' proposals stay; a racing approval is never lost (the
// compare-and-set on the old change's revision); a cap bounds the requester's open changes. Both stores.

let redis: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.stop();
});

const stores: [string, () => Stores][] = [
  ['memory', () => memoryStores()],
  ['redis', () => redisStores(clients[clients.push(new Redis(redis.url)) - 1]!)],
];

const ca = person('ca', ['clinical-admin']);
const ca2 = person('ca-2', ['clinical-admin']);
const eng = person('eng', ['integration-engineer']);
const bot: Principal = { ...person('triage-bot', ['ai-agent']), kind: 'agent' };
const model = (n: number) => ({ provider: 'default', model: `clinical-assistant-${n}`, temperature: 0.1 });

/** The kinds of proposal through propose() exercised here, each proposing value n on one fixed target. */
type Propose = (svc: ReturnType<typeof governanceOn>, as: (p: Principal) => Principal, n: number) => Promise<ProposalOutcome>;
const KINDS: Record<string, Propose> = {
  setting: (svc, as, n) => updateSetting(svc, as(ca), { key: 'ai.model', environment: 'PRODUCTION', value: model(n), reason: `v${n}` }),
  'compound settings': (svc, as, n) =>
    updateSettings(svc, as(eng), {
      environment: 'STAGING',
      values: { 'integration.ehr.baseUrl': `https://fhir${n}.example/r4`, 'integration.ehr.writeBackEnabled': true },
      reason: `v${n}`,
    }),
  'EHR write': (svc, as, n) =>
    proposeEhrWrite(svc, as(bot), {
      environment: 'STAGING',
      draftId: 'med-1',
      draft: { medication: 'x', rxnorm: null, dosage: 'y' },
      value: { resourceType: 'MedicationRequest', patientId: `p-${n}`, promptTemplateVersion: null },
    }),
};

interface AuditEvent {
  action: string;
  changeId: string;
  actor: { sub: string } | null;
  detail: unknown;
}

async function auditEvents(s: Stores, tenant: string) {
  const meta = await s.audit.meta(tenant);
  return (await s.audit.records(tenant, 1, meta.headSeq)).flatMap(
    (r) => (JSON.parse(JSON.parse(r).body) as { events: AuditEvent[] }).events,
  );
}

async function openOf(store: GovernanceStore, tenant: string, sub: string) {
  const open = [
    ...(await store.listChanges(tenant, { status: 'PENDING' }, 10_000)),
    ...(await store.listChanges(tenant, { status: 'APPROVED' }, 10_000)),
  ];
  return open.filter((c) => c.requester.sub === sub);
}

describe.each(stores)('a requester\'s newer proposal replaces their open one (%s store)', (_name, make) => {
  const tenantOf = () => `t${Math.random().toString(36).slice(2, 8)}`;

  it.each(Object.keys(KINDS))('%s: the old change ends SUPERSEDED with replacedBy in the new one\'s commit, audited', async (kind) => {
    const s = make();
    const svc = governanceOn(s.governance);
    const tenant = tenantOf();
    const as = (p: Principal) => ({ ...p, tenant });
    const first = await KINDS[kind]!(svc, as, 1);
    const second = await KINDS[kind]!(svc, as, 2);
    expect([first.status, second.status]).toEqual(['PENDING_APPROVAL', 'PENDING_APPROVAL']);
    const old = (await s.governance.getChange(tenant, first.change.id))!.change;
    expect(old).toMatchObject({ status: 'SUPERSEDED', superseded: { replacedBy: second.change.id } });
    expect((await openOf(s.governance, tenant, first.change.requester.sub)).map((c) => c.id)).toEqual([second.change.id]);
    const ended = (await auditEvents(s, tenant)).filter((e) => e.action === 'change.superseded' && e.changeId === first.change.id);
    expect(ended).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ sub: first.change.requester.sub }),
        detail: expect.objectContaining({ replacedBy: second.change.id }),
      }),
    ]);
  });

  it('leaves other requesters\' proposals and other targets; the replaced one is "not pending" to approvers', async () => {
    const s = make();
    const svc = governanceOn(s.governance);
    const tenant = tenantOf();
    const as = (p: Principal) => ({ ...p, tenant });
    const mine = await KINDS.setting!(svc, as, 1);
    const theirs = await updateSetting(svc, as(ca2), { key: 'ai.model', environment: 'PRODUCTION', value: model(7), reason: 'competing' });
    const otherKey = await updateSetting(svc, as(ca), {
      key: 'ai.guardrails', environment: 'PRODUCTION', reason: 'x',
      value: { blockedTopics: [], requireCitations: true, redactPhiInLogs: true, maxOutputTokens: 512 },
    });
    const newer = await KINDS.setting!(svc, as, 2);
    for (const c of [theirs, otherKey]) expect((await s.governance.getChange(tenant, c.change.id))!.change.status).toBe('PENDING');
    await expect(approveChange(svc, as(ca2), mine.change.id)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', reason: 'NOT_PENDING' },
    });
    expect((await s.governance.getChange(tenant, newer.change.id))!.change.status).toBe('PENDING');
  });

  it('an approval racing the replacement is kept: the commit fails on the old change\'s revision and the loop decides again', async () => {
    const s = make();
    const tenant = tenantOf();
    const as = (p: Principal) => ({ ...p, tenant });
    const plain = governanceOn(s.governance);
    const first = await KINDS.setting!(plain, as, 1);
    let commits = 0;
    // The approver commits between the proposer's read of the old change and the proposer's commit.
    const racing: GovernanceStore = Object.assign(Object.create(s.governance) as GovernanceStore, {
      commit: async (t: string, ops: Parameters<GovernanceStore['commit']>[1]) => {
        if (commits++ === 0) await approveChange(plain, as(person('sec', ['security-admin'])), first.change.id);
        return s.governance.commit(t, ops);
      },
    });
    const before = (await s.governance.getChange(tenant, first.change.id))!.rev;
    const second = await KINDS.setting!(governanceOn(racing), as, 2);
    expect(commits).toBe(2);
    const old = await s.governance.getChange(tenant, first.change.id);
    expect(old!.rev).toBe(before + 2);
    expect(old!.change).toMatchObject({ status: 'SUPERSEDED', superseded: { replacedBy: second.change.id } });
    expect(old!.change.approvals.map((a) => a.sub)).toEqual(['sec']);
    const events = (await auditEvents(s, tenant)).filter((e) => e.changeId === first.change.id).map((e) => e.action);
    expect(events).toEqual(['change.proposed', 'change.approved', 'change.superseded']);
  });

  it('leaves an APPROVED change waiting in the outbox (its effect may be under way): it is not the requester\'s to end', async () => {
    const s = make();
    const svc = governanceOn(s.governance, { processOutboxInline: false });
    const tenant = tenantOf();
    const as = (p: Principal) => ({ ...p, tenant });
    const first = await KINDS['compound settings']!(svc, as, 1);
    const approved = await approveChange(svc, as(person('eng-2', ['integration-engineer'])), first.change.id);
    expect(approved.status).toBe('APPROVED');
    const second = await KINDS['compound settings']!(svc, as, 2);
    expect((await s.governance.getChange(tenant, first.change.id))!.change.status).toBe('APPROVED');
    expect((await openOf(s.governance, tenant, 'eng')).map((c) => c.id).sort()).toEqual([first.change.id, second.change.id].sort());
  });

  it('keeps one open change for a requester who proposes again and again (the store\'s open-change count stays 1)', async () => {
    const s = make();
    const svc = governanceOn(s.governance, { maxOpenProposals: 3 });
    const tenant = tenantOf();
    const as = (p: Principal) => ({ ...p, tenant });
    let last = '';
    for (let n = 1; n <= 300; n++) last = (await KINDS.setting!(svc, as, n)).change.id;
    expect((await openOf(s.governance, tenant, 'ca')).map((c) => c.id)).toEqual([last]);
    expect(await s.governance.listChanges(tenant, { status: 'PENDING' }, 10_000)).toHaveLength(1);
  });
});

describe.each(stores)('MAX_OPEN_PROPOSALS_PER_REQUESTER (%s store)', (_name, make) => {
  it('refuses one more open change with CONFLICT TOO_MANY_OPEN_PROPOSALS, nothing written; a withdrawal makes room', async () => {
    const s = make();
    const svc = governanceOn(s.governance, { maxOpenProposals: 2 });
    const tenant = `t${Math.random().toString(36).slice(2, 8)}`;
    const as = (p: Principal) => ({ ...p, tenant });
    const propose = (key: string, n: number) =>
      updateSetting(svc, as(ca), { key, environment: 'PRODUCTION', value: model(n), reason: 'x' });
    const a = await propose('ai.model', 1);
    const b = await updateSetting(svc, as(ca), { key: 'ai.model', environment: 'STAGING', value: model(1), reason: 'x' });
    expect(b.status).toBe('APPLIED'); // applied at once: nothing left open, never counted
    await updateSetting(svc, as(ca), {
      key: 'ai.guardrails', environment: 'PRODUCTION', reason: 'x',
      value: { blockedTopics: [], requireCitations: true, redactPhiInLogs: true, maxOutputTokens: 512 },
    });
    const safety = { threshold: 0.9 };
    const third = () => updateSetting(svc, as(ca), { key: 'ai.safetyThreshold', environment: 'PRODUCTION', value: safety, reason: 'x' });
    const pendingBefore = await s.governance.listChanges(tenant, { status: 'PENDING' }, 100);
    await expect(third()).rejects.toMatchObject({
      message: expect.stringMatching(/you have 2 open proposals \(at most 2 per requester\).*cancelChange/),
      extensions: { code: 'CONFLICT', reason: 'TOO_MANY_OPEN_PROPOSALS' },
    });
    expect(await s.governance.listChanges(tenant, { status: 'PENDING' }, 100)).toEqual(pendingBefore);
    // Another requester is not held by ca's count; ca replacing an open one is not one more.
    expect((await updateSetting(svc, as(ca2), { key: 'ai.safetyThreshold', environment: 'PRODUCTION', value: safety, reason: 'x' }))
      .status).toBe('PENDING_APPROVAL');
    expect((await propose('ai.model', 2)).status).toBe('PENDING_APPROVAL');
    await cancelChange(svc, as(ca), (await openOf(s.governance, tenant, 'ca')).find((c) => c.target.type === 'setting' &&
      c.target.key === 'ai.guardrails')!.id);
    expect((await third()).status).toBe('PENDING_APPROVAL');
    expect((await s.governance.getChange(tenant, a.change.id))!.change.status).toBe('SUPERSEDED');
  });

  it('holds against concurrent proposals on different targets: one gateway\'s proposals of one requester queue', async () => {
    // Found by the issue 17 attack round: on Redis, 40 parallel proposals at a cap of 3 all read the count below the
    // cap (the lock was per target) and all 40 stayed open.
    const s = make();
    const svc = governanceOn(s.governance, { maxOpenProposals: 3 });
    const tenant = `t${Math.random().toString(36).slice(2, 8)}`;
    const as = (p: Principal) => ({ ...p, tenant });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) =>
        proposeEhrWrite(svc, as(bot), {
          environment: 'STAGING',
          draftId: `med-${n}`,
          draft: { medication: 'x', rxnorm: null, dosage: 'y' },
          value: { resourceType: 'MedicationRequest', patientId: `p-${n}`, promptTemplateVersion: null },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.status)).toEqual(Array(3).fill('PENDING_APPROVAL'));
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'TOO_MANY_OPEN_PROPOSALS' } });
    }
    expect(await openOf(s.governance, tenant, 'triage-bot')).toHaveLength(3);
  });

  it('does not count (or replace) a proposal past its time to live: it is expired, not open', async () => {
    // Found by the issue 17 attack round: expiry is lazy (a PENDING change past expiresAt is expired when read), and
    // the cap counted such changes, refusing a requester whose proposals had all expired unattended.
    const s = make();
    let clock = Date.parse('2026-12-02T06:00:00Z');
    const svc = governanceOn(s.governance, { maxOpenProposals: 2, now: () => clock });
    const tenant = `t${Math.random().toString(36).slice(2, 8)}`;
    const as = (p: Principal) => ({ ...p, tenant });
    const propose = (key: string, n: number) =>
      updateSetting(svc, as(ca), { key, environment: 'PRODUCTION', value: model(n), reason: 'x' });
    const old = await propose('ai.model', 1);
    await updateSetting(svc, as(ca), {
      key: 'ai.guardrails', environment: 'PRODUCTION', reason: 'x',
      value: { blockedTopics: [], requireCitations: true, redactPhiInLogs: true, maxOutputTokens: 512 },
    });
    clock += 366 * 24 * 3600_000;
    const safety = { key: 'ai.safetyThreshold', environment: 'PRODUCTION' as const, value: { threshold: 0.9 }, reason: 'x' };
    expect((await updateSetting(svc, as(ca), safety)).status).toBe('PENDING_APPROVAL');
    // A newer proposal on the expired one's target is a new proposal: the expired one is not marked SUPERSEDED.
    expect((await propose('ai.model', 2)).status).toBe('PENDING_APPROVAL');
    expect((await s.governance.getChange(tenant, old.change.id))!.change.status).not.toBe('SUPERSEDED');
  });
});
