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

/** A record for the tenant's append-only audit log: the store chains it (see src/audit/chain.ts). */
export interface AuditAppend {
  /** The record's body: JSON text, hashed byte for byte. */
  readonly body: string;
  /** SHA-256 (hex) of `body`. */
  readonly bodyHash: string;
}

/**
 * A stored audit record: `hash = SHA-256(prev + bodyHash)` (hex strings concatenated), `prev` the hash of the record
 * before it in the tenant's log (64 zeros for the first). Appended only inside a commit, so concurrent writers on any
 * replica extend one chain.
 */
export interface StoredAuditRecord {
  readonly seq: number;
  readonly prev: string;
  readonly bodyHash: string;
  readonly hash: string;
  readonly body: string;
}

export interface AuditMeta {
  /** Seq and hash of the newest record (0 and the genesis hash when empty). */
  readonly headSeq: number;
  readonly headHash: string;
  /** Seq of the oldest retained record (1 until a trim). */
  readonly firstSeq: number;
  /** Hash of the record just before firstSeq (genesis until a trim): where verification starts. */
  readonly anchorHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

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

export interface AuditLog {
  meta(tenant: string): Promise<AuditMeta>;
  /** Records with seq >= fromSeq, oldest first. Parsed leniently: verification decides what is wrong. */
  records(tenant: string, fromSeq: number, limit: number): Promise<string[]>;
  /** Drops records with seq <= uptoSeq (retention); the anchor becomes the hash of record uptoSeq. */
  trim(tenant: string, uptoSeq: number, anchorHash: string): Promise<void>;
  addCheckpoint(tenant: string, checkpointJson: string): Promise<void>;
  checkpoints(tenant: string): Promise<string[]>;
  /** Highest seq exported so far (retention never drops beyond it silently). */
  exportedUpTo(tenant: string): Promise<number>;
  markExported(tenant: string, seq: number): Promise<void>;
  /** The signed "verified up to" mark of the last full verify (src/audit/verify-chain.ts VerifiedMark), or null. */
  verifiedMark(tenant: string): Promise<string | null>;
  setVerifiedMark(tenant: string, markJson: string): Promise<void>;
}

/**
 * What claiming a client's idempotency key found (sendPatientMessage's `idempotencyKey`): `claimed` (the key was free
 * and is now held, in flight, for this request), `in-flight` (held by an unfinished request), `mismatch` (held for a
 * different request) or `completed` with the stored answer (opaque text; the caller encodes it).
 */
export type IdempotencyClaim =
  | { readonly state: 'claimed' | 'in-flight' | 'mismatch' }
  | { readonly state: 'completed'; readonly result: string };

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly conflict: 'change' | 'doc'; readonly id: string };

export interface GovernanceStore {
  getDoc(tenant: string, ref: DocRef): Promise<DocVersion | null>;
  /** Current versions of every target of one kind (`setting:`, `stop:`, `assignment:`) in an environment. */
  listDocs(tenant: string, environment: Environment, prefix: 'setting:' | 'stop:' | 'assignment:' | 'secret:'): Promise<DocVersion[]>;
  /**
   * Last use of a grant or assignment (access reviews). Outside commits on purpose: it is a cheap, lossy hint
   * (written at most once a minute per grant), never part of a decision.
   */
  recordUsage(tenant: string, entryId: string, atIso: string): Promise<void>;
  /** Last-use times by entry id. */
  usage(tenant: string): Promise<Record<string, string>>;
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
  /**
   * Claims `scopeKey` for a request whose hash is `requestHash`, atomically (two concurrent claims: one wins). The key
   * and whatever it stores expire `ttlMs` after the claim.
   */
  claimIdempotencyKey(tenant: string, scopeKey: string, requestHash: string, ttlMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer of a claimed key (only while it is still held for `requestHash`); keeps its expiry. */
  completeIdempotencyKey(tenant: string, scopeKey: string, requestHash: string, result: string): Promise<void>;
  /** Frees a claimed key that has no stored answer (the request failed before doing anything), so a retry may run. */
  releaseIdempotencyKey(tenant: string, scopeKey: string, requestHash: string): Promise<void>;
  /** Tenants that have ever committed (for the outbox worker's sweep). */
  tenants(): Promise<string[]>;
  readonly audit: AuditLog;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const docKey = (ref: DocRef) => `${ref.environment}:${ref.id}`;
