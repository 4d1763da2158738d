import type { Logger } from 'pino';
import type { ArchivedRecord, AuditArchive } from '../../stores/audit-archive.js';
import { StoreUnavailableError } from '../../errors/errors.js';
import type { AuditService } from './audit-service.js';
import { parseRecord, recordTime, type ParsedRecord } from '../../audit/audit-records.js';
import { ChainVerifier } from '../../audit/verify-chain.js';

// Moves sealed segments of each tenant's log from the store (Redis: the hot window) to the archive (PostgreSQL), in
// one idempotent step per segment:
// 1. read the oldest records that left the hot window (older than maxAgeMs, or beyond the newest maxRecords) and
//    verify them, chained from the archive's head;
// 2. sign a checkpoint at the segment's last record (the seal);
// 3. copy them and the checkpoint in one archive transaction (only records above the archived head are inserted);
// 4. verify the copy in the archive, chained from the store's anchor to the seal;
// 5. trim them from the store (the store's anchor becomes the seal).
// A crash anywhere loses nothing: until step 5 every record is still in the store; after step 3 the next pass sees
// records both archived and in the store and goes straight to steps 4 and 5, so a segment is copied once and trimmed
// once. While the archive is down the store keeps appending (audit writes never wait for it) and `status()` reports
// how many records are waiting: the gap /readyz shows and a metric can read.

interface HotWindow {
  /** Records the store keeps at most (older ones are archived). */
  readonly maxRecords: number;
  /** Age after which a record is archived, in ms. */
  readonly maxAgeMs: number;
}

export interface ArchiverStatus {
  /** Records that left the hot window but are still only in the store (0 when archiving keeps up). */
  readonly pendingRecords: number;
  readonly lastError: string | null;
  readonly lastSuccessAt: string | null;
}

export interface AuditArchiverDeps {
  readonly audit: AuditService;
  readonly archive: AuditArchive;
  readonly tenants: () => Promise<string[]>;
  readonly hot: HotWindow;
  readonly now: () => number;
  readonly logger: Logger;
  /** Records per segment (one archive transaction). */
  readonly segmentRecords?: number;
}

export const ARCHIVE_INTERVAL_MS = 30_000;
const SEGMENT = 10_000;

/** The indexed columns of a record (patients, actors, actions) and its time. */
function archivedRecord(raw: string, record: ParsedRecord): ArchivedRecord {
  const t = recordTime(record);
  const patients = new Set<string>();
  const actors = new Set<string>();
  const actions = new Set<string>();
  for (const e of record.events) {
    const patientId = (e as { patientId?: unknown }).patientId;
    if (typeof patientId === 'string') patients.add(patientId);
    if (e.actor?.sub) actors.add(e.actor.sub);
    actions.add(e.action);
  }
  return {
    seq: record.seq,
    hash: record.hash,
    at: new Date(Number.isFinite(t) ? t : 0).toISOString(),
    patients: [...patients],
    actors: [...actors],
    actions: [...actions],
    raw,
  };
}

