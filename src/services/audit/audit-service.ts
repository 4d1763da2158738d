import type { AuditArchive } from '../../stores/audit-archive.js';
import type { CommitOp } from '../../stores/governance-store.js';
import type { Stores } from '../../stores/stores.js';
import type { AuditEvent, AuditRecordBody, PhiReadBlock } from '../../audit/audit-event.js';
import { AuditUnavailableError } from '../../errors/errors.js';
import { auditAppend, type AuditMeta, type StoredAuditRecord } from '../../audit/chain.js';
import {
  ChainVerifier, checkpointSignatureValid, signCheckpoint, signVerifiedMark, verifiedMarkValid,
  type Checkpoint, type VerifiedMark, type VerifyResult,
} from '../../audit/verify-chain.js';

// Writing, checkpointing and verifying a tenant's audit log. Writing fails closed: a caller that cannot write its
// audit record gets AuditUnavailableError and must not act (governed changes write theirs inside their own commit).

export interface AuditServiceDeps {
  /** Appends go through the governance store's commit (atomic with changes); reads through the audit log. */
  readonly stores: Pick<Stores, 'governance' | 'audit'>;
  /** HMAC key for checkpoints (config AUDIT_HMAC_KEY; a random per-state-dir key in embedded mode). */
  readonly hmacKey: string;
  readonly now: () => number;
  /** The PostgreSQL archive of sealed segments (AUDIT_ARCHIVE_URL); absent in the embedded default and without it. */
  readonly archive?: AuditArchive;
  /** false for the embedded default's in-memory store (auditVerify says so). */
  readonly durable?: boolean;
  /** The in-memory store's bounded window: the newest N records per tenant are kept (null/absent: all of them). */
  readonly window?: number | null;
  /** Told how long each append took, in seconds (metrics). */
  readonly onAppend?: (seconds: number) => void;
}

const PAGE = 1_000;
/** Records in one group commit at most (a Redis script's size stays modest however many requests queue). */
const MAX_GROUP = 256;

interface QueuedRecord {
  readonly body: AuditRecordBody;
  readonly started: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** Where a tenant's log lives, as auditVerify reports it. */
export type AuditStorage = 'memory' | 'redis' | 'redis+postgresql';

// One log to every reader: records up to the archived head are read from the archive, the rest from the store (the
// hot window). A record copied but not yet trimmed from the store (a run that stopped between the two) is read from
// the archive only, so nobody sees it twice.

export class AuditService {
  constructor(private readonly deps: AuditServiceDeps) {}

  /**
   * Appends one record holding these events (one chain link), and resolves once it is committed. Records written in
   * the same turn of the event loop are committed together (group commit): one store commit, and on Redis one round
   * trip, for all of them, each still its own record and link, in the order written. A failed commit fails every
   * writer in it (AuditUnavailableError): none of them may answer. Measured (issue 17): JSON, hashes and commit of a
   * PHI-read record cost 120-180 us per request when run once per request, 70-95 us in batches of two.
   */
  write(tenant: string, events: readonly AuditEvent[], phiReads?: PhiReadBlock): Promise<void> {
    if (events.length === 0 && !phiReads?.groups.length) return Promise.resolve();
    const body: AuditRecordBody = phiReads ? { v: 1, tenant, events, phiReads } : { v: 1, tenant, events };
    return new Promise<void>((resolve, reject) => {
      let queue = this.queued.get(tenant);
      if (!queue) {
        queue = [];
        this.queued.set(tenant, queue);
        setImmediate(() => void this.commitQueued(tenant));
      }
      queue.push({ body, started: performance.now(), resolve, reject });
    });
  }

  /** Records waiting for the next group commit, by tenant. */
  private readonly queued = new Map<string, QueuedRecord[]>();

  private async commitQueued(tenant: string): Promise<void> {
    const queue = this.queued.get(tenant) ?? [];
    this.queued.delete(tenant);
    for (let i = 0; i < queue.length; i += MAX_GROUP) {
      // A body that cannot be serialized fails its own writer only, not the others of its group.
      const group: QueuedRecord[] = [];
      const ops: CommitOp[] = [];
      for (const q of queue.slice(i, i + MAX_GROUP)) {
        try {
          ops.push({ type: 'audit', record: auditAppend(q.body) });
          group.push(q);
        } catch {
          q.reject(new AuditUnavailableError());
        }
      }
      if (ops.length === 0) continue;
      try {
        const r = await this.deps.stores.governance.commit(tenant, ops);
        if (!r.ok) throw new Error('audit append refused');
        const now = performance.now();
        for (const q of group) this.deps.onAppend?.((now - q.started) / 1000);
        await this.keepWindow(tenant);
      } catch {
        for (const q of group) q.reject(new AuditUnavailableError());
        continue;
      }
      for (const q of group) q.resolve();
    }
  }

