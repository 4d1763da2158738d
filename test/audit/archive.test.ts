import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { exportAuditEvents } from '../../src/services/audit/audit-export.js';
import { dropExpiredArchive } from '../../src/services/audit/archive-retention.js';
import { retentionDaysOf } from '../../src/services/audit/retention.js';
import { AuditArchiver } from '../../src/services/audit/audit-archiver.js';
import { searchAuditEvents } from '../../src/services/audit/audit-query.js';
import { AuditService } from '../../src/services/audit/audit-service.js';
import { createLogger } from '../../src/server/logger.js';
import type { AuditArchive } from '../../src/stores/audit-archive.js';
import { PostgresAuditArchive } from '../../src/stores/postgres-audit-archive.js';
import { ARCHIVE_ROLE, PostgresAuditArchiveOwner, migrateAuditArchive } from '../../src/stores/postgres-audit-schema.js';
import { StoreUnavailableError } from '../../src/errors/errors.js';
import { redisStores } from '../../src/stores/create-store.js';
import { governanceOn, person } from '../support/governance-fixtures.js';
import { PostgresServer } from '../support/postgres-server.js';
import { RedisServer } from '../support/redis-server.js';
import { updateSetting } from '../../src/services/governance/setting-proposals.js';
import { approveChange } from '../../src/services/governance/transition.js';

// The PostgreSQL archive behind the Redis hot window, against a real Redis and a real PostgreSQL 15: one log to the
// reader, an archive role that can only append, a crash between copy and trim, PostgreSQL down, and tampering in the
// archive by someone with the owner's access.

const KEY = 'archive-test-key';
const PASSWORD = 'archive-pass';
const T0 = Date.parse('2026-01-10T00:00:00.000Z');
let redis: RedisServer;
let postgres: PostgresServer;
let archive: AuditArchive;
let audit: AuditService;
let n = 0;
let redisClient: Redis;
const logger = createLogger('silent');

/** A query as the owner (a fresh connection: PostgreSQL is stopped and restarted by one test). */
const owner = {
  async query<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    const c = new pg.Client({ connectionString: postgres.ownerUrl });
    await c.connect();
    try {
      return await c.query<R>(text, params);
    } finally {
      await c.end();
    }
  },
};

const event = (tenant: string, i: number): AuditEvent => ({
  category: 'phi-read',
  at: new Date(T0 + i * 3_600_000).toISOString(),
  tenant,
  action: 'phi.read',
  outcome: 'success',
  actor: { sub: `clin-${i % 3}`, roles: ['clinician'] },
  patientId: `p${i}`,
  dataClasses: ['notes'],
  fields: ['Patient.notes'],
  operation: 'Q',
  breakGlass: false,
});

const archiverFor = (tenant: string, maxRecords = 5): AuditArchiver =>
  new AuditArchiver({
    audit, archive, tenants: async () => [tenant], hot: { maxRecords, maxAgeMs: 1e15 }, now: () => T0, logger, segmentRecords: 7,
  });

async function tenantWith(records: number): Promise<string> {
  const tenant = `a${n++}`;
  for (let i = 1; i <= records; i++) await audit.write(tenant, [event(tenant, i)]);
  return tenant;
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  await migrateAuditArchive(postgres.ownerUrl, PASSWORD);
  await migrateAuditArchive(postgres.ownerUrl, PASSWORD); // idempotent
  archive = new PostgresAuditArchive(postgres.urlFor(ARCHIVE_ROLE, PASSWORD));
  redisClient = redis.client();
  audit = new AuditService({ stores: redisStores(redisClient), hmacKey: KEY, now: () => T0, archive });
}, 60_000);
afterAll(async () => {
  await archive?.close();
  redisClient?.disconnect();
  await redis?.stop();
  await postgres?.destroy();
});

