import type { ChangeRequest, ChangeStatus } from '../governance/change-request.js';
import type { Environment } from '../governance/environment.js';
import { trimFinishedChanges, trimHistory } from './memory-change-window.js';
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
import type { MemoryAuditLog } from './memory-audit-log.js';

// The in-memory store of the embedded default: not durable (the gateway says so at start-up). JavaScript runs one
// commit at a time, so checking and writing inside `commit` without an await is atomic, like the Redis script; the
// audit op appends to the MemoryAuditLog handed in, in the same synchronous step.

interface TenantState {
  readonly docs: Map<string, DocVersion[]>;
  readonly changes: Map<string, StoredChange>;
  /**
   * Open change ids by status (PENDING, APPROVED): an applying write asks for the open changes of its environment
   * (supersede-competitors.ts) on every commit, and a scan of every stored change (with the window of finished ones)
   * made each apply cost work in the number of changes kept. Finished changes (never trimmed while open) leave it.
   */
  readonly open: Map<ChangeStatus, Set<string>>;
  readonly outbox: Map<string, OutboxEntry & { dueMs: number }>;
  /** Ledger name -> entry id -> (cents, time). */
  readonly ledgers: Map<string, Map<string, { cents: number; atMs: number }>>;
}

const clone = <T>(v: T): T => structuredClone(v);
/** Open changes are never trimmed (memory-change-window.ts), so the index never names a gone change. */
const OPEN = OPEN_CHANGE_STATUSES;

export class MemoryGovernanceStore implements GovernanceStore {
  private readonly states = new Map<string, TenantState>();

  constructor(private readonly audit: MemoryAuditLog) {}

  private state(tenant: string): TenantState {
    let s = this.states.get(tenant);
    if (!s) {
      s = { ledgers: new Map(), docs: new Map(), changes: new Map(), open: new Map(), outbox: new Map() };
      this.states.set(tenant, s);
    }
    return s;
  }

  private static current(s: TenantState, key: string): DocVersion | null {
    return s.docs.get(key)?.at(-1) ?? null;
  }

  async getDoc(tenant: string, ref: DocRef): Promise<DocVersion | null> {
    return clone(MemoryGovernanceStore.current(this.state(tenant), docKey(ref)));
  }

  async listDocs(tenant: string, environment: Environment, prefix: string): Promise<DocVersion[]> {
    const s = this.state(tenant);
    return [...s.docs.keys()]
      .filter((k) => k.startsWith(`${environment}:${prefix}`))
      .map((k) => clone(MemoryGovernanceStore.current(s, k)!))
      .sort((a, b) => a.ref.id.localeCompare(b.ref.id));
  }

  async history(tenant: string, ref: DocRef): Promise<DocVersion[]> {
    return clone(this.state(tenant).docs.get(docKey(ref)) ?? []);
  }

  async getChange(tenant: string, id: string): Promise<StoredChange | null> {
    return clone(this.state(tenant).changes.get(id) ?? null);
  }

  async listChanges(tenant: string, filter: ChangeFilter, limit: number): Promise<ChangeRequest[]> {
    const s = this.state(tenant);
    return MemoryGovernanceStore.candidates(s, filter.status)
      .filter((c) => (!filter.status || c.status === filter.status) && (!filter.environment || c.environment === filter.environment)
        && (!filter.category || c.category === filter.category))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map(clone);
  }

  /** The changes of an open status through the index; any other filter scans them all. */
  private static candidates(s: TenantState, status: ChangeStatus | null | undefined): ChangeRequest[] {
    if (!status || !OPEN.has(status)) return [...s.changes.values()].map((c) => c.change);
    return [...(s.open.get(status) ?? [])].map((id) => s.changes.get(id)!.change);
  }

  private static index(s: TenantState, previous: ChangeStatus | undefined, change: ChangeRequest): void {
    if (previous !== undefined && previous !== change.status) s.open.get(previous)?.delete(change.id);
    if (!OPEN.has(change.status)) return;
    let ids = s.open.get(change.status);
    if (!ids) {
      ids = new Set();
      s.open.set(change.status, ids);
    }
    ids.add(change.id);
  }

  async commit(tenant: string, ops: readonly CommitOp[]): Promise<CommitResult> {
    const s = this.state(tenant);
    const current = (key: string) => MemoryGovernanceStore.current(s, key);
    for (const op of ops) {
      if (op.type === 'put-change' && (s.changes.get(op.change.id)?.rev ?? 0) !== op.expectedRev) {
        return { ok: false, conflict: 'change', id: op.change.id };
      }
      if (op.type === 'put-doc' && (current(docKey(op.doc.ref))?.version ?? 0) !== op.doc.version - 1) {
        return { ok: false, conflict: 'doc', id: op.doc.ref.id };
      }
    }
    for (const op of ops) {
      switch (op.type) {
        case 'put-change': {
          const previous = s.changes.get(op.change.id)?.change.status;
          s.changes.set(op.change.id, { change: clone(op.change) as ChangeRequest, rev: op.expectedRev + 1 });
          MemoryGovernanceStore.index(s, previous, op.change);
          break;
        }
        case 'put-doc': {
          // Appended in place: copying the history on every version made a long-lived embedded gateway's writes
          // slower with every change (readers get clones, so nobody holds the array).
          const key = docKey(op.doc.ref);
          const versions = s.docs.get(key) ?? [];
          versions.push(clone(op.doc));
          trimHistory(versions);
          s.docs.set(key, versions);
          break;
        }
        case 'outbox-add':
          if (!s.outbox.has(op.idempotencyKey)) {
            const entry = { idempotencyKey: op.idempotencyKey, tenant, changeId: op.changeId, attempts: 0, lastError: null, dueMs: 0 };
            s.outbox.set(op.idempotencyKey, entry);
          }
          break;
        case 'outbox-done':
          s.outbox.delete(op.idempotencyKey);
          break;
        case 'audit':
          this.audit.append(tenant, op.record);
          break;
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
  }

  async claimOutbox(tenant: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxEntry[]> {
    const claimed: OutboxEntry[] = [];
    for (const e of this.state(tenant).outbox.values()) {
      if (claimed.length >= limit) break;
      if (e.dueMs > nowMs) continue;
      e.dueMs = nowMs + leaseMs;
      claimed.push({ idempotencyKey: e.idempotencyKey, tenant, changeId: e.changeId, attempts: e.attempts, lastError: e.lastError });
    }
    return claimed;
  }

  async failOutbox(tenant: string, idempotencyKey: string, error: string, retryAtMs: number): Promise<void> {
    const outbox = this.state(tenant).outbox;
    const e = outbox.get(idempotencyKey);
    if (e) outbox.set(idempotencyKey, { ...e, attempts: e.attempts + 1, lastError: error, dueMs: retryAtMs });
  }

  async ledgerSum(tenant: string, ledger: string, sinceMs: number): Promise<number> {
    let sum = 0;
    for (const e of this.state(tenant).ledgers.get(ledger)?.values() ?? []) if (e.atMs >= sinceMs) sum += e.cents;
    return sum;
  }

  async tenants(): Promise<string[]> {
    return [...this.states.keys()];
  }
}
