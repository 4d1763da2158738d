import type { AuditAppend } from '../audit/chain.js';
import type { ChangeRequest, ChangeStatus } from '../governance/change-request.js';
import type { Category, Environment } from '../governance/environment.js';
import type { JsonValue } from '../governance/json.js';

// The store behind governed changes: settings, stop states, access assignments, connector secrets and EHR drafts
// (all of them versioned docs), change requests, the outbox of their effects and the refund ledgers. Two
// implementations keep the same contract (test/stores/governance-store-contract.ts runs against both): Redis for
// production and several replicas, in-memory for the embedded default.
//
// Everything that must happen together goes through `commit`: a list of conditional writes that either all happen
// or none does (one Lua script in Redis). Decisions are made before, by the pure transitions of src/governance;
// `commit` only checks that what they were computed from has not moved (change revision, target version). That is
// why the audit append and the ledger adds are ops of this store's commit and not calls on their own stores: a change
// is never applied without its audit record, and a refund never counted twice or not at all. Reading the audit log
// back is the AuditLog's (audit-log.ts); the other concerns (idempotency keys, grant usage, leases) never commit
// with a change and have stores of their own.

/**
 * A versioned document, per environment. Its id names its kind and is built by the services that own it:
 * `setting:<key>` (`settings:<k1>,<k2>` for a compound change), `stop:<target>`, `policy:document`, `assignment:<sub>`,
 * `secret:<connector>:<fingerprint>`, `ehr-draft:<id>` and `ehr-write:<id>`, `refund:<id>`, and the markers
 * `reminder:<change>` and `notified:<key>:<sub>` (written once, so a reminder or an approver e-mail goes out once).
 */
export interface DocRef {
  readonly environment: Environment;
  readonly id: string;
}

export interface DocVersion {
  readonly ref: DocRef;
  readonly version: number;
  readonly value: JsonValue;
  readonly changedBy: string;
  /** null for an emergency stop (no change request). */
  readonly changeId: string | null;
  readonly at: string;
  readonly reason: string | null;
}

export interface StoredChange {
  readonly change: ChangeRequest;
  /** Increments on every write; a writer states the revision it read. */
  readonly rev: number;
}

export interface ChangeFilter {
  readonly status?: ChangeStatus | null;
  readonly environment?: Environment | null;
  readonly category?: Category | null;
}

export interface OutboxEntry {
  readonly idempotencyKey: string;
  readonly tenant: string;
  readonly changeId: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

export type CommitOp =
  /** Writes the change if its stored revision is `expectedRev` (0: must not exist yet). */
  | { readonly type: 'put-change'; readonly change: ChangeRequest; readonly expectedRev: number }
  /** Writes version `doc.version` of a target if the stored version is exactly `doc.version - 1`. */
  | { readonly type: 'put-doc'; readonly doc: DocVersion }
  /** Queues an outbox entry, once per idempotency key; due at once. */
  | { readonly type: 'outbox-add'; readonly idempotencyKey: string; readonly changeId: string }
  /** Removes a finished outbox entry. */
  | { readonly type: 'outbox-done'; readonly idempotencyKey: string }
  | { readonly type: 'audit'; readonly record: AuditAppend }
  /**
   * Adds an amount (in cents) to a windowed ledger (refunds given without approval, per invoice and per patient),
   * once per entry id; entries older than LEDGER_RETENTION_MS before `atMs` are dropped on the way.
   */
  | { readonly type: 'ledger-add'; readonly ledger: string; readonly entryId: string; readonly cents: number; readonly atMs: number };

/** How long a ledger keeps an entry: the longest window a ledger is summed over (billing.refundWindowHours max). */
export const LEDGER_RETENTION_MS = 31 * 86_400_000;

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly conflict: 'change' | 'doc'; readonly id: string };

export interface GovernanceStore {
  getDoc(tenant: string, ref: DocRef): Promise<DocVersion | null>;
  /** Current versions of every target of one kind (`setting:`, `stop:`, `assignment:`, `secret:`) in an environment. */
  listDocs(tenant: string, environment: Environment, prefix: 'setting:' | 'stop:' | 'assignment:' | 'secret:'): Promise<DocVersion[]>;
  /** Every version of a target, oldest first. */
  history(tenant: string, ref: DocRef): Promise<DocVersion[]>;
  getChange(tenant: string, id: string): Promise<StoredChange | null>;
  /** Newest first. */
  listChanges(tenant: string, filter: ChangeFilter, limit: number): Promise<ChangeRequest[]>;
  commit(tenant: string, ops: readonly CommitOp[]): Promise<CommitResult>;
  /**
   * Claims due outbox entries of a tenant for `leaseMs`: a claimed entry is not handed to another worker until the
   * lease runs out (a crashed worker's entries come back).
   */
  claimOutbox(tenant: string, nowMs: number, leaseMs: number, limit: number): Promise<OutboxEntry[]>;
  /** Records a failed attempt; the entry is due again at `retryAtMs`. */
  failOutbox(tenant: string, idempotencyKey: string, error: string, retryAtMs: number): Promise<void>;
  /** The sum (in cents) of a ledger's entries recorded at or after `sinceMs` (see the `ledger-add` op). */
  ledgerSum(tenant: string, ledger: string, sinceMs: number): Promise<number>;
  /** Tenants that have ever committed (for the sweeps over every tenant); written by `commit`, so it lives here. */
  tenants(): Promise<string[]>;
}

export const docKey = (ref: DocRef) => `${ref.environment}:${ref.id}`;

/**
 * The statuses of a change still open. Both stores index open changes by these: every governed write lists the open
 * changes of its environment (to supersede competitors), and that listing must not cost work in the tenant's history.
 */
export const OPEN_CHANGE_STATUSES: ReadonlySet<ChangeStatus> = new Set<ChangeStatus>(['PENDING', 'APPROVED']);

/**
 * The store with its `commit` replaced (a span around it, a window kept after it): every other method is the
 * store's own, bound once.
 */
export function withCommit(store: GovernanceStore, commit: GovernanceStore['commit']): GovernanceStore {
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'commit') return commit;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (!bound.has(prop)) bound.set(prop, (value as (...a: unknown[]) => unknown).bind(target));
      return bound.get(prop);
    },
  });
}
