import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStores, redisStores } from '../../src/stores/create-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { RedisServer } from '../support/redis-server.js';

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
    const proposed = await svc.updateSetting(person('bm', ['billing-manager']), { key, environment: 'PRODUCTION', value, reason: 'fault test' });
    const id = proposed.change.id;
    await svc.approve(person('bm-2', ['billing-manager']), id);

    await server.stop();
    // Fails on the 2 s command timeout with STORE_UNAVAILABLE: a client that queued the command offline would wait
    // forever, and the test's own limit (30 s) ends it, so no clock is read here.
    await expect(svc.approve(person('sec', ['security-admin']), id)).rejects.toMatchObject({ extensions: { code: 'STORE_UNAVAILABLE' } });
    await expect(svc.updateSetting(person('bm', ['billing-manager']), { key, environment: 'STAGING', value, reason: 'x' })).rejects.toMatchObject({
      extensions: { code: 'STORE_UNAVAILABLE' },
    });

    await server.start();
    // The client reconnects by itself; the change is still pending, with the one approval it had.
    let change = null;
    for (let i = 0; i < 50 && !change; i++) {
      change = await svc.changeRequest(person('sec', ['security-admin']), id).catch(() => null);
      if (!change) await new Promise((r) => setTimeout(r, 100));
    }
    expect(change).toMatchObject({ status: 'PENDING' });
    expect(change?.approvals.map((a) => a.sub)).toEqual(['bm-2']);
    expect(await svc.settingHistory('acme', key, 'STAGING')).toEqual([]);

    expect((await svc.approve(person('sec', ['security-admin']), id)).status).toBe('APPLIED');
    expect((await svc.settingHistory('acme', key, 'PRODUCTION')).map((h) => h.version)).toEqual([1]);
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
    const proposed = await a.updateSetting(person('eng-1', ['integration-engineer']), { key: 'integration.ehr.writeBackEnabled', environment: 'PRODUCTION', value: true, reason: 'go-live' });
    const id = proposed.change.id;
    await a.approve(person('eng-2', ['integration-engineer']), id);
    const approved = await a.approve(person('sec', ['security-admin']), id);
    expect(approved.status).toBe('APPROVED');
    await storeAStores.close();
    expect(await effects.get(`test:effect:${id}:apply`)).toBeNull();

    // Gateway B starts: its start-up sweep finishes the entry.
    const storeBStores = redisStores(new Redis(server.url));
    const storeB = storeBStores.governance;
    const b = governanceOn(storeB, { connectorEffects: (e) => count(e.idempotencyKey) });
    expect(await b.outbox.runAll()).toBeGreaterThanOrEqual(1);
    expect(await b.changeRequest(person('x', ['security-admin']), id)).toMatchObject({ status: 'APPLIED', appliedVersion: 1 });
    expect(await b.outbox.runAll()).toBe(0);
    expect(await effects.get(`test:effect:${id}:apply`)).toBe('1');
    expect((await b.settingHistory('acme', 'integration.ehr.writeBackEnabled', 'PRODUCTION')).map((h) => h.value)).toEqual([true]);
    await storeBStores.close();
    effects.disconnect();
  }, 30_000);
});
