import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStores, redisStores } from '../../src/stores/create-store.js';
import type { Stores } from '../../src/stores/stores.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { RedisServer } from '../support/redis-server.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import { currentSetting } from '../../src/services/governance/reads.js';

// Issue 13 item 12: when a change applies, every other open change of the same target was computed against a version
// that is gone; it ends SUPERSEDED in the same commit (read here from the store itself, not through the service's
// lazy read path), with its audit record, so it leaves every approver's queue at once. Both stores.

let redis: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.stop();
});

const key = 'billing.refundThreshold';
const bm = person('bm', ['billing-manager']);
const bm2 = person('bm-2', ['billing-manager']);
const sec = person('sec', ['security-admin']);
// Competitors come from other requesters: a requester's own newer proposal replaces their open one (replace-own.test.ts).
const bm3 = person('bm-3', ['billing-manager']);
const bm4 = person('bm-4', ['billing-manager']);

const stores: [string, () => Stores][] = [
  ['memory', () => memoryStores()],
  ['redis', () => redisStores(clients[clients.push(new Redis(redis.url)) - 1]!)],
];

describe.each(stores)('supersede at once (%s store)', (_name, make) => {
  it('applying one change supersedes its pending competitors in the same commit, each with a change.superseded record', async () => {
    const { governance: store, audit } = make();
    const svc = governanceOn(store);
    const tenant = `t${Math.random().toString(36).slice(2, 8)}`;
    const as = (p: typeof bm) => ({ ...p, tenant });
    const propose = async (amount: number, by = bm) =>
      (await updateSetting(svc, as(by), { key, environment: 'PRODUCTION', value: { amount, currency: 'USD' }, reason: `to ${amount}` }))
        .change.id;
    const winner = await propose(900);
    const losers = [await propose(500, bm3), await propose(300, bm4)];
    // Another environment's change of the same key is not a competitor.
    const staging = (
      await updateSetting(svc, as(bm), { key, environment: 'STAGING', value: { amount: 50, currency: 'USD' }, reason: 'staging' })
    ).change;

    await approveChange(svc, as(bm2), winner);
    const applied = await approveChange(svc, as(sec), winner);
    expect(applied.status).toBe('APPLIED');

    for (const id of losers) {
      const stored = await store.getChange(tenant, id);
      expect(stored?.change).toMatchObject({ status: 'SUPERSEDED', superseded: { currentVersion: 1 } });
    }
    const stagingNow = (await store.getChange(tenant, staging.id))!.change;
    expect(stagingNow.status).toBe(staging.status);
    const pending = await store.listChanges(tenant, { status: 'PENDING', environment: 'PRODUCTION' }, 100);
    expect(pending.map((c) => c.id)).toEqual([]);

    const meta = await audit.meta(tenant);
    const events = (await audit.records(tenant, 1, meta.headSeq))
      .flatMap((r) => (JSON.parse(JSON.parse(r).body) as { events: { action: string; changeId: string }[] }).events);
    for (const id of losers) expect(events.filter((e) => e.action === 'change.superseded' && e.changeId === id)).toHaveLength(1);
    // Approving a superseded change is refused as not pending: nothing applies over the winner.
    await expect(approveChange(svc, as(bm2), losers[0]!)).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect((await currentSetting(svc, tenant, key, 'PRODUCTION')).value).toEqual({ amount: 900, currency: 'USD' });
  });
});
