import { parseChangeRequest } from '../governance/change-request.js';
import type { Environment } from '../governance/environment.js';
import {
  docKey,
  type ChangeFilter,
  type CommitOp,
  type CommitResult,
  type DocRef,
  type DocVersion,
  type GovernanceStore,
  type OutboxEntry,
  type StoredChange,
  LEDGER_RETENTION_MS,
  OPEN_CHANGE_STATUSES,
} from './governance-store.js';
import { guarded, type RedisClient } from './redis-guard.js';
import { TENANTS_KEY, tenantKeys } from './redis-keys.js';
import { BACKFILL_OPEN_CHANGES_LUA, CLAIM_OUTBOX_LUA, COMMIT_LUA, FAIL_OUTBOX_LUA, OPEN_INDEX_BUILT } from './redis-scripts.js';

// Redis (AOF on in production) as the governance store, shared by any number of gateway replicas. Works with a
// single node or a Cluster: every multi-key step is one script over keys of one hash tag. The commit script also
// appends audit records (read back by RedisAuditLog, same keys).

type ScriptClient = RedisClient & {
  clrCommit(...args: (string | number)[]): Promise<string[]>;
  clrClaimOutbox(...args: (string | number)[]): Promise<string[]>;
  clrFailOutbox(...args: (string | number)[]): Promise<number>;
  clrBackfillOpenChanges(...args: (string | number)[]): Promise<string>;
};

/** The most changes one listing reads (newest first), as before the open index. */
const LIST_SCAN = 5000;
/** Changes read per step of the open-index backfill: one step holds Redis for the JSON decode of this many changes. */
export const OPEN_BACKFILL_BATCH = 500;

const parseDoc = (json: string | null): DocVersion | null => (json ? (JSON.parse(json) as DocVersion) : null);

export class RedisGovernanceStore implements GovernanceStore {
  private readonly r: ScriptClient;

  constructor(client: RedisClient) {
    if (!('clrCommit' in client)) {
      client.defineCommand('clrCommit', { lua: COMMIT_LUA });
      client.defineCommand('clrClaimOutbox', { lua: CLAIM_OUTBOX_LUA, numberOfKeys: 2 });
      client.defineCommand('clrFailOutbox', { lua: FAIL_OUTBOX_LUA, numberOfKeys: 2 });
      client.defineCommand('clrBackfillOpenChanges', { lua: BACKFILL_OPEN_CHANGES_LUA });
    }
    this.r = client as ScriptClient;
  }

  getDoc(tenant: string, ref: DocRef): Promise<DocVersion | null> {
    return guarded(async () => parseDoc(await this.r.hget(tenantKeys(tenant).doc(ref), 'json')));
  }

