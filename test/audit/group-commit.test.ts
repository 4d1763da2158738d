import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { AuditUnavailableError } from '../../src/errors/errors.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { memoryStores, redisStores } from '../../src/stores/create-store.js';
import type { CommitOp } from '../../src/stores/governance-store.js';
import type { Stores } from '../../src/stores/stores.js';
import { phiReadEvent } from '../support/audit-events.js';
import { RedisServer } from '../support/redis-server.js';

// Group commit (src/services/audit/audit-service.ts write): the records written in one turn of the event loop go to
// the store in one commit, each still its own record and chain link, in the order written; a writer is answered only
// once its record is committed, and a failed commit fails every writer in it and leaves none of its records.

/** The stores with their commits counted (the ops of each), and a switch that makes the next commits throw. */
function countingStores(inner: Stores) {
  const commits: (readonly CommitOp[])[] = [];
  let failing = false;
  const governance = new Proxy(inner.governance, {
    get(target, prop) {
      if (prop === 'commit') {
        return async (tenant: string, ops: readonly CommitOp[]) => {
          commits.push(ops);
          if (failing) throw new Error('store went away');
          return target.commit(tenant, ops);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { stores: Object.freeze({ ...inner, governance }), commits, failNext: (on: boolean) => void (failing = on) };
}

const patientsOf = async (stores: Stores, tenant: string) => {
  const meta = await stores.audit.meta(tenant);
  const raw = await stores.audit.records(tenant, meta.firstSeq, 10_000);
  return raw.map((r) => {
    const { seq, body } = JSON.parse(r) as { seq: number; body: string };
    const { events } = JSON.parse(body) as { events: { patientId: string }[] };
    return { seq, patient: events[0]!.patientId };
  });
};

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis.stop();
});

describe.each([
  ['memory', () => memoryStores()],
  ['redis', () => redisStores(redis.client())],
])('audit group commit (%s store)', (_name, make) => {
  let n = 0;
  const setup = () => {
    const counted = countingStores(make());
    const audit = new AuditService({ stores: counted.stores, hmacKey: 'k', now: () => Date.now() });
    return { ...counted, audit, tenant: `gc-${_name}-${n++}` };
  };
  const event = (tenant: string, i: number) => phiReadEvent(tenant, 1_700_000_000_000 + i, i);

  it('writes of one turn are one commit: every record its own link, in the order written, and the chain verifies', async () => {
    const { audit, commits, stores, tenant } = setup();
    await Promise.all(Array.from({ length: 7 }, (_, i) => audit.write(tenant, [event(tenant, i)])));
    expect(commits.map((ops) => ops.length)).toEqual([7]);
    expect(await patientsOf(stores, tenant)).toEqual(Array.from({ length: 7 }, (_, i) => ({ seq: i + 1, patient: `p${i}` })));
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 7 });
  });

  it('writes of different turns are different commits (a writer never waits for a later one)', async () => {
    const { audit, commits, tenant } = setup();
    for (let i = 0; i < 3; i++) await audit.write(tenant, [event(tenant, i)]);
    expect(commits.map((ops) => ops.length)).toEqual([1, 1, 1]);
  });

  it('a writer is answered only once its record is in the log', async () => {
    const { audit, stores, tenant } = setup();
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 3 }, async (_, i) => {
        await audit.write(tenant, [event(tenant, i)]);
        seen.push((await stores.audit.meta(tenant)).headSeq);
      }),
    );
    expect(seen.every((headSeq) => headSeq === 3)).toBe(true);
  });

  it('more writes than one group holds (256) go in several commits, in order', async () => {
    const { audit, commits, stores, tenant } = setup();
    await Promise.all(Array.from({ length: 600 }, (_, i) => audit.write(tenant, [event(tenant, i)])));
    expect(commits.map((ops) => ops.length)).toEqual([256, 256, 88]);
    expect((await patientsOf(stores, tenant)).map((r) => r.patient)).toEqual(Array.from({ length: 600 }, (_, i) => `p${i}`));
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 600 });
  });

  it('a failed commit fails every writer in it (AUDIT_UNAVAILABLE) and leaves none of its records; the next turn writes', async () => {
    const { audit, failNext, stores, tenant } = setup();
    await audit.write(tenant, [event(tenant, 0)]);
    failNext(true);
    const failed = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => audit.write(tenant, [event(tenant, 10 + i)])));
    expect(failed.map((r) => r.status === 'rejected' && r.reason instanceof AuditUnavailableError)).toEqual([true, true, true, true]);
    failNext(false);
    await audit.write(tenant, [event(tenant, 20)]);
    expect(await patientsOf(stores, tenant)).toEqual([
      { seq: 1, patient: 'p0' },
      { seq: 2, patient: 'p20' },
    ]);
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 2 });
  });

  it('a record that cannot be serialized fails its own writer only', async () => {
    const { audit, stores, tenant } = setup();
    const bad = { ...event(tenant, 1), detail: { n: BigInt(1) } } as unknown as AuditEvent;
    const settled = await Promise.allSettled([
      audit.write(tenant, [event(tenant, 0)]),
      audit.write(tenant, [bad]),
      audit.write(tenant, [event(tenant, 2)]),
    ]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(AuditUnavailableError);
    expect((await patientsOf(stores, tenant)).map((r) => r.patient)).toEqual(['p0', 'p2']);
  });

  it('each tenant has its own commit (its own chain)', async () => {
    const { audit, commits, tenant } = setup();
    const other = `${tenant}-other`;
    await Promise.all([
      audit.write(tenant, [event(tenant, 1)]),
      audit.write(other, [event(other, 1)]),
      audit.write(tenant, [event(tenant, 2)]),
    ]);
    expect(commits.map((ops) => ops.length).sort()).toEqual([1, 2]);
  });
});
