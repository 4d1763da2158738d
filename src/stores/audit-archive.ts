// The long-term part of a tenant's audit log: sealed segments (records up to a signed checkpoint) moved out of Redis
// (src/services/audit/audit-archiver.ts). PostgreSQL implements it (src/stores/postgres-audit-archive.ts); the embedded
// default has none. The archive only ever appends: the role it connects as holds INSERT and SELECT, nothing else.

/** The archived run of a tenant's chain: records firstSeq..headSeq, chained from anchorHash (headSeq < firstSeq: empty). */
export interface ArchiveMeta {
  readonly firstSeq: number;
  readonly anchorHash: string;
  readonly headSeq: number;
  readonly headHash: string;
}

/** A record as archived: the chained text byte for byte, plus the columns the indexes serve. */
export interface ArchivedRecord {
  readonly seq: number;
  readonly hash: string;
  /** ISO time of the record (its newest event): picks the month partition. */
  readonly at: string;
  readonly patients: readonly string[];
  readonly actors: readonly string[];
  readonly actions: readonly string[];
  readonly raw: string;
}

/** What an indexed search narrows on; every event of a returned record is still matched by the caller. */
export interface ArchiveSearch {
  readonly patientId?: string | null;
  readonly actor?: string | null;
  readonly action?: string | null;
}

export interface AuditArchive {
  meta(tenant: string): Promise<ArchiveMeta>;
  /**
   * One transaction: the records with seq above the archived head (those at or below it are already there, from a run
   * that stopped before its trim), then the segment's signed checkpoint. Returns the archived head after it.
   */
  appendSegment(tenant: string, records: readonly ArchivedRecord[], checkpointJson: string): Promise<number>;
  /** Raw records with seq >= fromSeq, oldest first. */
  records(tenant: string, fromSeq: number, limit: number): Promise<string[]>;
  /** Raw records with seq < beforeSeq that name this patient/actor/action, newest first (indexed). */
  search(tenant: string, filter: ArchiveSearch, beforeSeq: number, limit: number): Promise<string[]>;
  checkpoints(tenant: string): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A tenant's month partition in the archive, with the seq range it holds (null: empty). */
export interface MonthPartition {
  readonly name: string;
  /** YYYY-MM-01 (UTC). */
  readonly month: string;
  readonly minSeq: number | null;
  readonly maxSeq: number | null;
}

/**
 * What only the archive's owner may do (never the role the gateway runs as): list a tenant's month partitions, and
 * drop the oldest ones while moving the tenant's anchor, in one transaction (src/services/audit/archive-retention.ts).
 */
export interface AuditArchiveOwner {
  monthPartitions(tenant: string): Promise<MonthPartition[]>;
  dropMonths(tenant: string, names: readonly string[], firstSeq: number, anchorHash: string): Promise<void>;
  close(): Promise<void>;
}
