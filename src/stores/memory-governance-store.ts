import { chainHash, formatRecord } from '../audit/chain.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { trimFinishedChanges } from './memory-change-window.js';
import {
  GENESIS_HASH,
  docKey,
  type AuditMeta,
  type ChangeFilter,
  type CommitOp,
  type CommitResult,
  type DocRef,
  type DocVersion,
  type GovernanceStore,
  type IdempotencyClaim,
  type OutboxEntry,
  type StoredChange,
  LEDGER_RETENTION_MS,
} from './governance-store.js';

// The in-memory store of the embedded default: not durable (the gateway says so at start-up). JavaScript runs one
// commit at a time, so checking and writing inside `commit` without an await is atomic, like the Redis script.

interface TenantState {
  readonly docs: Map<string, DocVersion[]>;
  readonly changes: Map<string, StoredChange>;
  readonly outbox: Map<string, OutboxEntry & { dueMs: number }>;
  readonly audit: string[];
  auditMeta: AuditMeta;
  readonly checkpoints: string[];
  exported: number;
  verified: string | null;
  readonly usage: Map<string, string>;
  /** Ledger name -> entry id -> (cents, time). */
  readonly ledgers: Map<string, Map<string, { cents: number; atMs: number }>>;
}

interface IdempotencyEntry {
  readonly h: string;
  r: string | null;
  readonly expiresAt: number;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * The embedded default keeps this many of a tenant's newest audit records (issue 17: memory stays bounded whatever the
 * number of requests). AuditService trims the older ones as retention does, behind a signed checkpoint.
 */
export const MEMORY_AUDIT_WINDOW = 1_000;

