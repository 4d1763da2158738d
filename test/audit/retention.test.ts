import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { retentionDaysOf, trimAuditLog } from '../../src/services/audit/retention.js';
import { DEFAULT_APPROVAL_RULES } from '../../src/governance/approval-rules.js';
import { functionsFromPolicy } from '../../src/governance/functions.js';
import { redisStores } from '../../src/stores/create-store.js';
import { tenantKeys } from '../../src/stores/redis-keys.js';
import { RedisServer } from '../support/redis-server.js';
import type { GovernanceDeps } from '../../src/services/governance/deps.js';
import { KeyedLock } from '../../src/services/governance/keyed-lock.js';
import { phiReadEvent } from '../support/audit-events.js';

// Retention on the Redis store: never removes unverified or unexported records without saying so, signs the new
// anchor before trimming, and leaves a log that still verifies.

const NOW = Date.parse('2032-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const RETENTION = 2190;

let server: RedisServer;
let redis: Redis;
let audit: AuditService;
let n = 0;

const event = phiReadEvent;

/** A tenant with `old` records past retention, then `recent` ones within it. */
async function tenantWith(old: number, recent: number): Promise<string> {
  const tenant = `r${n++}`;
  for (let i = 0; i < old; i++) await audit.write(tenant, [event(tenant, NOW - (RETENTION + 30) * DAY + i * 60_000, i)]);
  for (let i = 0; i < recent; i++) await audit.write(tenant, [event(tenant, NOW - 10 * DAY + i * 60_000, old + i)]);
  return tenant;
}

const trim = (tenant: string, force = false) => trimAuditLog(audit, { tenant, retentionDays: RETENTION, now: NOW, force });

beforeAll(async () => {
  server = await RedisServer.start();
  redis = server.client();
  audit = new AuditService({ stores: redisStores(server.client()), hmacKey: 'retention-key', now: () => NOW });
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('audit retention trim', () => {
  it('refuses to remove records past retention that were never exported, and says how many', async () => {
    const t = await tenantWith(5, 2);
    const r = await trim(t);
    expect(r).toMatchObject({ status: 'nothing-to-trim', removed: 0, unexportedKept: 5, unexportedRemoved: 0, checkpoint: null });
    expect(await audit.meta(t)).toMatchObject({ firstSeq: 1, headSeq: 7 });
  });

  it('removes exported records past retention, keeps the rest, and the chain still verifies', async () => {
    const t = await tenantWith(5, 2);
    await audit.markExported(t, 3);
    const r = await trim(t);
    expect(r).toMatchObject({
      status: 'trimmed',
      removed: 3,
      uptoSeq: 3,
      unexportedKept: 2,
      unexportedRemoved: 0,
      verifyAfter: { ok: true, firstSeq: 4, headSeq: 7, records: 4 },
    });
    // The new anchor was signed (and it is what verification now starts from).
    expect((await audit.checkpoints(t)).map((c) => c.seq)).toContain(3);
    expect(await audit.verify(t)).toMatchObject({ ok: true, firstSeq: 4 });
    expect(await redis.llen(tenantKeys(t).audit)).toBe(4);

    // Records within retention stay even when exported.
    await audit.markExported(t, 7);
    expect(await trim(t)).toMatchObject({
      status: 'trimmed',
      removed: 2,
      uptoSeq: 5,
      unexportedKept: 0,
      verifyAfter: { ok: true, firstSeq: 6, records: 2 },
    });
    expect(await trim(t)).toMatchObject({ status: 'nothing-to-trim', removed: 0 });
  });

  it('--force removes unexported records past retention and reports them', async () => {
    const t = await tenantWith(4, 1);
    await audit.markExported(t, 1);
    expect(await trim(t, true)).toMatchObject({
      status: 'trimmed',
      removed: 4,
      unexportedRemoved: 3,
      unexportedKept: 0,
      verifyAfter: { ok: true, firstSeq: 5 },
    });
  });

  it('refuses to trim a broken log: nothing is removed', async () => {
    const t = await tenantWith(4, 1);
    await audit.markExported(t, 5);
    const raw = (await redis.lindex(tenantKeys(t).audit, 1))!;
    await redis.lset(tenantKeys(t).audit, 1, raw.replace('p1', 'p9'));
    expect(await trim(t, true)).toMatchObject({ status: 'refused', reason: 'BROKEN_CHAIN', verify: { seq: 2, problem: 'BODY_ALTERED' } });
    expect(await audit.meta(t)).toMatchObject({ firstSeq: 1 });
  });

  it('after a trim, moving the anchor by hand is caught', async () => {
    const t = await tenantWith(3, 1);
    await audit.markExported(t, 4);
    await trim(t);
    await redis.hset(tenantKeys(t).auditMeta, 'anchor', 'f'.repeat(64));
    expect(await audit.verify(t)).toMatchObject({ ok: false, seq: 4 });
  });

  it('reads the retention from the governed setting audit.retentionDays (PRODUCTION)', async () => {
    const svc: GovernanceDeps = {
      store: redisStores(server.client()).governance,
      rules: DEFAULT_APPROVAL_RULES,
      functionsOf: functionsFromPolicy(defaultPolicy()),
      now: () => NOW,
      newId: () => randomUUID(),
      locks: new KeyedLock(),
    };
    expect(await retentionDaysOf(svc, 'acme')).toBe(2190);
  });
});
