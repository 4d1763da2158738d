import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStores } from '../../src/stores/create-store.js';
import { tenantKeys } from '../../src/stores/redis-keys.js';
import type { Stores } from '../../src/stores/stores.js';
import { RedisServer } from '../support/redis-server.js';
import { auditLogContract } from './audit-log-contract.js';
import { governanceStoreContract, inStatus, STATUSES } from './governance-store-contract.js';
import { idempotencyStoreContract } from './idempotency-store-contract.js';
import { leaseStoreContract } from './lease-store-contract.js';
import { usageStoreContract } from './usage-store-contract.js';

// Every store contract against the Redis implementations, on a real redis-server.

let server: RedisServer;
const opened: Stores[] = [];
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await server.stop();
});

const make = async () => {
  const s = redisStores(server.client());
  opened.push(s);
  return s;
};
const prefix = `r-${Date.now()}`;
/** A store written by a version without the open-change index: its keys deleted. */
const forgetOpenIndex = async (tenant: string) => {
  const k = tenantKeys(tenant);
  const c = server.client();
  await c.del(k.openChangeIndex, k.openChangeIndexBuilt);
  c.disconnect();
};
governanceStoreContract('redis', async () => (await make()).governance, prefix, forgetOpenIndex);
auditLogContract('redis', make, prefix);
idempotencyStoreContract('redis', async () => (await make()).idempotency, prefix);
usageStoreContract('redis', async () => (await make()).usage, prefix);
leaseStoreContract('redis', async () => (await make()).leases, prefix);

// What the contract cannot see: the index holds exactly the open changes. A finished change left in it would not show
// in a listing (the stored status is checked again), but the index would grow with the history it exists to avoid.
describe('redis: the open-change index', () => {
  it('holds exactly the open changes, after commits in every status and after a backfill', async () => {
    const s = (await make()).governance;
    const t = `${prefix}-open-index-keys`;
    const k = tenantKeys(t);
    const c = server.client();
    // The changes it holds (its OPEN_INDEX_BUILT member, scored -1, says it is whole).
    const indexed = async () => (await c.zrangebyscore(k.openChangeIndex, 0, '+inf')).sort();
    for (const [i, status] of STATUSES.entries()) {
      await s.commit(t, [{ type: 'put-change', change: inStatus(`c${i}`, status), expectedRev: 0 }]);
    }
    expect(await indexed()).toEqual(['c0', 'c1']);
    // Each open change moves to each finished status in turn and back: the index follows every move.
    let rev = 1;
    for (const status of STATUSES.slice(2)) {
      await s.commit(t, [{ type: 'put-change', change: inStatus('c0', status), expectedRev: rev++ }]);
      expect(await indexed()).toEqual(['c1']);
      await s.commit(t, [{ type: 'put-change', change: inStatus('c0', 'PENDING'), expectedRev: rev++ }]);
      expect(await indexed()).toEqual(['c0', 'c1']);
    }
    // A store written without the index: the backfill builds it.
    await c.del(k.openChangeIndex, k.openChangeIndexBuilt);
    expect((await s.listChanges(t, { status: 'APPROVED' }, 10)).map((ch) => ch.id)).toEqual(['c1']);
    expect(await indexed()).toEqual(['c0', 'c1']);
    expect(await c.get(k.openChangeIndexBuilt)).toBe('done');
    // An index a replica without it wrote past (rolling upgrade: an open change missing, a finished one left): running
    // the backfill again (its marker deleted, README "Production setup") repairs both.
    await c.zrem(k.openChangeIndex, 'c1');
    await c.zadd(k.openChangeIndex, 0, 'c2');
    await c.del(k.openChangeIndexBuilt);
    expect((await s.listChanges(t, { status: 'APPROVED' }, 10)).map((ch) => ch.id)).toEqual(['c1']);
    expect(await indexed()).toEqual(['c0', 'c1']);
    // Scored like the change index (the creation time), so listings keep their order.
    expect(await c.zscore(k.openChangeIndex, 'c0')).toBe(await c.zscore(k.changeIndex, 'c0'));
    c.disconnect();
  });

  it('never loses an open change when the index alone is lost (deleted, evicted) under a done backfill marker', async () => {
    // Found by the issue 17 attack round: with the marker left at `done`, deleting the index key listed no PENDING
    // change at all (the queue emptied, and the cap and the competitors' supersession read the same listing).
    const s = (await make()).governance;
    const t = `${prefix}-open-index-lost`;
    const k = tenantKeys(t);
    const c = server.client();
    await s.commit(t, [{ type: 'put-change', change: inStatus('p1', 'PENDING'), expectedRev: 0 }]);
    expect((await s.listChanges(t, { status: 'PENDING' }, 10)).map((ch) => ch.id)).toEqual(['p1']);
    expect(await c.get(k.openChangeIndexBuilt)).toBe('done');
    await c.del(k.openChangeIndex);
    expect((await s.listChanges(t, { status: 'PENDING' }, 10)).map((ch) => ch.id)).toEqual(['p1']);
    // And a commit written after the loss (the index key created again by it) does not hide the older open change.
    await c.del(k.openChangeIndex);
    await s.commit(t, [{ type: 'put-change', change: inStatus('p2', 'PENDING'), expectedRev: 0 }]);
    expect((await s.listChanges(t, { status: 'PENDING' }, 10)).map((ch) => ch.id).sort()).toEqual(['p1', 'p2']);
    // An index emptied by its changes finishing is not lost: nothing is rebuilt, nothing listed.
    await s.commit(t, [{ type: 'put-change', change: inStatus('p1', 'REJECTED'), expectedRev: 1 }]);
    await s.commit(t, [{ type: 'put-change', change: inStatus('p2', 'REJECTED'), expectedRev: 1 }]);
    expect(await s.listChanges(t, { status: 'PENDING' }, 10)).toEqual([]);
    c.disconnect();
  });
});
