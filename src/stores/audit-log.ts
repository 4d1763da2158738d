import type { AuditMeta } from '../audit/chain.js';

// Reading and keeping a tenant's audit log. Records are appended only by GovernanceStore.commit (the `audit` op), in
// the same atomic step as the change they record; this interface reads them back, trims the oldest (retention) and
// keeps the log's marks. Contract: test/stores/audit-log-contract.ts, run against MemoryAuditLog and RedisAuditLog.

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
