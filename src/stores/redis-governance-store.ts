import type { Cluster, Redis } from 'ioredis';
import { parseChangeRequest } from '../governance/change-request.js';
import {
  GENESIS_HASH,
  docKey,
  type CommitOp,
  type CommitResult,
  type DocVersion,
  type GovernanceStore,
  type IdempotencyClaim,
  type OutboxEntry,
  LEDGER_RETENTION_MS,
} from './governance-store.js';
import { TENANTS_KEY, tenantKeys } from './redis-keys.js';
import {
  CLAIM_IDEMPOTENCY_LUA,
  CLAIM_OUTBOX_LUA,
  COMMIT_LUA,
  COMPLETE_IDEMPOTENCY_LUA,
  FAIL_OUTBOX_LUA,
  RELEASE_IDEMPOTENCY_LUA,
  RELEASE_LEASE_LUA,
  TRIM_AUDIT_LUA,
} from './redis-scripts.js';
import { StoreUnavailableError } from '../errors/errors.js';

// Redis (AOF on in production) as the governance store, shared by any number of gateway replicas. Works with a
// single node or a Cluster: every multi-key step is one script over keys of one hash tag.

type Client = Redis | Cluster;
type ScriptClient = Client & {
  clrCommit(...args: (string | number)[]): Promise<string[]>;
  clrClaimOutbox(...args: (string | number)[]): Promise<string[]>;
  clrFailOutbox(...args: (string | number)[]): Promise<number>;
  clrTrimAudit(...args: (string | number)[]): Promise<number>;
  clrClaimIdem(...args: (string | number)[]): Promise<string[]>;
  clrCompleteIdem(...args: (string | number)[]): Promise<number>;
  clrReleaseIdem(...args: (string | number)[]): Promise<number>;
  clrReleaseLease(...args: (string | number)[]): Promise<number>;
};