  listDocs(tenant: string, environment: Environment, prefix: string): Promise<DocVersion[]> {
    return guarded(async () => {
      const k = tenantKeys(tenant);
      const members = (await this.r.smembers(k.docIndex)).filter((m) => m.startsWith(`${environment}:${prefix}`)).sort();
      if (members.length === 0) return [];
      const pipeline = this.r.pipeline();
      for (const m of members) {
        const id = m.slice(environment.length + 1);
        pipeline.hget(k.doc({ environment, id }), 'json');
      }
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, json]) => {
        if (err) throw err;
        return parseDoc(json as string)!;
      });
    });
  }

  history(tenant: string, ref: DocRef): Promise<DocVersion[]> {
    return guarded(async () => (await this.r.lrange(tenantKeys(tenant).docHistory(ref), 0, -1)).map((j) => JSON.parse(j) as DocVersion));
  }

  getChange(tenant: string, id: string): Promise<StoredChange | null> {
    return guarded(async () => {
      const [rev, json] = await this.r.hmget(tenantKeys(tenant).change(id), 'rev', 'json');
      return rev && json ? { change: parseChangeRequest(JSON.parse(json)), rev: Number(rev) } : null;
    });
  }

  listChanges(tenant: string, filter: ChangeFilter, limit: number) {
    return guarded(async () => {
      const k = tenantKeys(tenant);
      // Newest first. An open status is read from the open index: every governed write lists the open changes of its
      // environment (supersede-competitors.ts), and a scan of the change index cost work in the tenant's history.
      const open = !!filter.status && OPEN_CHANGE_STATUSES.has(filter.status);
      if (!open) return this.readChanges(k, await this.r.zrevrange(k.changeIndex, 0, LIST_SCAN - 1), filter, limit);
      // The changes only (scores >= 0): OPEN_INDEX_BUILT, at -1, says the index is whole (redis-scripts.ts).
      const openIds = () => this.r.zrevrangebyscore(k.openChangeIndex, '+inf', 0, 'LIMIT', 0, LIST_SCAN);
      const [built, whole, ids] = await Promise.all([
        this.r.get(k.openChangeIndexBuilt), this.r.zscore(k.openChangeIndex, OPEN_INDEX_BUILT), openIds(),
      ]);
      if (built === 'done' && whole !== null) return this.readChanges(k, ids, filter, limit);
      // Never built, or lost on its own under a done marker: (re)built from the start.
      await this.backfillOpenIndex(k, built === 'done' ? '0' : built);
      return this.readChanges(k, await openIds(), filter, limit);
    });
  }

  /**
   * Builds the open index of a store written before it existed, once per tenant, in batches (BACKFILL_OPEN_CHANGES_LUA
   * says why concurrent gateways and commits cannot corrupt it). Until it is done, listings of open changes wait here.
   */
  private async backfillOpenIndex(k: ReturnType<typeof tenantKeys>, built: string | null): Promise<void> {
    let marker = built ?? '0';
    while (marker !== 'done') {
      const cursor = Number(marker);
      const ids = await this.r.zrange(k.changeIndex, String(cursor), String(cursor + OPEN_BACKFILL_BATCH - 1));
      marker = await this.r.clrBackfillOpenChanges(
        3 + ids.length, k.openChangeIndexBuilt, k.openChangeIndex, k.changeIndex, ...ids.map((id) => k.change(id)),
        cursor, OPEN_BACKFILL_BATCH, ...ids,
      );
    }
  }

  /** The changes of `ids` (newest first) that match, up to `limit`. */
  private async readChanges(k: ReturnType<typeof tenantKeys>, ids: string[], filter: ChangeFilter, limit: number) {
    if (ids.length === 0) return [];
    const pipeline = this.r.pipeline();
    for (const id of ids) pipeline.hget(k.change(id), 'json');
    const results = (await pipeline.exec()) ?? [];
    const out = [];
    for (const [err, json] of results) {
      if (err) throw err;
      if (!json) continue;
      // Filtered on the stored fields before the full parse: the parse (zod) of every stored change was the cost of
      // each governed write (supersedeCompetitors lists the open ones), growing with the tenant's history. A record
      // that is not an object, or that matches, is parsed, so a corrupt one still fails the listing.
      const raw: unknown = JSON.parse(json as string);
      if (typeof raw === 'object' && raw !== null && !matches(raw as Record<string, unknown>, filter)) continue;
      const c = parseChangeRequest(raw);
      if (!matches(c as unknown as Record<string, unknown>, filter)) continue;
      out.push(c);
      if (out.length >= limit) break;
    }
    return out;
  }

  commit(tenant: string, ops: readonly CommitOp[]): Promise<CommitResult> {
    return guarded(async (): Promise<CommitResult> => {
      const k = tenantKeys(tenant);
      const keys: string[] = [];
      const idx = (key: string) => {
        const i = keys.indexOf(key);
        if (i >= 0) return i + 1;
        keys.push(key);
        return keys.length;
      };
      const encoded = ops.map((op: CommitOp) => {
        switch (op.type) {
          case 'put-change':
            return {
              t: 'chg', k: idx(k.change(op.change.id)), i: idx(k.changeIndex), rev: op.expectedRev, json: JSON.stringify(op.change),
              score: Date.parse(op.change.createdAt), id: op.change.id,
              o: idx(k.openChangeIndex), open: OPEN_CHANGE_STATUSES.has(op.change.status),
            };
          case 'put-doc':
            return {
              t: 'doc', k: idx(k.doc(op.doc.ref)), h: idx(k.docHistory(op.doc.ref)), x: idx(k.docIndex), v: op.doc.version,
              json: JSON.stringify(op.doc), member: docKey(op.doc.ref), id: op.doc.ref.id,
            };
          case 'outbox-add': {
            const entry: OutboxEntry = { idempotencyKey: op.idempotencyKey, tenant, changeId: op.changeId, attempts: 0, lastError: null };
            return { t: 'obadd', k: idx(k.outbox), d: idx(k.outboxDue), key: op.idempotencyKey, json: JSON.stringify(entry) };
          }
          case 'outbox-done':
            return { t: 'obdone', k: idx(k.outbox), d: idx(k.outboxDue), key: op.idempotencyKey };
          case 'audit':
            return { t: 'audit', k: idx(k.audit), m: idx(k.auditMeta), body: op.record.body, bh: op.record.bodyHash };
          case 'ledger-add':
            return {
              t: 'ledger', k: idx(k.ledger(op.ledger)), at: op.atMs, keep: LEDGER_RETENTION_MS, member: `${op.entryId}:${op.cents}`,
            };
        }
      });
      // Both sent at once (one round trip): the tenant index is only for jobs that walk every tenant (outbox, audit
      // checkpoints), and adding a tenant twice is harmless.
      const [, [status, conflict, id]] = await Promise.all([
        this.r.sadd(TENANTS_KEY, tenant),
        this.r.clrCommit(keys.length, ...keys, JSON.stringify(encoded)),
      ]);
      return status === 'OK' ? { ok: true } : { ok: false, conflict: conflict as 'change' | 'doc', id: id ?? '' };
    });
  }

  claimOutbox(tenant: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxEntry[]> {
    return guarded(async () => {
      const k = tenantKeys(tenant);
      return (await this.r.clrClaimOutbox(k.outboxDue, k.outbox, nowMs, leaseMs, limit)).map((j) => JSON.parse(j) as OutboxEntry);
    });
  }

  failOutbox(tenant: string, idempotencyKey: string, error: string, retryAtMs: number): Promise<void> {
    return guarded(async () => {
      const k = tenantKeys(tenant);
      await this.r.clrFailOutbox(k.outboxDue, k.outbox, idempotencyKey, error, retryAtMs);
    });
  }

  ledgerSum(tenant: string, ledger: string, sinceMs: number): Promise<number> {
    return guarded(async () => {
      const members = await this.r.zrangebyscore(tenantKeys(tenant).ledger(ledger), sinceMs, '+inf');
      return members.reduce((sum, m) => sum + Number(m.slice(m.lastIndexOf(':') + 1)), 0);
    });
  }

  tenants(): Promise<string[]> {
    return guarded(() => this.r.smembers(TENANTS_KEY));
  }
}

function matches(change: Record<string, unknown>, filter: ChangeFilter): boolean {
  return (!filter.status || change.status === filter.status)
    && (!filter.environment || change.environment === filter.environment)
    && (!filter.category || change.category === filter.category);
}
