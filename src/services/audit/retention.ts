import type { AuditService } from './audit-service.js';
import { parseRecord, recordTime } from '../../audit/audit-records.js';
import type { Checkpoint, VerifyResult } from '../../audit/verify-chain.js';
import type { GovernanceDeps } from '../governance/deps.js';
import { currentSetting } from '../governance/reads.js';

// Retention of a tenant's audit log (the governed setting `audit.retentionDays`). A trim never removes a record
// without saying so:
// - it verifies first and refuses on a broken chain (trimming would destroy the evidence);
// - it removes only the oldest records, older than the cutoff, and only up to what was exported, unless forced (then
//   it reports how many unexported records it removed);
// - before removing anything it signs a checkpoint at the new anchor, because verification trusts a trimmed log's
//   starting point only through a signed checkpoint (src/audit/verify-chain.ts, ANCHOR_UNSIGNED);
// - it verifies again afterwards and reports the result.

export const RETENTION_SETTING = 'audit.retentionDays';
const DAY_MS = 86_400_000;

export interface TrimOptions {
  readonly tenant: string;
  readonly retentionDays: number;
  readonly now: number;
  /** Also remove records older than the cutoff that were never exported. */
  readonly force?: boolean;
}

export type TrimReport =
  | { readonly status: 'refused'; readonly reason: 'BROKEN_CHAIN'; readonly verify: Extract<VerifyResult, { ok: false }> }
  | {
      readonly status: 'trimmed' | 'nothing-to-trim';
      readonly cutoff: string;
      /** Records removed (seq firstSeq..uptoSeq of before the trim). */
      readonly removed: number;
      readonly uptoSeq: number;
      /** Records older than the cutoff that were kept because they are not exported yet (without force). */
      readonly unexportedKept: number;
      /** Records removed although never exported (force only). */
      readonly unexportedRemoved: number;
      readonly checkpoint: Checkpoint | null;
      readonly verifyAfter: VerifyResult;
    };

/** The tenant's retention in days, from the governed setting in PRODUCTION (the catalog default until changed). */
export async function retentionDaysOf(governance: GovernanceDeps, tenant: string): Promise<number> {
  const { value } = await currentSetting(governance, tenant, RETENTION_SETTING, 'PRODUCTION');
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`${RETENTION_SETTING} is not a whole number of days`);
  return value;
}

/**
 * The run of oldest records that are all older than the cutoff (contiguous from firstSeq: the first newer record ends
 * it). Returns its last seq, and the hash of each seq a trim could stop at.
 */
async function expiredPrefix(
  audit: AuditService,
  tenant: string,
  cutoffMs: number,
  exported: number,
): Promise<{ seq: number; hashOf: (seq: number) => string | undefined }> {
  let seq = 0;
  let hash: string | undefined;
  let exportedHash: string | undefined;
  for await (const raw of audit.rawRecords(tenant)) {
    const record = parseRecord(raw);
    if (!record || !(recordTime(record) < cutoffMs)) break;
    ({ seq, hash } = record);
    if (seq === exported) exportedHash = hash;
  }
  return { seq, hashOf: (s) => (s === seq ? hash : s === exported ? exportedHash : undefined) };
}

export async function trimAuditLog(audit: AuditService, options: TrimOptions): Promise<TrimReport> {
  const { tenant } = options;
  const before = await audit.verify(tenant);
  if (!before.ok) return { status: 'refused', reason: 'BROKEN_CHAIN', verify: before };
  const cutoffMs = options.now - options.retentionDays * DAY_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  const { firstSeq } = await audit.meta(tenant);
  const exported = await audit.exportedUpTo(tenant);
  const expired = await expiredPrefix(audit, tenant, cutoffMs, exported);
  const uptoSeq = options.force ? expired.seq : Math.min(expired.seq, exported);
  const unexported = Math.max(0, expired.seq - Math.max(exported, firstSeq - 1));
  const counts = { unexportedKept: options.force ? 0 : unexported, unexportedRemoved: options.force ? unexported : 0 };
  if (uptoSeq < firstSeq) {
    return { status: 'nothing-to-trim', cutoff, removed: 0, uptoSeq: firstSeq - 1, ...counts, checkpoint: null, verifyAfter: before };
  }
  // The new anchor is a record we have just verified: sign it first, so the trimmed log is never left unpinned.
  const checkpoint = await audit.checkpointAt(tenant, uptoSeq, expired.hashOf(uptoSeq)!);
  await audit.trim(tenant, uptoSeq, checkpoint.hash);
  return {
    status: 'trimmed',
    cutoff,
    removed: uptoSeq - firstSeq + 1,
    uptoSeq,
    ...counts,
    checkpoint,
    verifyAfter: await audit.verify(tenant),
  };
}
