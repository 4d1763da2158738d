import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStores } from '../../src/stores/create-store.js';
import { tenantKeys } from '../../src/stores/redis-keys.js';
import type { Stores } from '../../src/stores/stores.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { RedisCluster } from '../support/redis-cluster.js';
import { auditLogContract } from './audit-log-contract.js';
import { governanceStoreContract } from './governance-store-contract.js';
import { idempotencyStoreContract } from './idempotency-store-contract.js';
import { leaseStoreContract } from './lease-store-contract.js';
import { usageStoreContract } from './usage-store-contract.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import { settingHistory } from '../../src/services/governance/reads.js';

// The same contracts and the same race on a 3-node Redis Cluster: every script's keys share the tenant hash tag.
let cluster: RedisCluster;
const clients: Cluster[] = [];
const opened: Stores[] = [];
const open = () => {
  const c = cluster.client();
  clients.push(c);
  const s = redisStores(c);
  opened.push(s);
  return s;
};
const store = () => open().governance;
beforeAll(async () => {
  cluster = await RedisCluster.start();
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await cluster.stop();
});

const prefix = `cl-${Date.now()}`;
/** A store written by a version without the open-change index: its keys (one slot) deleted. */
const forgetOpenIndex = async (tenant: string) => {
  const k = tenantKeys(tenant);
  const c = cluster.client();
  await c.del(k.openChangeIndex, k.openChangeIndexBuilt);
  c.disconnect();
};
governanceStoreContract('redis cluster', async () => store(), prefix, forgetOpenIndex);
auditLogContract('redis cluster', async () => open(), prefix);
idempotencyStoreContract('redis cluster', async () => open().idempotency, prefix);
usageStoreContract('redis cluster', async () => open().usage, prefix);
leaseStoreContract('redis cluster', async () => open().leases, prefix);

describe('redis cluster: concurrent approvals from two gateway instances', () => {
  it('50 approvers, two connections: one apply, one version increment', async () => {
    const tenants = ['acme', 'globex', 'initech']; // spread over slots: each tenant's keys live on one node
    for (const tenant of tenants) {
      const a = governanceOn(store());
      const b = governanceOn(store());
      const proposed = await updateSetting(a, person('bm', ['billing-manager'], true, tenant), {
        key: 'billing.refundThreshold', environment: 'PRODUCTION', value: { amount: 500, currency: 'USD' }, reason: 'cluster race',
      });
      const id = proposed.change.id;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const svc = i % 2 ? a : b;
          const role = i % 4 < 2 ? 'billing-manager' : 'security-admin';
          return approveChange(svc, person(`ap-${i}`, [role], true, tenant), id).then((c) => c.status, () => 'refused');
        }),
      );
      expect(results.filter((r) => r === 'APPLIED')).toHaveLength(1);
      expect((await settingHistory(a, tenant, 'billing.refundThreshold', 'PRODUCTION')).map((h) => h.version)).toEqual([1]);
    }
  }, 60_000);
});
