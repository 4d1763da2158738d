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

export interface AuditArchiver {
  /** Archives every tenant's records past the hot window; returns how many records it moved. */
  runAll(): Promise<number>;
  /** Steps 1-3 only (tests: a crash between copy and trim). */
  copyOnly(tenant: string): Promise<number>;
  status(): ArchiverStatus;
  start(intervalMs: number): void;
  stop(): Promise<void>;
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

export function createAuditArchiver(deps: AuditArchiverDeps): AuditArchiver {
  const { audit, archive } = deps;
  const segment = deps.segmentRecords ?? SEGMENT;
  let pending = new Map<string, number>();
  let lastError: string | null = null;
  let lastSuccessAt: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> = Promise.resolve(0);

  /** The last seq of the store's oldest records that left the hot window (firstSeq - 1: none). */
  async function sealableEnd(tenant: string): Promise<{ firstSeq: number; end: number }> {
    const hot = await audit.hotMeta(tenant);
    let end = hot.headSeq - deps.hot.maxRecords;
    const cutoff = deps.now() - deps.hot.maxAgeMs;
    if (end < hot.headSeq) {
      // By age: the run of oldest records older than the cutoff (the first newer one ends it).
      scan: for (let seq = Math.max(end + 1, hot.firstSeq); seq <= hot.headSeq; ) {
        const page = await audit.hotPage(tenant, seq, 1_000);
        if (page.length === 0) break;
        for (const raw of page) {
          const r = parseRecord(raw);
          if (!r || !(recordTime(r) < cutoff)) break scan;
          end = r.seq;
        }
        seq += page.length;
      }
    }
    pending.set(tenant, Math.max(0, end - hot.firstSeq + 1));
    return { firstSeq: hot.firstSeq, end: Math.max(end, hot.firstSeq - 1) };
  }

  /** Steps 1-3 for one segment; returns its last seq, or null when nothing left the hot window. */
  async function copy(tenant: string): Promise<number | null> {
    const { firstSeq, end: sealable } = await sealableEnd(tenant);
    const a = await archive.meta(tenant);
    if (a.headSeq >= firstSeq) return a.headSeq; // copied by a run that stopped before its trim
    const end = Math.min(sealable, firstSeq + segment - 1);
    if (end < firstSeq) return null;
    const hotMeta = await audit.hotMeta(tenant);
    // The store's records must continue the archive's chain (or be the very start of the log).
    const start =
      a.headSeq >= a.firstSeq || a.firstSeq > 1 ? { seq: a.headSeq, hash: a.headHash } : { seq: firstSeq - 1, hash: hotMeta.anchorHash };
    const verifier = new ChainVerifier(tenant, start, [], 'unused');
    const records: ArchivedRecord[] = [];
    for (let seq = firstSeq; seq <= end; ) {
      const page = await audit.hotPage(tenant, seq, Math.min(1_000, end - seq + 1));
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
    const seal = await audit.checkpointAt(tenant, last.seq, last.hash);
    return archive.appendSegment(tenant, records, JSON.stringify(seal));
  }

  /** Steps 4-5: the archived copy of the store's oldest records verifies, then they leave the store. */
  async function verifyAndTrim(tenant: string, upto: number): Promise<number> {
    const hot = await audit.hotMeta(tenant);
    if (upto < hot.firstSeq) return 0;
    const a = await archive.meta(tenant);
    const verifier = new ChainVerifier(tenant, { seq: hot.firstSeq - 1, hash: hot.anchorHash }, [], 'unused');
    let hash = '';
    for (let seq = hot.firstSeq; seq <= upto; ) {
      const page = await archive.records(tenant, seq, Math.min(1_000, upto - seq + 1));
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
    await audit.trim(tenant, upto, hash);
    return upto - hot.firstSeq + 1;
  }

  async function archiveTenant(tenant: string): Promise<number> {
    let moved = 0;
    for (;;) {
      const upto = await copy(tenant);
      if (upto === null) return moved;
      const n = await verifyAndTrim(tenant, upto);
      moved += n;
      if (n === 0) return moved;
    }
  }

  async function runAll(): Promise<number> {
    let moved = 0;
    let failed: string | null = null;
    const next = new Map<string, number>();
    for (const tenant of await deps.tenants()) {
      try {
        moved += await archiveTenant(tenant);
        await sealableEnd(tenant);
      } catch (e) {
        failed =
          e instanceof StoreUnavailableError ? `${e.extensions.store} is unavailable` : e instanceof Error ? e.message : 'archiving failed';
        deps.logger.warn({ tenant }, `audit archiving paused: ${failed}; the store keeps every record and the next pass retries`);
      }
      next.set(tenant, pending.get(tenant) ?? 0);
    }
    pending = next;
    lastError = failed;
    if (!failed) lastSuccessAt = new Date(deps.now()).toISOString();
    return moved;
  }

  const pass = () => (running = running.then(runAll, runAll).catch(() => 0));

  return {
    runAll: () => pass(),
    copyOnly: async (tenant) => (await copy(tenant)) ?? 0,
    status: () => ({ pendingRecords: [...pending.values()].reduce((a, b) => a + b, 0), lastError, lastSuccessAt }),
    start(intervalMs) {
      timer ??= setInterval(() => void pass(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
