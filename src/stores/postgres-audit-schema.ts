import pg from 'pg';
import type { AuditArchiveOwner, MonthPartition } from './audit-archive.js';

// The archive's schema, applied by the owner role (`clearance audit archive-migrate`, or a test): an append-only
// table partitioned by tenant, then by month (retention drops a tenant's old months without touching anyone else's),
// GIN indexes for the filters people use (patient, actor, action) and a (tenant, at) index for time windows, and the
// archive role the gateway connects as, which may INSERT and SELECT and nothing else (no UPDATE, no DELETE, no
// TRUNCATE, no DDL). Partitions are created on demand through one SECURITY DEFINER function, the only way that role
// can cause DDL. Idempotent: running it again changes nothing.

export const ARCHIVE_ROLE = 'clearance_archive';

const MIGRATION = `
CREATE TABLE IF NOT EXISTS clearance_audit_record (
  tenant text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  hash text NOT NULL,
  patients text[] NOT NULL,
  actors text[] NOT NULL,
  actions text[] NOT NULL,
  raw text NOT NULL,
  PRIMARY KEY (tenant, seq, at)
) PARTITION BY LIST (tenant);
CREATE INDEX IF NOT EXISTS clearance_audit_record_patients ON clearance_audit_record USING gin (patients);
CREATE INDEX IF NOT EXISTS clearance_audit_record_actors ON clearance_audit_record USING gin (actors);
CREATE INDEX IF NOT EXISTS clearance_audit_record_actions ON clearance_audit_record USING gin (actions);
CREATE INDEX IF NOT EXISTS clearance_audit_record_time ON clearance_audit_record (tenant, at);
CREATE TABLE IF NOT EXISTS clearance_audit_checkpoint (
  tenant text NOT NULL,
  seq bigint NOT NULL,
  signature text NOT NULL,
  json text NOT NULL,
  PRIMARY KEY (tenant, seq, signature)
);
-- Where a tenant's archived chain starts after retention dropped its oldest months (written by the owner only).
CREATE TABLE IF NOT EXISTS clearance_audit_anchor (
  tenant text NOT NULL,
  first_seq bigint NOT NULL,
  anchor_hash text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, first_seq)
);
CREATE OR REPLACE FUNCTION clearance_audit_partition(p_tenant text, p_month date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t text := 'clearance_audit_t_' || substr(md5(p_tenant), 1, 16);
  m text := t || '_' || to_char(p_month, 'YYYYMM');
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('clearance_audit_partition'));
  IF to_regclass(t) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF clearance_audit_record FOR VALUES IN (%L) PARTITION BY RANGE (at)', t, p_tenant);
  END IF;
  IF to_regclass(m) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', m, t,
      p_month::timestamp AT TIME ZONE 'UTC', (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
  END IF;
END $$;
REVOKE ALL ON FUNCTION clearance_audit_partition(text, date) FROM PUBLIC;
`;

/** Creates (or updates) the schema and the archive role (default clearance_archive) with this password. Run as the owner. */
export async function migrateAuditArchive(ownerUrl: string, archivePassword: string, archiveRole = ARCHIVE_ROLE): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['clearance_audit_migrate']);
    await client.query(MIGRATION);
    const ARCHIVE_ROLE = client.escapeIdentifier(archiveRole);
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [archiveRole])).rowCount;
    const password = client.escapeLiteral(archivePassword);
    await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${ARCHIVE_ROLE} LOGIN PASSWORD ${password}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${ARCHIVE_ROLE}`);
    await client.query(`REVOKE ALL ON clearance_audit_record, clearance_audit_checkpoint, clearance_audit_anchor FROM ${ARCHIVE_ROLE}`);
    await client.query(`GRANT SELECT, INSERT ON clearance_audit_record, clearance_audit_checkpoint TO ${ARCHIVE_ROLE}`);
    await client.query(`GRANT SELECT ON clearance_audit_anchor TO ${ARCHIVE_ROLE}`);
    await client.query(`GRANT EXECUTE ON FUNCTION clearance_audit_partition(text, date) TO ${ARCHIVE_ROLE}`);
  } finally {
    await client.end();
  }
}

/** A tenant's month partitions, oldest first: name, month start, seq range. */
async function monthPartitions(client: pg.ClientBase, tenant: string): Promise<MonthPartition[]> {
  const parent = `clearance_audit_t_${(await client.query<{ h: string }>('SELECT substr(md5($1), 1, 16) AS h', [tenant])).rows[0]!.h}`;
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 ORDER BY c.relname`,
    [parent],
  );
  const out: MonthPartition[] = [];
  for (const { name } of rows) {
    const r = await client.query<{ min: string | null; max: string | null }>(
      `SELECT min(seq) AS min, max(seq) AS max FROM ${client.escapeIdentifier(name)}`,
    );
    const ym = name.slice(-6);
    out.push({
      name,
      month: `${ym.slice(0, 4)}-${ym.slice(4)}-01`,
      minSeq: r.rows[0]!.min === null ? null : Number(r.rows[0]!.min),
      maxSeq: r.rows[0]!.max === null ? null : Number(r.rows[0]!.max),
    });
  }
  return out;
}

/**
 * Drops `names` (month partitions of `tenant`) and moves the tenant's archived anchor to (firstSeq, anchorHash), in
 * one transaction: a crash leaves either both or neither. The caller has signed a checkpoint at the new anchor first.
 */
async function dropMonthPartitions(
  client: pg.ClientBase,
  tenant: string,
  names: readonly string[],
  firstSeq: number,
  anchorHash: string,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('INSERT INTO clearance_audit_anchor (tenant, first_seq, anchor_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      tenant,
      firstSeq,
      anchorHash,
    ]);
    for (const name of names) await client.query(`DROP TABLE ${client.escapeIdentifier(name)}`);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** The owner's connection (AUDIT_ARCHIVE_OWNER_URL): retention only, never the gateway's role. */
export class PostgresAuditArchiveOwner implements AuditArchiveOwner {
  private readonly pool: pg.Pool;

  constructor(ownerUrl: string) {
    this.pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
    this.pool.on('error', () => {});
  }

  monthPartitions(tenant: string): Promise<MonthPartition[]> {
    return this.withClient((c) => monthPartitions(c, tenant));
  }

  dropMonths(tenant: string, names: readonly string[], firstSeq: number, anchorHash: string): Promise<void> {
    return this.withClient((c) => dropMonthPartitions(c, tenant, names, firstSeq, anchorHash));
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  }
}
