import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { redisStores } from '../../src/stores/create-store.js';
import { tenantKeys } from '../../src/stores/redis-keys.js';
import { RedisServer } from '../support/redis-server.js';
import { phiReadEvent } from '../support/audit-events.js';

// Tamper with the audit log by hand in Redis, as an insider with store access would, and check that `verify`
// fails at exactly the record that was touched.
let server: RedisServer;
let redis: Redis;
let audit: AuditService;
let tenant: string;
let n = 0;
const KEY = 'test-hmac-key';

const event = (i: number) => phiReadEvent(tenant, 1_700_000_000_000 + i, i);

beforeAll(async () => {
  server = await RedisServer.start();
  redis = server.client();
  audit = new AuditService({ stores: redisStores(server.client()), hmacKey: KEY, now: () => Date.now() });
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  tenant = `t${n++}`;
  for (let i = 1; i <= 10; i++) await audit.write(tenant, [event(i)]);
  await audit.checkpoint(tenant);
});

const list = () => tenantKeys(tenant).audit;

describe('audit verify against hand edits in Redis', () => {
  it('an untouched log verifies', async () => {
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 10, headSeq: 10, checkpointsVerified: 1 });
  });

  it('editing a record body fails at that record', async () => {
    const raw = (await redis.lindex(list(), 4))!;
    await redis.lset(list(), 4, raw.replace('p5', 'p9'));
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 5, problem: 'BODY_ALTERED' });
  });

  it('editing a body and recomputing its hashes (without the HMAC key) still fails at that record', async () => {
    const { sha256Hex, chainHash } = await import('../../src/audit/chain.js');
    const rec = JSON.parse((await redis.lindex(list(), 4))!) as { seq: number; prev: string; body: string; bodyHash: string; hash: string };
    rec.body = rec.body.replace('p5', 'p9');
    rec.bodyHash = sha256Hex(rec.body);
    rec.hash = chainHash(rec.prev, rec.bodyHash);
    await redis.lset(list(), 4, JSON.stringify(rec));
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 5, problem: 'REWRITTEN' });
  });

  it('deleting a record fails at the gap', async () => {
    const raw = (await redis.lindex(list(), 6))!;
    await redis.lrem(list(), 1, raw);
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 8, problem: 'MISSING_OR_REORDERED' });
  });

  it('deleting the newest record fails at the head', async () => {
    await redis.rpop(list());
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 10, problem: 'HEAD_MISMATCH' });
  });

  it('swapping two records fails at the first moved one', async () => {
    const a = (await redis.lindex(list(), 2))!;
    const b = (await redis.lindex(list(), 3))!;
    await redis.lset(list(), 2, b);
    await redis.lset(list(), 3, a);
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 4, problem: 'MISSING_OR_REORDERED' });
  });

  it('rewriting the whole tail with recomputed hashes is caught by the signed checkpoint', async () => {
    const { sha256Hex, chainHash } = await import('../../src/audit/chain.js');
    let prev = (JSON.parse((await redis.lindex(list(), 3))!) as { hash: string }).hash;
    for (let i = 4; i < 10; i++) {
      const rec = JSON.parse((await redis.lindex(list(), i))!) as { prev: string; body: string; bodyHash: string; hash: string };
      if (i === 4) rec.body = rec.body.replace('p5', 'p9');
      rec.prev = prev;
      rec.bodyHash = sha256Hex(rec.body);
      rec.hash = chainHash(prev, rec.bodyHash);
      prev = rec.hash;
      await redis.lset(list(), i, JSON.stringify(rec));
    }
    await redis.hset(tenantKeys(tenant).auditMeta, 'hash', prev);
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 10, problem: 'CHECKPOINT_MISMATCH' });
  });

  it('a forged checkpoint fails its signature', async () => {
    const cp = JSON.parse((await redis.lindex(tenantKeys(tenant).auditCheckpoints, 0))!) as Record<string, unknown>;
    await redis.lset(tenantKeys(tenant).auditCheckpoints, 0, JSON.stringify({ ...cp, hash: 'f'.repeat(64) }));
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 10, problem: 'CHECKPOINT_SIGNATURE' });
  });
});
