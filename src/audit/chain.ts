import { hash } from 'node:crypto';

// The audit hash chain, as CloudTrail chains its digest files: each record commits to the hash of the record before
// it, so an edit, a deletion or a reordering breaks every link after it. The Redis store computes the same link in
// Lua (src/stores/redis-sha256-lua.ts) inside the append script; the in-memory store and the verifier use this.

/** A record for the tenant's append-only audit log: the store chains it (stores/governance-store.ts, the `audit` op). */
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

/** Where a tenant's chain stands: its head, and where verification starts after retention trimmed the oldest. */
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

// One-shot (node:crypto hash, Node 20.12): a request's audit record is hashed twice (body, then link), and a Hash
// object per digest cost more than the digest of a record this size.
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/** hash = SHA-256(prev + bodyHash): two hex strings concatenated. */
export const chainHash = (prev: string, bodyHash: string): string => sha256Hex(prev + bodyHash);

export function auditAppend(body: unknown): AuditAppend {
  const text = JSON.stringify(body);
  return { body: text, bodyHash: sha256Hex(text) };
}

export function formatRecord(record: StoredAuditRecord): string {
  return JSON.stringify({ seq: record.seq, prev: record.prev, bodyHash: record.bodyHash, hash: record.hash, body: record.body });
}
