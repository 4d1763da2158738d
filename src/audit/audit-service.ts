import type { AuditMeta, GovernanceStore, StoredAuditRecord } from '../stores/governance-store.js';
import type { AuditEvent, AuditRecordBody, PhiReadBlock } from './audit-event.js';
import { AuditUnavailableError } from './audit-unavailable-error.js';
import { auditAppend } from './chain.js';
import { signCheckpoint, verifyChain, type Checkpoint, type VerifyResult } from './verify-chain.js';

// Writing, checkpointing and verifying a tenant's audit log. Writing fails closed: a caller that cannot write its
// audit record gets AuditUnavailableError and must not act (governed changes write theirs inside their own commit).

export interface AuditServiceDeps {
  readonly store: GovernanceStore;
  /** HMAC key for checkpoints (config AUDIT_HMAC_KEY; a random per-state-dir key in embedded mode). */
  readonly hmacKey: string;
  readonly now: () => number;
}

const PAGE = 1_000;

export class AuditService {
  constructor(private readonly deps: AuditServiceDeps) {}

  /** Appends one record holding these events (one chain link). */
  async write(tenant: string, events: readonly AuditEvent[], phiReads?: PhiReadBlock): Promise<void> {
    if (events.length === 0 && !phiReads?.groups.length) return;
    const body: AuditRecordBody = phiReads ? { v: 1, tenant, events, phiReads } : { v: 1, tenant, events };
    try {
      const r = await this.deps.store.commit(tenant, [{ type: 'audit', record: auditAppend(body) }]);
      if (!r.ok) throw new Error('audit append refused');
    } catch {
      throw new AuditUnavailableError();
    }
  }

  /** Every raw record from `fromSeq`, oldest first, in pages. */
  async *rawRecords(tenant: string, fromSeq = 1): AsyncGenerator<string> {
    let seq = fromSeq;
    for (;;) {
      const page = await this.deps.store.audit.records(tenant, seq, PAGE);
      yield* page;
      if (page.length < PAGE) return;
      seq = (JSON.parse(page.at(-1)!) as StoredAuditRecord).seq + 1;
    }
  }

  meta(tenant: string): Promise<AuditMeta> {
    return this.deps.store.audit.meta(tenant);
  }

  /** Up to `limit` raw records from `fromSeq`, oldest first (one store read). */
  page(tenant: string, fromSeq: number, limit: number): Promise<string[]> {
    return this.deps.store.audit.records(tenant, fromSeq, limit);
  }

  exportedUpTo(tenant: string): Promise<number> {
    return this.deps.store.audit.exportedUpTo(tenant);
  }

  markExported(tenant: string, seq: number): Promise<void> {
    return this.deps.store.audit.markExported(tenant, seq);
  }

  /**
   * Drops records up to `uptoSeq`. Callers go through src/audit/retention.ts, which verifies first and signs a
   * checkpoint at the new anchor before calling this (verification needs that checkpoint to trust the anchor).
   */
  trim(tenant: string, uptoSeq: number, anchorHash: string): Promise<void> {
    return this.deps.store.audit.trim(tenant, uptoSeq, anchorHash);
  }

  async checkpoints(tenant: string): Promise<Checkpoint[]> {
    return (await this.deps.store.audit.checkpoints(tenant)).map((j) => JSON.parse(j) as Checkpoint);
  }

  /** Signs the current head, so everything up to it is pinned even against someone who can rewrite the store. */
  async checkpoint(tenant: string): Promise<Checkpoint | null> {
    const meta = await this.deps.store.audit.meta(tenant);
    if (meta.headSeq === 0) return null;
    const last = (await this.checkpoints(tenant)).at(-1);
    if (last?.seq === meta.headSeq) return last;
    return this.checkpointAt(tenant, meta.headSeq, meta.headHash);
  }

  /** Signs a given record's hash: only for a record the caller has just verified (retention's new anchor). */
  async checkpointAt(tenant: string, seq: number, hash: string): Promise<Checkpoint> {
    const c = signCheckpoint(this.deps.hmacKey, { tenant, seq, hash, at: new Date(this.deps.now()).toISOString() });
    await this.deps.store.audit.addCheckpoint(tenant, JSON.stringify(c));
    return c;
  }

  async verify(tenant: string): Promise<VerifyResult> {
    const meta = await this.deps.store.audit.meta(tenant);
    const records: string[] = [];
    for await (const r of this.rawRecords(tenant, meta.firstSeq)) records.push(r);
    return verifyChain(tenant, meta, records, await this.checkpoints(tenant), this.deps.hmacKey);
  }
}