describe('archiving sealed segments', () => {
  it('moves everything past the hot window, keeps one log to verify, search and export', async () => {
    const tenant = await tenantWith(30);
    expect(await archiverFor(tenant).runAll()).toBe(25);
    expect(await audit.hotMeta(tenant)).toMatchObject({ firstSeq: 26, headSeq: 30 });
    expect((await archive.meta(tenant)).headSeq).toBe(25);
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 30, firstSeq: 1, headSeq: 30 });
    const page = await searchAuditEvents(audit, tenant, { patientId: 'p3' }, 10);
    expect(page.events.map((e) => e.seq)).toEqual([3]);
    const all = await searchAuditEvents(audit, tenant, {}, 200);
    expect(all.events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    let out = '';
    const summary = await exportAuditEvents(
      audit,
      { tenant, format: 'ndjson', functionOfRole: () => undefined, now: () => T0 },
      async (c) => void (out += c),
    );
    expect(summary).toMatchObject({ records: 30, events: 30, coveredUpTo: 30 });
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Records land in month partitions of this tenant (30 hourly records from Jan 10: one month).
    const parts = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'clearance_audit_t_' || ` +
      `substr(md5($1), 1, 16)`,
      [tenant],
    );
    expect(parts.rows[0]?.n).toBe(1);
  });

  it('the hot window by count: a larger one keeps more in Redis', async () => {
    const tenant = await tenantWith(20);
    await archiverFor(tenant, 12).runAll();
    expect(await audit.hotMeta(tenant)).toMatchObject({ firstSeq: 9, headSeq: 20 });
  });

  it('the hot window by age: records older than maxAgeMs leave Redis, newer ones stay', async () => {
    const tenant = await tenantWith(20);
    // Records are one hour apart from T0; at T0 + 15 h with a 4-hour window, records 1..10 are older than the cutoff.
    const archiver = new AuditArchiver({
      audit, archive, tenants: async () => [tenant], hot: { maxRecords: 1_000, maxAgeMs: 4 * 3_600_000 }, now: () => T0 + 15 * 3_600_000,
      logger,
    });
    expect(await archiver.runAll()).toBe(10);
    expect(await audit.hotMeta(tenant)).toMatchObject({ firstSeq: 11, headSeq: 20 });
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 20 });
  });

  it('the archive role may insert and select, never update, delete, truncate or drop', async () => {
    const tenant = await tenantWith(10);
    await archiverFor(tenant).runAll();
    const role = new pg.Client({ connectionString: postgres.urlFor(ARCHIVE_ROLE, PASSWORD) });
    await role.connect();
    try {
      for (const sql of [
        `UPDATE clearance_audit_record SET raw = 'x' WHERE tenant = '${tenant}'`,
        `DELETE FROM clearance_audit_record WHERE tenant = '${tenant}'`,
        'TRUNCATE clearance_audit_record',
        `DELETE FROM clearance_audit_checkpoint WHERE tenant = '${tenant}'`,
        `INSERT INTO clearance_audit_anchor (tenant, first_seq, anchor_hash) VALUES ('${tenant}', 4, 'x')`,
        'DROP TABLE clearance_audit_record',
      ]) {
        await expect(role.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
      }
    } finally {
      await role.end();
    }
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 10 });
  });

  it('a crash between copy and trim: the restart finishes it once (nothing lost, nothing twice)', async () => {
    const tenant = await tenantWith(12);
    const archiver = archiverFor(tenant);
    await archiver.copyOnly(tenant); // copied 1..7 (one segment), then "crashed" before verify and trim
    expect(await audit.hotMeta(tenant)).toMatchObject({ firstSeq: 1 });
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 12 });
    expect(await archiverFor(tenant).runAll()).toBe(7);
    const rows = await owner.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d FROM clearance_audit_record WHERE tenant = $1',
      [tenant],
    );
    expect(rows.rows[0]).toEqual({ n: 7, d: 7 });
    expect(await audit.hotMeta(tenant)).toMatchObject({ firstSeq: 8, headSeq: 12 });
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 12 });
  });
});

describe('PostgreSQL down', () => {
  it('archiving pauses, Redis keeps appending, the gap is reported, and nothing is lost once it is back', async () => {
    const tenant = await tenantWith(10);
    const archiver = archiverFor(tenant);
    await archiver.runAll();
    expect(archiver.status()).toMatchObject({ pendingRecords: 0, lastError: null });
    await postgres.stop();
    try {
      for (let i = 11; i <= 20; i++) await audit.write(tenant, [event(tenant, i)]);
      expect(await archiver.runAll()).toBe(0);
      expect(archiver.status()).toMatchObject({ pendingRecords: 10, lastError: expect.any(String) });
      await expect(archive.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await postgres.start();
    }
    expect(await archiver.runAll()).toBe(10);
    expect(archiver.status()).toMatchObject({ pendingRecords: 0, lastError: null });
    expect(await audit.verify(tenant)).toMatchObject({ ok: true, records: 20 });
  }, 60_000);
});

describe('tampering in the archive (owner access) is named by verify', () => {
  async function archived(): Promise<string> {
    const tenant = await tenantWith(20);
    await archiverFor(tenant).runAll();
    return tenant;
  }

  it('an edited record', async () => {
    const tenant = await archived();
    await owner.query(`UPDATE clearance_audit_record SET raw = replace(raw, 'p5', 'p9') WHERE tenant = $1 AND seq = 5`, [tenant]);
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 5, problem: 'BODY_ALTERED' });
  });

  it('a deleted record', async () => {
    const tenant = await archived();
    await owner.query('DELETE FROM clearance_audit_record WHERE tenant = $1 AND seq = 6', [tenant]);
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 7, problem: 'MISSING_OR_REORDERED' });
  });

  it('reordered records', async () => {
    const tenant = await archived();
    await owner.query(
      `UPDATE clearance_audit_record SET raw = CASE seq WHEN 4 THEN (SELECT raw FROM clearance_audit_record WHERE tenant = $1 AND seq = 5)
       ELSE (SELECT raw FROM clearance_audit_record WHERE tenant = $1 AND seq = 4) END WHERE tenant = $1 AND seq IN (4, 5)`,
      [tenant],
    );
    expect(await audit.verify(tenant)).toMatchObject({
      ok: false,
      seq: 5,
      problem: 'MISSING_OR_REORDERED',
      message: expect.stringContaining('expected record 4, found record 5'),
    });
  });

  it('a dropped partition', async () => {
    const tenant = `a${n++}`;
    // Records in January, then February: the January partition is dropped behind the log's back.
    for (let i = 1; i <= 20; i++)
      await audit.write(tenant, [
        { ...event(tenant, i), at: new Date(Date.parse(i <= 8 ? '2026-01-20T00:00:00Z' : '2026-02-03T00:00:00Z') + i).toISOString() },
      ]);
    await archiverFor(tenant).runAll();
    await owner.query(
      `DROP TABLE ${'clearance_audit_t_' + (await owner.query<{ h: string }>('SELECT substr(md5($1), 1, 16) AS ' +
        'h', [tenant])).rows[0]!.h}_202601`,
    );
    expect(await audit.verify(tenant)).toMatchObject({
      ok: false,
      seq: 9,
      problem: 'MISSING_OR_REORDERED',
      message: expect.stringContaining('expected record 1, found record 9'),
    });
  });

  it('a forged checkpoint', async () => {
    const tenant = await archived();
    const { rows } = await owner.query<{ json: string }>('SELECT json FROM clearance_audit_checkpoint WHERE tenant = $1 LIMIT 1', [tenant]);
    const forged = { ...(JSON.parse(rows[0]!.json) as object), seq: 3, signature: 'ab'.repeat(32) };
    await owner.query('INSERT INTO clearance_audit_checkpoint (tenant, seq, signature, json) VALUES ($1, 3, $2, $3)', [
      tenant,
      forged.signature,
      JSON.stringify(forged),
    ]);
    expect(await audit.verify(tenant)).toMatchObject({ ok: false, seq: 3, problem: 'CHECKPOINT_SIGNATURE' });
  });
});

describe('retention by the governed setting audit.retentionDays drops whole month partitions', () => {
  const NOW = Date.parse('2026-06-01T00:00:00.000Z');
  const MONTHS = ['2015-01-15', '2015-02-15', '2019-01-15', '2026-01-15'];

  /** Three records in each of MONTHS, all archived but the last two, all exported. */
  async function yearsOfLog(): Promise<string> {
    const tenant = `ret${n++}`;
    let i = 0;
    for (const day of MONTHS)
      for (let k = 0; k < 3; k++)
        await audit.write(tenant, [{ ...event(tenant, ++i), at: new Date(Date.parse(`${day}T00:00:00Z`) + k).toISOString() }]);
    const hot = { maxRecords: 2, maxAgeMs: 1e15 };
    await new AuditArchiver({ audit, archive, tenants: async () => [tenant], hot, now: () => NOW, logger }).runAll();
    await audit.markExported(tenant, 12);
    return tenant;
  }

  it('default (six years) drops the 2015 and 2019 months; ten years, applied through governance, keeps 2019', async () => {
    const store = redisStores(redisClient).governance;
    const governance = governanceOn(store, { now: () => NOW });
    const ownerConn = new PostgresAuditArchiveOwner(postgres.ownerUrl);
    try {
      const six = await yearsOfLog();
      const r6 = await dropExpiredArchive(audit, ownerConn, {
        tenant: six,
        retentionDays: await retentionDaysOf(governance, six),
        now: NOW,
      });
      expect(r6).toMatchObject({
        status: 'dropped',
        months: ['2015-01-01', '2015-02-01', '2019-01-01'],
        removed: 9,
        uptoSeq: 9,
        verifyAfter: { ok: true, firstSeq: 10, headSeq: 12, records: 3 },
      });
      expect((await ownerConn.monthPartitions(six)).map((p) => p.month)).toEqual(['2026-01-01']);
      // The new anchor was signed before the drop, and a second run finds nothing more.
      expect((await audit.checkpoints(six)).some((c) => c.seq === 9)).toBe(true);
      expect(await dropExpiredArchive(audit, ownerConn, { tenant: six, retentionDays: 2190, now: NOW })).toMatchObject({
        status: 'nothing-to-drop',
      });

      const ten = await yearsOfLog();
      const proposed = await updateSetting(governance, person('sec-1', ['security-admin'], true, ten), {
        key: 'audit.retentionDays',
        environment: 'PRODUCTION',
        value: 3650,
        reason: 'state law: ten years',
      });
      if (proposed.status !== 'APPLIED') {
        const approved = await approveChange(governance, person('sec-2', ['security-admin'], true, ten), proposed.change.id);
        if (approved.status !== 'APPLIED')
          await approveChange(governance, person('sys-1', ['system-admin'], true, ten), proposed.change.id);
      }
      expect(await retentionDaysOf(governance, ten)).toBe(3650);
      const r10 = await dropExpiredArchive(audit, ownerConn, {
        tenant: ten,
        retentionDays: await retentionDaysOf(governance, ten),
        now: NOW,
      });
      expect(r10).toMatchObject({
        status: 'dropped',
        months: ['2015-01-01', '2015-02-01'],
        removed: 6,
        verifyAfter: { ok: true, firstSeq: 7 },
      });
      expect((await ownerConn.monthPartitions(ten)).map((p) => p.month)).toEqual(['2019-01-01', '2026-01-01']);
    } finally {
      await ownerConn.close();
    }
  });

  it('keeps months not exported yet (unless forced), and refuses a broken log', async () => {
    const ownerConn = new PostgresAuditArchiveOwner(postgres.ownerUrl);
    try {
      const tenant = await yearsOfLog();
      await audit.markExported(tenant, 0);
      const fresh = `ret${n++}`;
      for (let i = 1; i <= 6; i++)
        await audit.write(fresh, [
          { ...event(fresh, i), at: new Date(Date.parse(i <= 3 ? '2015-01-15T00:00:00Z' : '2015-02-15T00:00:00Z') + i).toISOString() },
        ]);
      const hot = { maxRecords: 1, maxAgeMs: 1e15 };
      await new AuditArchiver({ audit, archive, tenants: async () => [fresh], hot, now: () => NOW, logger }).runAll();
      await audit.markExported(fresh, 3);
      expect(await dropExpiredArchive(audit, ownerConn, { tenant: fresh, retentionDays: 2190, now: NOW })).toMatchObject({
        status: 'dropped',
        months: ['2015-01-01'],
        unexportedMonthsKept: 1,
      });
      expect(await dropExpiredArchive(audit, ownerConn, { tenant: fresh, retentionDays: 2190, now: NOW, force: true })).toMatchObject({
        status: 'dropped',
        months: ['2015-02-01'],
        verifyAfter: { ok: true },
      });

      await owner.query(`UPDATE clearance_audit_record SET raw = replace(raw, 'p2', 'p7') WHERE tenant = $1 AND seq = 2`, [tenant]);
      expect(await dropExpiredArchive(audit, ownerConn, { tenant, retentionDays: 2190, now: NOW, force: true })).toMatchObject({
        status: 'refused',
        verify: { seq: 2, problem: 'BODY_ALTERED' },
      });
      expect((await ownerConn.monthPartitions(tenant)).length).toBe(4);
    } finally {
      await ownerConn.close();
    }
  });
});
