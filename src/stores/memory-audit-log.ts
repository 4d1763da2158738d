import { GENESIS_HASH, chainHash, formatRecord, type AuditAppend, type AuditMeta, type StoredAuditRecord } from '../audit/chain.js';
import type { AuditLog } from './audit-log.js';

// The embedded default's audit log, in memory. MemoryGovernanceStore appends to it inside its commit (`append`, not
// part of AuditLog: only a commit appends), synchronously, so the append is atomic with the rest of the commit.

interface TenantLog {
  /** Kept as appended and formatted when read: formatting escapes the whole body again, on every request's append. */
  readonly records: StoredAuditRecord[];
  meta: AuditMeta;
  /** Signed checkpoints as stored (JSON), with the seq each pins. */
  checkpoints: { readonly seq: number; readonly json: string }[];
  exported: number;
  verified: string | null;
}

/**
 * The embedded default keeps this many of a tenant's newest audit records (issue 17: memory stays bounded whatever the
 * number of requests). AuditService trims the older ones as retention does, behind a signed checkpoint.
 */
export const MEMORY_AUDIT_WINDOW = 1_000;

export class MemoryAuditLog implements AuditLog {
  private readonly logs = new Map<string, TenantLog>();

  private log(tenant: string): TenantLog {
    let l = this.logs.get(tenant);
    if (!l) {
      const meta = { headSeq: 0, headHash: GENESIS_HASH, firstSeq: 1, anchorHash: GENESIS_HASH };
      l = { records: [], checkpoints: [], exported: 0, verified: null, meta };
      this.logs.set(tenant, l);
    }
    return l;
  }

  /** Chains and appends one record (called by MemoryGovernanceStore.commit only). */
  append(tenant: string, record: AuditAppend): void {
    const l = this.log(tenant);
    const seq = l.meta.headSeq + 1;
    const hash = chainHash(l.meta.headHash, record.bodyHash);
    l.records.push({ seq, prev: l.meta.headHash, bodyHash: record.bodyHash, hash, body: record.body });
    l.meta = { ...l.meta, headSeq: seq, headHash: hash };
  }

  async meta(tenant: string): Promise<AuditMeta> {
    return { ...this.log(tenant).meta };
  }

  async records(tenant: string, fromSeq: number, limit: number): Promise<string[]> {
    const l = this.log(tenant);
    const from = Math.max(fromSeq, l.meta.firstSeq) - l.meta.firstSeq;
    return l.records.slice(from, from + limit).map(formatRecord);
  }

  async trim(tenant: string, uptoSeq: number, anchorHash: string): Promise<void> {
    const l = this.log(tenant);
    const drop = uptoSeq - l.meta.firstSeq + 1;
    if (drop <= 0) return;
    l.records.splice(0, drop);
    l.meta = { ...l.meta, firstSeq: uptoSeq + 1, anchorHash };
    // A checkpoint of a dropped record pins nothing kept: verification starts at the anchor's (issue 17: one was added
    // per trim, so the embedded log's checkpoints grew with the number of requests).
    l.checkpoints = l.checkpoints.filter((c) => c.seq >= uptoSeq);
  }

  async addCheckpoint(tenant: string, json: string): Promise<void> {
    this.log(tenant).checkpoints.push({ seq: (JSON.parse(json) as { seq: number }).seq, json });
  }

  async checkpoints(tenant: string): Promise<string[]> {
    return this.log(tenant).checkpoints.map((c) => c.json);
  }

  async exportedUpTo(tenant: string): Promise<number> {
    return this.log(tenant).exported;
  }

  async markExported(tenant: string, seq: number): Promise<void> {
    const l = this.log(tenant);
    l.exported = Math.max(l.exported, seq);
  }

  async verifiedMark(tenant: string): Promise<string | null> {
    return this.log(tenant).verified;
  }

  async setVerifiedMark(tenant: string, json: string): Promise<void> {
    this.log(tenant).verified = json;
  }
}