  private readonly trimming = new Set<string>();

  /**
   * The in-memory log's bound (issue 17): past `window` records, the oldest (and a tenth of the window more, so this
   * runs once per many appends) are dropped as retention drops them: behind a signed checkpoint at the new anchor, so
   * the kept chain still verifies and a silent cut would not.
   */
  async keepWindow(tenant: string): Promise<void> {
    const window = this.deps.window;
    if (!window) return;
    const meta = await this.deps.stores.audit.meta(tenant);
    if (meta.headSeq - meta.firstSeq + 1 <= window || this.trimming.has(tenant)) return;
    this.trimming.add(tenant);
    try {
      const upto = meta.headSeq - window + Math.floor(window / 10);
      const [raw] = await this.deps.stores.audit.records(tenant, upto, 1);
      const hash = (JSON.parse(raw!) as { hash: string }).hash;
      await this.checkpointAt(tenant, upto, hash);
      await this.deps.stores.audit.trim(tenant, upto, hash);
    } finally {
      this.trimming.delete(tenant);
    }
  }

  get archive(): AuditArchive | null {
    return this.deps.archive ?? null;
  }

  /** Records kept per tenant when the store keeps only the newest ones (the embedded default); null: every record. */
  get window(): number | null {
    return this.deps.window ?? null;
  }

  get storage(): AuditStorage {
    return this.deps.durable === false ? 'memory' : this.deps.archive ? 'redis+postgresql' : 'redis';
  }

  /** The archived head (0 without an archive). */
  private async archivedHead(tenant: string): Promise<number> {
    return this.deps.archive ? (await this.deps.archive.meta(tenant)).headSeq : 0;
  }

  /** Every raw record from `fromSeq`, oldest first, in pages (archive first, then the hot window). */
  async *rawRecords(tenant: string, fromSeq = 1): AsyncGenerator<string> {
    const archived = await this.archivedHead(tenant);
    let seq = fromSeq;
    while (this.deps.archive && seq <= archived) {
      const page = await this.deps.archive.records(tenant, seq, Math.min(PAGE, archived - seq + 1));
      yield* page;
      if (page.length === 0) break;
      seq = (JSON.parse(page.at(-1)!) as StoredAuditRecord).seq + 1;
    }
    seq = Math.max(seq, archived + 1);
    for (;;) {
      const page = await this.deps.stores.audit.records(tenant, seq, PAGE);
      yield* page;
      if (page.length < PAGE) return;
      seq = (JSON.parse(page.at(-1)!) as StoredAuditRecord).seq + 1;
    }
  }

  /** The hot window's meta alone (the archiver's view). */
  hotMeta(tenant: string): Promise<AuditMeta> {
    return this.deps.stores.audit.meta(tenant);
  }

  /** Records of the hot window alone (the archiver reads what it moves from here). */
  hotPage(tenant: string, fromSeq: number, limit: number): Promise<string[]> {
    return this.deps.stores.audit.records(tenant, fromSeq, limit);
  }

  /** The whole log's meta: it starts where the archive starts when there is one. */
  async meta(tenant: string): Promise<AuditMeta> {
    const hot = await this.deps.stores.audit.meta(tenant);
    if (!this.deps.archive) return hot;
    const a = await this.deps.archive.meta(tenant);
    return a.headSeq >= a.firstSeq || a.firstSeq > 1 ? { ...hot, firstSeq: a.firstSeq, anchorHash: a.anchorHash } : hot;
  }

  /** Up to `limit` raw records from `fromSeq`, oldest first. */
  async page(tenant: string, fromSeq: number, limit: number): Promise<string[]> {
    const archived = await this.archivedHead(tenant);
    if (!this.deps.archive || fromSeq > archived) return this.deps.stores.audit.records(tenant, fromSeq, limit);
    const old = await this.deps.archive.records(tenant, fromSeq, Math.min(limit, archived - fromSeq + 1));
    const rest = limit - old.length;
    return rest > 0 ? [...old, ...(await this.deps.stores.audit.records(tenant, archived + 1, rest))] : old;
  }