export function createRedisGovernanceStore(client: Client): GovernanceStore {
  const r = client as ScriptClient;
  if (!('clrCommit' in client)) {
    client.defineCommand('clrCommit', { lua: COMMIT_LUA });
    client.defineCommand('clrClaimOutbox', { lua: CLAIM_OUTBOX_LUA, numberOfKeys: 2 });
    client.defineCommand('clrFailOutbox', { lua: FAIL_OUTBOX_LUA, numberOfKeys: 2 });
    client.defineCommand('clrTrimAudit', { lua: TRIM_AUDIT_LUA, numberOfKeys: 2 });
    client.defineCommand('clrClaimIdem', { lua: CLAIM_IDEMPOTENCY_LUA, numberOfKeys: 1 });
    client.defineCommand('clrCompleteIdem', { lua: COMPLETE_IDEMPOTENCY_LUA, numberOfKeys: 1 });
    client.defineCommand('clrReleaseIdem', { lua: RELEASE_IDEMPOTENCY_LUA, numberOfKeys: 1 });
    client.defineCommand('clrReleaseLease', { lua: RELEASE_LEASE_LUA, numberOfKeys: 1 });
  }
  // Any Redis failure fails closed with one clear error; what failed stays in the server's own logs.
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof StoreUnavailableError) throw e;
      throw new StoreUnavailableError('redis');
    }
  };
  const parseDoc = (json: string | null): DocVersion | null => (json ? (JSON.parse(json) as DocVersion) : null);

  return {
    getDoc: (tenant, ref) => guarded(async () => parseDoc(await r.hget(tenantKeys(tenant).doc(ref), 'json'))),
    listDocs: (tenant, environment, prefix) =>
      guarded(async () => {
        const k = tenantKeys(tenant);
        const members = (await r.smembers(k.docIndex)).filter((m) => m.startsWith(`${environment}:${prefix}`)).sort();
        if (members.length === 0) return [];
        const pipeline = r.pipeline();
        for (const m of members) {
          const id = m.slice(environment.length + 1);
          pipeline.hget(k.doc({ environment, id }), 'json');
        }
        const results = (await pipeline.exec()) ?? [];
        return results.map(([err, json]) => {
          if (err) throw err;
          return parseDoc(json as string)!;
        });
      }),
    history: (tenant, ref) =>
      guarded(async () => (await r.lrange(tenantKeys(tenant).docHistory(ref), 0, -1)).map((j) => JSON.parse(j) as DocVersion)),
    // Last use wins; a lost race between two replicas loses a minute of precision, which reviews do not need.
    recordUsage: (tenant, entryId, atIso) => guarded(async () => void (await r.hset(tenantKeys(tenant).usage, entryId, atIso))),
    usage: (tenant) => guarded(async () => r.hgetall(tenantKeys(tenant).usage)),
    getChange: (tenant, id) =>
      guarded(async () => {
        const [rev, json] = await r.hmget(tenantKeys(tenant).change(id), 'rev', 'json');
        return rev && json ? { change: parseChangeRequest(JSON.parse(json)), rev: Number(rev) } : null;
      }),
    listChanges: (tenant, filter, limit) =>
      guarded(async () => {
        const k = tenantKeys(tenant);
        // Newest first; filtered here (the per-tenant queue is small: open changes and recent history).
        const ids = await r.zrevrange(k.changeIndex, 0, 4999);
        if (ids.length === 0) return [];
        const pipeline = r.pipeline();
        for (const id of ids) pipeline.hget(k.change(id), 'json');
        const results = (await pipeline.exec()) ?? [];
        const out = [];
        for (const [err, json] of results) {
          if (err) throw err;
          if (!json) continue;
          const c = parseChangeRequest(JSON.parse(json as string));
          if ((filter.status && c.status !== filter.status) || (filter.environment && c.environment !== filter.environment) || (filter.category && c.category !== filter.category)) continue;
          out.push(c);
          if (out.length >= limit) break;
        }
        return out;
      }),
    commit: (tenant, ops) =>
      guarded(async (): Promise<CommitResult> => {
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
              return { t: 'chg', k: idx(k.change(op.change.id)), i: idx(k.changeIndex), rev: op.expectedRev, json: JSON.stringify(op.change), score: Date.parse(op.change.createdAt), id: op.change.id };
            case 'put-doc':
              return { t: 'doc', k: idx(k.doc(op.doc.ref)), h: idx(k.docHistory(op.doc.ref)), x: idx(k.docIndex), v: op.doc.version, json: JSON.stringify(op.doc), member: docKey(op.doc.ref), id: op.doc.ref.id };
            case 'outbox-add': {
              const entry: OutboxEntry = { idempotencyKey: op.idempotencyKey, tenant, changeId: op.changeId, attempts: 0, lastError: null };
              return { t: 'obadd', k: idx(k.outbox), d: idx(k.outboxDue), key: op.idempotencyKey, json: JSON.stringify(entry) };
            }
            case 'outbox-done':
              return { t: 'obdone', k: idx(k.outbox), d: idx(k.outboxDue), key: op.idempotencyKey };
            case 'audit':
              return { t: 'audit', k: idx(k.audit), m: idx(k.auditMeta), body: op.record.body, bh: op.record.bodyHash };
            case 'ledger-add':
              return { t: 'ledger', k: idx(k.ledger(op.ledger)), at: op.atMs, keep: LEDGER_RETENTION_MS, member: `${op.entryId}:${op.cents}` };
          }
        });
        // Both sent at once (one round trip): the tenant index is only for jobs that walk every tenant (outbox, audit
        // checkpoints), and adding a tenant twice is harmless.
        const [, [status, conflict, id]] = await Promise.all([r.sadd(TENANTS_KEY, tenant), r.clrCommit(keys.length, ...keys, JSON.stringify(encoded))]);
        return status === 'OK' ? { ok: true } : { ok: false, conflict: conflict as 'change' | 'doc', id: id ?? '' };
      }),
    claimOutbox: (tenant, nowMs, leaseMs, limit) =>
      guarded(async () => {
        const k = tenantKeys(tenant);
        return (await r.clrClaimOutbox(k.outboxDue, k.outbox, nowMs, leaseMs, limit)).map((j) => JSON.parse(j) as OutboxEntry);
      }),
    failOutbox: (tenant, idempotencyKey, error, retryAtMs) =>
      guarded(async () => {
        const k = tenantKeys(tenant);
        await r.clrFailOutbox(k.outboxDue, k.outbox, idempotencyKey, error, retryAtMs);
      }),
    claimIdempotencyKey: (tenant, scopeKey, requestHash, ttlMs) =>
      guarded(async (): Promise<IdempotencyClaim> => {
        const [state, result] = await r.clrClaimIdem(tenantKeys(tenant).idempotency(scopeKey), requestHash, ttlMs);
        return state === 'completed' ? { state, result: result ?? '' } : { state: state as 'claimed' | 'in-flight' | 'mismatch' };
      }),
    completeIdempotencyKey: (tenant, scopeKey, requestHash, result) =>
      guarded(async () => void (await r.clrCompleteIdem(tenantKeys(tenant).idempotency(scopeKey), requestHash, result))),
    releaseIdempotencyKey: (tenant, scopeKey, requestHash) =>
      guarded(async () => void (await r.clrReleaseIdem(tenantKeys(tenant).idempotency(scopeKey), requestHash))),
    acquireLease: (tenant, key, holder, ttlMs) =>
      guarded(async () => (await r.set(tenantKeys(tenant).lease(key), holder, 'PX', ttlMs, 'NX')) === 'OK'),
    releaseLease: (tenant, key, holder) => guarded(async () => void (await r.clrReleaseLease(tenantKeys(tenant).lease(key), holder))),
    ledgerSum: (tenant, ledger, sinceMs) =>
      guarded(async () => {
        const members = await r.zrangebyscore(tenantKeys(tenant).ledger(ledger), sinceMs, '+inf');
        return members.reduce((sum, m) => sum + Number(m.slice(m.lastIndexOf(':') + 1)), 0);
      }),
    tenants: () => guarded(() => r.smembers(TENANTS_KEY)),
    audit: {
      meta: (tenant) =>
        guarded(async () => {
          const [seq, hash, first, anchor] = await r.hmget(tenantKeys(tenant).auditMeta, 'seq', 'hash', 'first', 'anchor');
          return { headSeq: Number(seq ?? 0), headHash: hash ?? GENESIS_HASH, firstSeq: Number(first ?? 1), anchorHash: anchor ?? GENESIS_HASH };
        }),
      records: (tenant, fromSeq, limit) =>
        guarded(async () => {
          const k = tenantKeys(tenant);
          const first = Number((await r.hget(k.auditMeta, 'first')) ?? 1);
          const from = Math.max(fromSeq, first) - first;
          return r.lrange(k.audit, from, from + limit - 1);
        }),
      trim: (tenant, uptoSeq, anchorHash) =>
        guarded(async () => {
          const k = tenantKeys(tenant);
          await r.clrTrimAudit(k.audit, k.auditMeta, uptoSeq, anchorHash);
        }),
      addCheckpoint: (tenant, json) => guarded(async () => void (await r.rpush(tenantKeys(tenant).auditCheckpoints, json))),
      checkpoints: (tenant) => guarded(() => r.lrange(tenantKeys(tenant).auditCheckpoints, 0, -1)),
      exportedUpTo: (tenant) => guarded(async () => Number((await r.hget(tenantKeys(tenant).auditMeta, 'exported')) ?? 0)),
      markExported: (tenant, seq) =>
        guarded(async () => {
          // Only ever moves forward (a re-export of older records does not lower it).
          await r.eval("local c = tonumber(redis.call('HGET', KEYS[1], 'exported') or '0') if tonumber(ARGV[1]) > c then redis.call('HSET', KEYS[1], 'exported', ARGV[1]) end return 1", 1, tenantKeys(tenant).auditMeta, seq);
        }),
      verifiedMark: (tenant) => guarded(() => r.hget(tenantKeys(tenant).auditMeta, 'verified')),
      setVerifiedMark: (tenant, json) => guarded(async () => void (await r.hset(tenantKeys(tenant).auditMeta, 'verified', json))),
    },
    ping: () => guarded(async () => void (await r.ping())),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
