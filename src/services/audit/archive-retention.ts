import type { AuditArchiveOwner, MonthPartition } from '../../stores/audit-archive.js';
import { parseRecord } from '../../audit/audit-records.js';
import type { AuditService } from './audit-service.js';
import type { Checkpoint, VerifyResult } from '../../audit/verify-chain.js';

// Retention of the archived log (the governed setting `audit.retentionDays`, default six years): whole month
// partitions of a tenant past the cutoff are dropped, by the archive's owner (the gateway's archive role cannot).
// As the store's trim (src/services/audit/retention.ts) it never removes a record without saying so:
// - it verifies the whole log first and refuses on a broken chain;
// - it drops only a run of months that is a prefix of the chain (a straggler record of an older seq in a newer month
//   holds them back) and, unless forced, only records already exported;
// - before dropping it signs a checkpoint at the new anchor, then moves the anchor and drops the months in one
//   transaction; a crash between the two leaves an extra checkpoint and nothing dropped;
// - it verifies again afterwards and reports the result.

const DAY_MS = 86_400_000;

export interface ArchiveRetentionOptions {
  readonly tenant: string;
  readonly retentionDays: number;
  readonly now: number;
  readonly force?: boolean;
}

export type ArchiveRetentionReport =
  | { readonly status: 'refused'; readonly reason: 'BROKEN_CHAIN'; readonly verify: Extract<VerifyResult, { ok: false }> }
  | {
      readonly status: 'dropped' | 'nothing-to-drop';
      readonly cutoff: string;
      /** Month partitions dropped (YYYY-MM-01). */
      readonly months: readonly string[];
      /** Records dropped with them; the log now starts after uptoSeq. */
      readonly removed: number;
      readonly uptoSeq: number;
      /** Expired months kept because they hold records not exported yet (without force). */
      readonly unexportedMonthsKept: number;
      readonly checkpoint: Checkpoint | null;
      readonly verifyAfter: VerifyResult;
    };

const monthEnd = (month: string) => {
  const d = new Date(`${month}T00:00:00.000Z`);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The longest run of oldest months, all expired, that holds exactly the chain's oldest records. */
function droppablePrefix(parts: readonly MonthPartition[], cutoffMs: number, maxSeq: number): MonthPartition[] {
  let best = 0;
  let upto = 0;
  for (let k = 1; k <= parts.length; k++) {
    const p = parts[k - 1]!;
    if (monthEnd(p.month) > cutoffMs || (p.maxSeq ?? 0) > maxSeq) break;
    upto = Math.max(upto, p.maxSeq ?? 0);
    const rest = parts.slice(k).map((q) => q.minSeq).filter((s): s is number => s !== null);
    if (rest.every((s) => s > upto)) best = k;
  }
  return parts.slice(0, best);
}

export async function dropExpiredArchive(
  audit: AuditService,
  owner: AuditArchiveOwner,
  options: ArchiveRetentionOptions,
): Promise<ArchiveRetentionReport> {
  const { tenant } = options;
  const before = await audit.verify(tenant);
  if (!before.ok) return { status: 'refused', reason: 'BROKEN_CHAIN', verify: before };
  const cutoffMs = options.now - options.retentionDays * DAY_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  const parts = [...(await owner.monthPartitions(tenant))].sort((a, b) => a.month.localeCompare(b.month));
  const exported = options.force ? Number.MAX_SAFE_INTEGER : await audit.exportedUpTo(tenant);
  const expired = droppablePrefix(parts, cutoffMs, Number.MAX_SAFE_INTEGER);
  const drop = droppablePrefix(parts, cutoffMs, exported);
  const meta = await audit.meta(tenant);
  const uptoSeq = Math.max(meta.firstSeq - 1, ...drop.map((p) => p.maxSeq ?? 0));
  const kept = expired.length - drop.length;
  if (drop.length === 0) {
    return {
      status: 'nothing-to-drop',
      cutoff,
      months: [],
      removed: 0,
      uptoSeq: meta.firstSeq - 1,
      unexportedMonthsKept: kept,
      checkpoint: null,
      verifyAfter: before,
    };
  }
  // The new anchor is a record we have just verified: sign it first, so the archive is never left unpinned.
  let checkpoint: Checkpoint | null = null;
  if (uptoSeq >= meta.firstSeq) {
    const record = parseRecord((await audit.page(tenant, uptoSeq, 1))[0] ?? '');
    if (record?.seq !== uptoSeq) throw new Error(`record ${uptoSeq} of ${tenant} could not be read`);
    checkpoint = await audit.checkpointAt(tenant, uptoSeq, record.hash);
  }
  const anchorHash = checkpoint?.hash ?? meta.anchorHash;
  await owner.dropMonths(
    tenant,
    drop.map((p) => p.name),
    uptoSeq + 1,
    anchorHash,
  );
  return {
    status: 'dropped',
    cutoff,
    months: drop.map((p) => p.month),
    removed: uptoSeq - meta.firstSeq + 1,
    uptoSeq,
    unexportedMonthsKept: kept,
    checkpoint,
    verifyAfter: await audit.verify(tenant),
  };
}