export function createMemoryGovernanceStore(now: () => number = Date.now): GovernanceStore {
  const tenants = new Map<string, TenantState>();
  // Idempotency keys by tenant and scope, apart from TenantState so they do not make a tenant "known" to sweeps.
  // Expiry is checked on read; every 256th claim also drops expired entries so unread keys cannot pile up.
  const idem = new Map<string, IdempotencyEntry>();
  let claims = 0;
  // Leases by tenant and key, apart from TenantState for the same reason.
  const leases = new Map<string, { holder: string; expiresAt: number }>();
  const idemKey = (tenant: string, scopeKey: string) => `${tenant}\u0000${scopeKey}`;
  const liveIdem = (key: string): IdempotencyEntry | null => {
    const e = idem.get(key);
    if (e && e.expiresAt <= now()) idem.delete(key);
    return e && e.expiresAt > now() ? e : null;
  };
  const state = (tenant: string): TenantState => {
    let s = tenants.get(tenant);
    if (!s) {
      s = { ledgers: new Map(), usage: new Map(), docs: new Map(), changes: new Map(), outbox: new Map(), audit: [], checkpoints: [], exported: 0, verified: null, auditMeta: { headSeq: 0, headHash: GENESIS_HASH, firstSeq: 1, anchorHash: GENESIS_HASH } };
      tenants.set(tenant, s);
    }
    return s;
  };
  const current = (s: TenantState, key: string) => s.docs.get(key)?.at(-1) ?? null;

  return {
    async getDoc(tenant, ref) {
      return clone(current(state(tenant), docKey(ref)));
    },
    async listDocs(tenant, environment, prefix) {
      const s = state(tenant);
      return [...s.docs.entries()]
        .filter(([k]) => k.startsWith(`${environment}:${prefix}`))
        .map(([k]) => clone(current(s, k)!))
        .sort((a, b) => a.ref.id.localeCompare(b.ref.id));
    },
    async history(tenant, ref: DocRef) {
      return clone(state(tenant).docs.get(docKey(ref)) ?? []);
    },
    async recordUsage(tenant, entryId, atIso) {
      const u = state(tenant).usage;
      if ((u.get(entryId) ?? '') < atIso) u.set(entryId, atIso);
    },
    async usage(tenant) {
      return Object.fromEntries(state(tenant).usage);
    },
    async getChange(tenant, id) {
      return clone(state(tenant).changes.get(id) ?? null);
    },
    async listChanges(tenant, filter: ChangeFilter, limit) {
      return [...state(tenant).changes.values()]
        .map((c) => c.change)
        .filter((c) => (!filter.status || c.status === filter.status) && (!filter.environment || c.environment === filter.environment) && (!filter.category || c.category === filter.category))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        .slice(0, limit)
        .map(clone);
    },
    async commit(tenant, ops: readonly CommitOp[]): Promise<CommitResult> {
      const s = state(tenant);
      for (const op of ops) {
        if (op.type === 'put-change' && (s.changes.get(op.change.id)?.rev ?? 0) !== op.expectedRev) return { ok: false, conflict: 'change', id: op.change.id };
        if (op.type === 'put-doc' && (current(s, docKey(op.doc.ref))?.version ?? 0) !== op.doc.version - 1) return { ok: false, conflict: 'doc', id: op.doc.ref.id };
      }
      for (const op of ops) {
        switch (op.type) {
          case 'put-change':
            s.changes.set(op.change.id, { change: clone(op.change) as ChangeRequest, rev: op.expectedRev + 1 });
            break;
          case 'put-doc': {
            // Appended in place: copying the history on every version made a long-lived embedded gateway's writes
            // slower with every change (readers get clones, so nobody holds the array).
            const key = docKey(op.doc.ref);
            const versions = s.docs.get(key) ?? [];
            versions.push(clone(op.doc));
            s.docs.set(key, versions);
            break;
          }
          case 'outbox-add':
            if (!s.outbox.has(op.idempotencyKey)) {
              s.outbox.set(op.idempotencyKey, { idempotencyKey: op.idempotencyKey, tenant, changeId: op.changeId, attempts: 0, lastError: null, dueMs: 0 });
            }
            break;
          case 'outbox-done':
            s.outbox.delete(op.idempotencyKey);
            break;
          case 'audit': {
            const seq = s.auditMeta.headSeq + 1;
            const hash = chainHash(s.auditMeta.headHash, op.record.bodyHash);
            s.audit.push(formatRecord({ seq, prev: s.auditMeta.headHash, bodyHash: op.record.bodyHash, hash, body: op.record.body }));
            s.auditMeta = { ...s.auditMeta, headSeq: seq, headHash: hash };
            break;
          }
          case 'ledger-add': {
            const ledger = s.ledgers.get(op.ledger) ?? new Map<string, { cents: number; atMs: number }>();
            for (const [id, e] of ledger) if (e.atMs < op.atMs - LEDGER_RETENTION_MS) ledger.delete(id);
            ledger.set(`${op.entryId}:${op.cents}`, { cents: op.cents, atMs: op.atMs });
            s.ledgers.set(op.ledger, ledger);
            break;
          }
        }
      }
      trimFinishedChanges(s.changes, s.outbox.values());
      return { ok: true };
    },
    async claimOutbox(tenant, nowMs, leaseMs, limit) {
      const claimed: OutboxEntry[] = [];
      for (const e of state(tenant).outbox.values()) {
        if (claimed.length >= limit) break;
        if (e.dueMs > nowMs) continue;
        e.dueMs = nowMs + leaseMs;
        claimed.push({ idempotencyKey: e.idempotencyKey, tenant, changeId: e.changeId, attempts: e.attempts, lastError: e.lastError });
      }
      return claimed;
    },
    async failOutbox(tenant, idempotencyKey, error, retryAtMs) {
      const e = state(tenant).outbox.get(idempotencyKey);
      if (e) state(tenant).outbox.set(idempotencyKey, { ...e, attempts: e.attempts + 1, lastError: error, dueMs: retryAtMs });
    },
    async claimIdempotencyKey(tenant, scopeKey, requestHash, ttlMs): Promise<IdempotencyClaim> {
      if (++claims % 256 === 0) for (const k of [...idem.keys()]) liveIdem(k);
      const key = idemKey(tenant, scopeKey);
      const held = liveIdem(key);
      if (!held) {
        idem.set(key, { h: requestHash, r: null, expiresAt: now() + ttlMs });
        return { state: 'claimed' };
      }
      if (held.h !== requestHash) return { state: 'mismatch' };
      return held.r === null ? { state: 'in-flight' } : { state: 'completed', result: held.r };
    },
    async completeIdempotencyKey(tenant, scopeKey, requestHash, result) {
      const held = liveIdem(idemKey(tenant, scopeKey));
      if (held?.h === requestHash) held.r = result;
    },
    async releaseIdempotencyKey(tenant, scopeKey, requestHash) {
      const key = idemKey(tenant, scopeKey);
      const held = liveIdem(key);
      if (held?.h === requestHash && held.r === null) idem.delete(key);
    },
    async acquireLease(tenant, key, holder, ttlMs) {
      const k = idemKey(tenant, key);
      const held = leases.get(k);
      if (held && held.expiresAt > now()) return false;
      leases.set(k, { holder, expiresAt: now() + ttlMs });
      return true;
    },
    async releaseLease(tenant, key, holder) {
      const k = idemKey(tenant, key);
      if (leases.get(k)?.holder === holder) leases.delete(k);
    },
    async ledgerSum(tenant, ledger, sinceMs) {
      let sum = 0;
      for (const e of state(tenant).ledgers.get(ledger)?.values() ?? []) if (e.atMs >= sinceMs) sum += e.cents;
      return sum;
    },
    async tenants() {
      return [...tenants.keys()];
    },
    audit: {
      async meta(tenant) {
        return { ...state(tenant).auditMeta };
      },
      async records(tenant, fromSeq, limit) {
        const s = state(tenant);
        const from = Math.max(fromSeq, s.auditMeta.firstSeq) - s.auditMeta.firstSeq;
        return s.audit.slice(from, from + limit);
      },
      async trim(tenant, uptoSeq, anchorHash) {
        const s = state(tenant);
        const drop = uptoSeq - s.auditMeta.firstSeq + 1;
        if (drop <= 0) return;
        s.audit.splice(0, drop);
        s.auditMeta = { ...s.auditMeta, firstSeq: uptoSeq + 1, anchorHash };
      },
      async addCheckpoint(tenant, json) {
        state(tenant).checkpoints.push(json);
      },
      async checkpoints(tenant) {
        return [...state(tenant).checkpoints];
      },
      async exportedUpTo(tenant) {
        return state(tenant).exported;
      },
      async markExported(tenant, seq) {
        const s = state(tenant);
        s.exported = Math.max(s.exported, seq);
      },
      async verifiedMark(tenant) {
        return state(tenant).verified;
      },
      async setVerifiedMark(tenant, json) {
        state(tenant).verified = json;
      },
    },
    async ping() {},
    async close() {},
  };
}
