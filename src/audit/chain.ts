import { createHash } from 'node:crypto';
import type { AuditAppend, StoredAuditRecord } from '../stores/governance-store.js';

// The audit hash chain, as CloudTrail chains its digest files: each record commits to the hash of the record before
// it, so an edit, a deletion or a reordering breaks every link after it. The Redis store computes the same link in
// Lua (src/stores/redis-sha256-lua.ts) inside the append script; the in-memory store and the verifier use this.

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** hash = SHA-256(prev + bodyHash): two hex strings concatenated. */
export const chainHash = (prev: string, bodyHash: string): string => sha256Hex(prev + bodyHash);

export function auditAppend(body: unknown): AuditAppend {
  const text = JSON.stringify(body);
  return { body: text, bodyHash: sha256Hex(text) };
}

export function formatRecord(record: StoredAuditRecord): string {
  return JSON.stringify({ seq: record.seq, prev: record.prev, bodyHash: record.bodyHash, hash: record.hash, body: record.body });
}
