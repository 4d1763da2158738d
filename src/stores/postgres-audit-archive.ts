import pg from 'pg';
import { GENESIS_HASH } from '../audit/chain.js';
import type { ArchiveMeta, ArchivedRecord, ArchiveSearch, AuditArchive } from './audit-archive.js';
import { StoreUnavailableError } from '../errors/errors.js';

// The audit archive in PostgreSQL (schema: src/stores/postgres-audit-schema.ts), connected as the archive role
// (AUDIT_ARCHIVE_URL): INSERT and SELECT only. A segment is appended in one transaction under a per-tenant advisory
// lock, and only its records above the archived head are inserted: a run repeated after a crash between copy and
// trim inserts nothing twice.

const monthOf = (iso: string) => `${iso.slice(0, 7)}-01`;

const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch {
    // Never the URL or the server's text: it may name the role or the host.
    throw new StoreUnavailableError('postgres');
  }
};

/** The archive's anchor (where its chain starts) and head for one tenant. */
async function readMeta(client: pg.ClientBase | pg.Pool, tenant: string): Promise<ArchiveMeta> {
  const [anchor, head] = await Promise.all([
    client.query<{ first_seq: string; anchor_hash: string }>(
      'SELECT first_seq, anchor_hash FROM clearance_audit_anchor WHERE tenant = $1 ORDER BY first_seq DESC LIMIT 1',
      [tenant],
    ),
    client.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM clearance_audit_record WHERE tenant = $1 ORDER BY seq DESC LIMIT 1',
      [tenant],
    ),
  ]);
  const firstSeq = anchor.rows[0] ? Number(anchor.rows[0].first_seq) : 1;
  const anchorHash = anchor.rows[0]?.anchor_hash ?? GENESIS_HASH;
  const h = head.rows[0];
  return h && Number(h.seq) >= firstSeq
    ? { firstSeq, anchorHash, headSeq: Number(h.seq), headHash: h.hash }
    : { firstSeq, anchorHash, headSeq: firstSeq - 1, headHash: anchorHash };
}

/** Appends a segment's records above the archived head and its checkpoint, in one transaction. */
async function appendSegment(
  pool: pg.Pool,
  tenant: string,
  records: readonly ArchivedRecord[],
  checkpointJson: string,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`clearance_audit:${tenant}`]);
    const { headSeq } = await readMeta(client, tenant);
    const fresh: ArchivedRecord[] = records.filter((r) => r.seq > headSeq);
    for (const month of new Set(fresh.map((r) => monthOf(r.at)))) {
      await client.query('SELECT clearance_audit_partition($1, $2::date)', [tenant, month]);
    }
    for (let i = 0; i < fresh.length; i += 2_000) {
      const batch = fresh.slice(i, i + 2_000);
      await client.query(
        `INSERT INTO clearance_audit_record (tenant, seq, at, hash, patients, actors, actions, raw)
         SELECT $1, s, a, h, ARRAY(SELECT jsonb_array_elements_text(p::jsonb)), ARRAY(SELECT jsonb_array_elements_text(c::jsonb)),
                ARRAY(SELECT jsonb_array_elements_text(x::jsonb)), r
       FROM unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(s, a, h, p, c, x, r)`,
        [
          tenant,
          batch.map((r) => r.seq),
          batch.map((r) => r.at),
          batch.map((r) => r.hash),
          batch.map((r) => JSON.stringify(r.patients)),
          batch.map((r) => JSON.stringify(r.actors)),
          batch.map((r) => JSON.stringify(r.actions)),
          batch.map((r) => r.raw),
        ],
      );
    }
    const c = JSON.parse(checkpointJson) as { seq: number; signature: string };
    await client.query(
      'INSERT INTO clearance_audit_checkpoint (tenant, seq, signature, json) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [tenant, c.seq, c.signature, checkpointJson],
    );
    await client.query('COMMIT');
    return Math.max(headSeq, fresh.at(-1)?.seq ?? headSeq);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** The archive's tenants' records by patient, actor or action, newest first, below `beforeSeq`. */
async function search(pool: pg.Pool, tenant: string, filter: ArchiveSearch, beforeSeq: number, limit: number): Promise<string[]> {
  const where = ['tenant = $1', 'seq < $2'];
  const params: unknown[] = [tenant, beforeSeq];
  const add = (column: string, value: string | null | undefined) => {
    if (!value) return;
    params.push([value]);
    where.push(`${column} @> $${params.length}::text[]`);
  };
  add('patients', filter.patientId);
  add('actors', filter.actor);
  add('actions', filter.action);
  params.push(limit);
  const sql = `SELECT raw FROM clearance_audit_record WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`;
  const { rows } = await pool.query<{ raw: string }>(sql, params);
  return rows.map((r) => r.raw);
}

export class PostgresAuditArchive implements AuditArchive {
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 2_000, idleTimeoutMillis: 10_000 });
    this.pool.on('error', () => {}); // an idle connection dropped by the server: the next query reports it
  }

  meta(tenant: string): Promise<ArchiveMeta> {
    return guarded(() => readMeta(this.pool, tenant));
  }

  appendSegment(tenant: string, records: readonly ArchivedRecord[], checkpointJson: string): Promise<number> {
    return guarded(() => appendSegment(this.pool, tenant, records, checkpointJson));
  }

  records(tenant: string, fromSeq: number, limit: number): Promise<string[]> {
    return guarded(async () => {
      const sql = 'SELECT raw FROM clearance_audit_record WHERE tenant = $1 AND seq >= $2 ORDER BY seq LIMIT $3';
      const { rows } = await this.pool.query<{ raw: string }>(sql, [tenant, fromSeq, limit]);
      return rows.map((r) => r.raw);
    });
  }

  search(tenant: string, filter: ArchiveSearch, beforeSeq: number, limit: number): Promise<string[]> {
    return guarded(() => search(this.pool, tenant, filter, beforeSeq, limit));
  }

  checkpoints(tenant: string): Promise<string[]> {
    return guarded(async () => {
      const sql = 'SELECT json FROM clearance_audit_checkpoint WHERE tenant = $1 ORDER BY seq';
      return (await this.pool.query<{ json: string }>(sql, [tenant])).rows.map((r) => r.json);
    });
  }

  ping(): Promise<void> {
    return guarded(async () => void (await this.pool.query('SELECT 1')));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
