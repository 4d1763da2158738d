import type { ChangeRequest, ChangeStatus } from '../governance/change-request.js';
import type { Category, Environment } from '../governance/environment.js';
import type { JsonValue } from '../governance/json.js';

// The store behind governed changes. Two implementations keep the same contract (test/stores/contract.ts runs
// against both): Redis for production and several replicas, in-memory for the embedded default.
//
// Everything that must happen together goes through `commit`: a list of conditional writes that either all happen
// or none does (one Lua script in Redis). Decisions are made before, by the pure transitions of src/governance;
// `commit` only checks that what they were computed from has not moved (change revision, target version).

/** A versioned target: a setting (`setting:<key>`) or a stop state (`stop:<target>`), per environment. */
export interface DocRef {
  readonly environment: Environment;
  /** `setting:<key>` or `stop:<target>`. */
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

/** A record for the tenant's append-only audit log (chained and signed by the audit module). */
export interface AuditAppend {
  readonly json: string;
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
  | { readonly type: 'audit'; readonly record: AuditAppend };

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly conflict: 'change' | 'doc'; readonly id: string };

export interface GovernanceStore {
  getDoc(tenant: string, ref: DocRef): Promise<DocVersion | null>;
  /** Current versions of every target of one kind (`setting:` or `stop:`) in an environment. */
  listDocs(tenant: string, environment: Environment, prefix: 'setting:' | 'stop:'): Promise<DocVersion[]>;
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
  /** Tenants that have ever committed (for the outbox worker's sweep). */
  tenants(): Promise<string[]>;
  /** The tenant's audit records in order (raw JSON), for the audit module. */
  auditRecords(tenant: string, fromIndex: number, limit: number): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const docKey = (ref: DocRef) => `${ref.environment}:${ref.id}`;
