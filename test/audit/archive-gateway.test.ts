import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { ARCHIVE_ROLE, migrateAuditArchive } from '../../src/stores/postgres-audit-schema.js';
import { startHarness, type Harness } from '../support/harness.js';
import { PostgresServer } from '../support/postgres-server.js';
import { RedisServer } from '../support/redis-server.js';

// The real gateway with REDIS_URL and AUDIT_ARCHIVE_URL: it says where its log lives, reads one log across the
// archive and the hot window over GraphQL, and reports the archive's gap on /readyz while PostgreSQL is down.

let redis: RedisServer;
let postgres: PostgresServer;
let h: Harness;
let sec: string;

const read = (i: number): AuditEvent => ({
  category: 'phi-read',
  at: new Date(Date.now() - 1_000 + i).toISOString(),
  tenant: 'acme',
  action: 'phi.read',
  outcome: 'success',
  actor: { sub: 'clin-1', roles: ['clinician'] },
  patientId: `pat-${i}`,
  dataClasses: ['notes'],
  fields: ['Patient.notes'],
  operation: 'Q',
  breakGlass: false,
});

const readyz = async () =>
  (await (await fetch(h.url.replace('/graphql', '/readyz'))).json()) as {
    status: string;
    auditArchive: { pendingRecords: number; lastError: string | null };
  };
const VERIFY = '{ auditVerify { ok storage archivedThrough records headSeq problem seq } }';
/** The same figure on /metrics (issue 17): clearance_audit_archive_pending_records. */
const pendingMetric = async () => {
  const text = await (await fetch(h.url.replace('/graphql', '/metrics'))).text();
  return Number(/^clearance_audit_archive_pending_records (\d+)$/m.exec(text)?.[1] ?? NaN);
};

beforeAll(async () => {
  [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  await migrateAuditArchive(postgres.ownerUrl, 'pw');
  h = await startHarness({ env: { REDIS_URL: redis.url, AUDIT_ARCHIVE_URL: postgres.urlFor(ARCHIVE_ROLE, 'pw'), AUDIT_HOT_RECORDS: '3' } });
  sec = await h.token({ roles: ['security-admin'] });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await redis?.stop();
  await postgres?.destroy();
});

describe('gateway with a PostgreSQL audit archive', () => {
  it('says so at start-up and in auditVerify, and reads one log across archive and hot window', async () => {
    expect(h.logLines.some((l) => l.includes('audit log: Redis hot window, PostgreSQL archive'))).toBe(true);
    for (let i = 1; i <= 12; i++) await h.running.audit.write('acme', [read(i)]);
    await h.running.auditArchiver!.runAll();
    const v = (await h.gql<{ auditVerify: Record<string, unknown> }>(sec, VERIFY)).body.data!.auditVerify;
    expect(v).toMatchObject({ ok: true, storage: 'REDIS_POSTGRESQL', problem: null });
    expect(v.archivedThrough).toBe((v.headSeq as number) - 3);
    const found = await h.gql<{ auditEvents: { edges: { node: { seq: number; patientId: string } }[] } }>(
      sec,
      '{ auditEvents(filter: { patientId: "pat-2" }) { edges { node { seq patientId } } } }',
    );
    expect(found.body.data!.auditEvents.edges.map((e) => e.node.patientId)).toEqual(['pat-2']);
    expect(found.body.data!.auditEvents.edges[0]!.node.seq).toBeLessThanOrEqual(v.archivedThrough as number);
  });

  it('PostgreSQL down: writes go on, /readyz reports the gap (still ready), and it closes once PostgreSQL is back', async () => {
    expect((await readyz()).auditArchive).toMatchObject({ pendingRecords: 0, lastError: null });
    await postgres.stop();
    try {
      for (let i = 20; i < 30; i++) await h.running.audit.write('acme', [read(i)]);
      await h.running.auditArchiver!.runAll();
      const r = await readyz();
      expect(r.status).toBe('ready');
      expect(r.auditArchive.pendingRecords).toBeGreaterThanOrEqual(10);
      expect(await pendingMetric()).toBe(r.auditArchive.pendingRecords);
      expect(r.auditArchive.lastError).toMatch(/postgres is unavailable/);
    } finally {
      await postgres.start();
    }
    await h.running.auditArchiver!.runAll();
    expect((await readyz()).auditArchive).toMatchObject({ pendingRecords: 0, lastError: null });
    expect(await pendingMetric()).toBe(0);
    expect((await h.gql<{ auditVerify: Record<string, unknown> }>(sec, VERIFY)).body.data!.auditVerify).toMatchObject({ ok: true });
  }, 60_000);
});
