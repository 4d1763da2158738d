import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores, redisStores } from '../../src/stores/create-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { RedisServer } from '../support/redis-server.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';
import { findChangeRequest, settingHistory } from '../../src/services/governance/reads.js';
import { runOutbox } from '../../src/services/governance/outbox-worker.js';

// Redis with AOF fsync on every write, as in production, killed with SIGKILL mid-scenario and restarted on the same
// port: the gateway fails closed while it is away and nothing is lost or applied twice once it is back.
let server: RedisServer;
beforeAll(async () => {
  server = await RedisServer.start(['--appendonly', 'yes', '--appendfsync', 'always']);
});
afterAll(() => server.stop());

const key = 'billing.refundThreshold';
const value = { amount: 900, currency: 'USD' };

describe('Redis down during an approval', () => {
  it('fails closed with STORE_UNAVAILABLE, keeps the change pending, and applies it once after Redis is back', async () => {
    const stores = await createStores(server.url);
    const store = stores.governance;
    const svc = governanceOn(store);
    const proposed = await updateSetting(svc, person('bm', ['billing-manager']), {
      key,
      environment: 'PRODUCTION',
      value,
      reason: 'fault test',
    });
    const id = proposed.change.id;
    await approveChange(svc, person('bm-2', ['billing-manager']), id);

    await server.stop();
    // Fails on the 2 s command timeout with STORE_UNAVAILABLE: a client that queued the command offline would wait
    // forever, and the test's own limit (30 s) ends it, so no clock is read here.
    await expect(approveChange(svc, person('sec', ['security-admin']), id)).rejects.toMatchObject({
      extensions: { code: 'STORE_UNAVAILABLE' },
    });
    const update = updateSetting(svc, person('bm', ['billing-manager']), { key, environment: 'STAGING', value, reason: 'x' });
    await expect(update).rejects.toMatchObject({ extensions: { code: 'STORE_UNAVAILABLE' } });

    await server.start();
    // The client reconnects by itself; the change is still pending, with the one approval it had.
    let change = null;
    for (let i = 0; i < 50 && !change; i++) {
      change = await findChangeRequest(svc, person('sec', ['security-admin']), id).catch(() => null);
      if (!change) await new Promise((r) => setTimeout(r, 100));
    }
    expect(change).toMatchObject({ status: 'PENDING' });
    expect(change?.approvals.map((a) => a.sub)).toEqual(['bm-2']);
    expect(await settingHistory(svc, 'acme', key, 'STAGING')).toEqual([]);

    expect((await approveChange(svc, person('sec', ['security-admin']), id)).status).toBe('APPLIED');
    expect((await settingHistory(svc, 'acme', key, 'PRODUCTION')).map((h) => h.version)).toEqual([1]);
    await stores.close();
  }, 30_000);
});

describe('crash between the approval and the outbox effect', () => {
  it('a restarted gateway finishes it: APPLIED once, the effect run once', async () => {
    const effects = new Redis(server.url);
    const count = async (k: string) => void (await effects.incr(`test:effect:${k}`));

    // Gateway A commits the final approval and its outbox entry, then "crashes" before running the effect.
    const storeAStores = redisStores(new Redis(server.url));
    const storeA = storeAStores.governance;
    const a = governanceOn(storeA, { processOutboxInline: false, connectorEffects: (e) => count(e.idempotencyKey) });
    const proposed = await updateSetting(a, person('eng-1', ['integration-engineer']), {
      key: 'integration.ehr.writeBackEnabled',
      environment: 'PRODUCTION',
      value: true,
      reason: 'go-live',
    });
    const id = proposed.change.id;
    await approveChange(a, person('eng-2', ['integration-engineer']), id);
    const approved = await approveChange(a, person('sec', ['security-admin']), id);
    expect(approved.status).toBe('APPROVED');
    await storeAStores.close();
    expect(await effects.get(`test:effect:${id}:apply`)).toBeNull();

    // Gateway B starts: its start-up sweep finishes the entry.
    const storeBStores = redisStores(new Redis(server.url));
    const storeB = storeBStores.governance;
    const b = governanceOn(storeB, { connectorEffects: (e) => count(e.idempotencyKey) });
    expect(await runOutbox(b)).toBeGreaterThanOrEqual(1);
    expect(await findChangeRequest(b, person('x', ['security-admin']), id)).toMatchObject({ status: 'APPLIED', appliedVersion: 1 });
    expect(await runOutbox(b)).toBe(0);
    expect(await effects.get(`test:effect:${id}:apply`)).toBe('1');
    expect((await settingHistory(b, 'acme', 'integration.ehr.writeBackEnabled', 'PRODUCTION')).map((h) => h.value)).toEqual([true]);
    await storeBStores.close();
    effects.disconnect();
  }, 30_000);
});