/** The archiving pass: `runAll` on demand, or every interval between `start` and `stop`. */
export class AuditArchiver {
  private readonly segment: number;
  private pending = new Map<string, number>();
  private lastError: string | null = null;
  private lastSuccessAt: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: AuditArchiverDeps) {
    this.segment = deps.segmentRecords ?? SEGMENT;
  }

  /** Archives every tenant's records past the hot window; returns how many records it moved. Passes never overlap. */
  runAll(): Promise<number> {
    const once = () => this.once();
    return (this.running = this.running.then(once, once).catch(() => 0));
  }

  /** Steps 1-3 only (tests: a crash between copy and trim). */
  async copyOnly(tenant: string): Promise<number> {
    return (await this.copy(tenant)) ?? 0;
  }

  status(): ArchiverStatus {
    const pendingRecords = [...this.pending.values()].reduce((a, b) => a + b, 0);
    return { pendingRecords, lastError: this.lastError, lastSuccessAt: this.lastSuccessAt };
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.runAll(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** The last seq of the store's oldest records that left the hot window (firstSeq - 1: none). */
  private async sealableEnd(tenant: string): Promise<{ firstSeq: number; end: number }> {
    const hot = await this.deps.audit.hotMeta(tenant);
    let end = hot.headSeq - this.deps.hot.maxRecords;
    const cutoff = this.deps.now() - this.deps.hot.maxAgeMs;
    if (end < hot.headSeq) {
      // By age: the run of oldest records older than the cutoff (the first newer one ends it).
      scan: for (let seq = Math.max(end + 1, hot.firstSeq); seq <= hot.headSeq; ) {
        const page = await this.deps.audit.hotPage(tenant, seq, 1_000);
        if (page.length === 0) break;
        for (const raw of page) {
          const r = parseRecord(raw);
          if (!r || !(recordTime(r) < cutoff)) break scan;
          end = r.seq;
        }
        seq += page.length;
      }
    }
    this.pending.set(tenant, Math.max(0, end - hot.firstSeq + 1));
    return { firstSeq: hot.firstSeq, end: Math.max(end, hot.firstSeq - 1) };
  }

  /** Steps 1-3 for one segment; returns its last seq, or null when nothing left the hot window. */
  private async copy(tenant: string): Promise<number | null> {
    const { firstSeq, end: sealable } = await this.sealableEnd(tenant);
    const a = await this.deps.archive.meta(tenant);
    if (a.headSeq >= firstSeq) return a.headSeq; // copied by a run that stopped before its trim
    const end = Math.min(sealable, firstSeq + this.segment - 1);
    if (end < firstSeq) return null;
    const hotMeta = await this.deps.audit.hotMeta(tenant);
    // The store's records must continue the archive's chain (or be the very start of the log).
    const start =
      a.headSeq >= a.firstSeq || a.firstSeq > 1 ? { seq: a.headSeq, hash: a.headHash } : { seq: firstSeq - 1, hash: hotMeta.anchorHash };
    const verifier = new ChainVerifier(tenant, start, [], 'unused');
    const records: ArchivedRecord[] = [];
    for (let seq = firstSeq; seq <= end; ) {
      const page = await this.deps.audit.hotPage(tenant, seq, Math.min(1_000, end - seq + 1));
      if (page.length === 0) break;
      for (const raw of page) {
        const problem = verifier.push(raw);
        if (problem) throw new Error(`audit log of ${tenant} is broken at record ${problem.seq} (${problem.problem}): not archived`);
        records.push(archivedRecord(raw, parseRecord(raw)!));
      }
      seq += page.length;
    }
    const last = records.at(-1);
    if (!last || last.seq !== end) throw new Error(`audit log of ${tenant}: records ${firstSeq}..${end} could not be read`);
    const seal = await this.deps.audit.checkpointAt(tenant, last.seq, last.hash);
    return this.deps.archive.appendSegment(tenant, records, JSON.stringify(seal));
  }

  /** Steps 4-5: the archived copy of the store's oldest records verifies, then they leave the store. */
  private async verifyAndTrim(tenant: string, upto: number): Promise<number> {
    const hot = await this.deps.audit.hotMeta(tenant);
    if (upto < hot.firstSeq) return 0;
    const a = await this.deps.archive.meta(tenant);
    const verifier = new ChainVerifier(tenant, { seq: hot.firstSeq - 1, hash: hot.anchorHash }, [], 'unused');
    let hash = '';
    for (let seq = hot.firstSeq; seq <= upto; ) {
      const page = await this.deps.archive.records(tenant, seq, Math.min(1_000, upto - seq + 1));
      if (page.length === 0) break;
      for (const raw of page) {
        const problem = verifier.push(raw);
        if (problem)
          throw new Error(`archived copy of ${tenant} does not verify at record ${problem.seq} (${problem.problem}): not trimmed`);
      }
      seq += page.length;
      hash = verifier.pinnedHash();
    }
    if (verifier.recordsChecked !== upto - hot.firstSeq + 1 || a.headSeq < upto)
      throw new Error(`archived copy of ${tenant} is incomplete: not trimmed`);
    await this.deps.audit.trim(tenant, upto, hash);
    return upto - hot.firstSeq + 1;
  }

  private async archiveTenant(tenant: string): Promise<number> {
    let moved = 0;
    for (;;) {
      const upto = await this.copy(tenant);
      if (upto === null) return moved;
      const n = await this.verifyAndTrim(tenant, upto);
      moved += n;
      if (n === 0) return moved;
    }
  }

  private async once(): Promise<number> {
    let moved = 0;
    let failed: string | null = null;
    const next = new Map<string, number>();
    for (const tenant of await this.deps.tenants()) {
      try {
        moved += await this.archiveTenant(tenant);
        await this.sealableEnd(tenant);
      } catch (e) {
        failed =
          e instanceof StoreUnavailableError ? `${e.extensions.store} is unavailable` : e instanceof Error ? e.message : 'archiving failed';
        this.deps.logger.warn({ tenant }, `audit archiving paused: ${failed}; the store keeps every record and the next pass retries`);
      }
      next.set(tenant, this.pending.get(tenant) ?? 0);
    }
    this.pending = next;
    this.lastError = failed;
    if (!failed) this.lastSuccessAt = new Date(this.deps.now()).toISOString();
    return moved;
  }
}