  exportedUpTo(tenant: string): Promise<number> {
    return this.deps.stores.audit.exportedUpTo(tenant);
  }

  markExported(tenant: string, seq: number): Promise<void> {
    return this.deps.stores.audit.markExported(tenant, seq);
  }

  /**
   * Drops records up to `uptoSeq`. Callers go through src/services/audit/retention.ts, which verifies first and signs a
   * checkpoint at the new anchor before calling this (verification needs that checkpoint to trust the anchor).
   */
  trim(tenant: string, uptoSeq: number, anchorHash: string): Promise<void> {
    return this.deps.stores.audit.trim(tenant, uptoSeq, anchorHash);
  }

  /** The store's checkpoints and the archive's (each segment's), once each. */
  async checkpoints(tenant: string): Promise<Checkpoint[]> {
    const archived = this.deps.archive ? await this.deps.archive.checkpoints(tenant) : [];
    const all = [...archived, ...(await this.deps.stores.audit.checkpoints(tenant))];
    const seen = new Set<string>();
    return all.map((j) => JSON.parse(j) as Checkpoint).filter((c) => !seen.has(c.signature) && seen.add(c.signature));
  }

  /** Signs the current head, so everything up to it is pinned even against someone who can rewrite the store. */
  async checkpoint(tenant: string): Promise<Checkpoint | null> {
    const meta = await this.deps.stores.audit.meta(tenant);
    if (meta.headSeq === 0) return null;
    const last = (await this.checkpoints(tenant)).at(-1);
    if (last?.seq === meta.headSeq) return last;
    return this.checkpointAt(tenant, meta.headSeq, meta.headHash);
  }

  /** Signs a given record's hash: only for a record the caller has just verified (retention's new anchor). */
  async checkpointAt(tenant: string, seq: number, hash: string): Promise<Checkpoint> {
    const c = signCheckpoint(this.deps.hmacKey, { tenant, seq, hash, at: new Date(this.deps.now()).toISOString() });
    await this.deps.stores.audit.addCheckpoint(tenant, JSON.stringify(c));
    return c;
  }

  /**
   * Streams the whole log (archive, then hot window) through the verifier in pages: memory stays flat whatever its
   * length. `fromCheckpoint` resumes after the signed mark the last successful verify left (falls back to the anchor
   * when there is none or it no longer verifies). A success moves the mark to the newest checkpoint it passed.
   */
  async verify(tenant: string, options: { readonly fromCheckpoint?: boolean } = {}): Promise<VerifyResult> {
    const meta = await this.meta(tenant);
    const checkpoints = await this.checkpoints(tenant);
    const mark = options.fromCheckpoint ? await this.resumePoint(tenant, meta) : null;
    const start = mark ?? { seq: meta.firstSeq - 1, hash: meta.anchorHash };
    const verifier = new ChainVerifier(tenant, start, checkpoints, this.deps.hmacKey);
    for await (const raw of this.rawRecords(tenant, start.seq + 1)) {
      const problem = verifier.push(raw);
      if (problem) return problem;
    }
    const result = verifier.finish(meta);
    if (!result.ok) return result;
    const pinned = verifier.pinned;
    if (pinned && pinned.seq > (mark?.seq ?? 0)) {
      const signed = signVerifiedMark(this.deps.hmacKey, { tenant, ...pinned, at: new Date(this.deps.now()).toISOString() });
      await this.deps.stores.audit.setVerifiedMark(tenant, JSON.stringify(signed));
    }
    return mark ? { ...result, resumedAfter: mark.seq } : result;
  }

  /** The signed mark of an earlier verify, if it is genuine, still inside the log and pinned by a valid checkpoint. */
  private async resumePoint(tenant: string, meta: AuditMeta): Promise<{ seq: number; hash: string } | null> {
    const json = await this.deps.stores.audit.verifiedMark(tenant);
    if (!json) return null;
    let m: VerifiedMark;
    try {
      m = JSON.parse(json) as VerifiedMark;
    } catch {
      return null;
    }
    if (m.tenant !== tenant || !verifiedMarkValid(this.deps.hmacKey, m) || m.seq < meta.firstSeq || m.seq > meta.headSeq) return null;
    const pinnedBy = (await this.checkpoints(tenant)).some(
      (c) => c.seq === m.seq && c.hash === m.hash && checkpointSignatureValid(this.deps.hmacKey, c),
    );
    return pinnedBy ? { seq: m.seq, hash: m.hash } : null;
  }
}
