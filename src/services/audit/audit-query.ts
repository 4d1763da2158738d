import { BadUserInputError } from '../../errors/errors.js';
import type { AuditService } from './audit-service.js';
import { matchesFilter, type AuditFilter } from '../../audit/audit-filter.js';
import { parseRecord, type LoggedEvent } from '../../audit/audit-records.js';

// Searching a tenant's log, newest first. The log is read backwards from the head (or from the cursor) in store
// pages; a position is (record seq, event index) and a cursor means "strictly older than this position", so pages
// stay stable while new records are appended at the head. A selective filter could otherwise read the whole log in
// one request: each request scans at most SCAN_BUDGET records and may return a short page with hasNextPage.

export const MAX_AUDIT_PAGE = 200;
const SCAN_PAGE = 250;
const SCAN_BUDGET = 5_000;

export interface AuditPosition {
  readonly seq: number;
  readonly index: number;
}

export interface AuditEventPage {
  readonly events: readonly LoggedEvent[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

export const encodeAuditCursor = (p: AuditPosition): string => Buffer.from(`audit:${p.seq}:${p.index}`).toString('base64url');

export function decodeAuditCursor(cursor: string): AuditPosition {
  const m = /^audit:(\d{1,15}):(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new BadUserInputError('after is not a cursor returned by auditEvents', 'after');
  return { seq: Number(m[1]), index: Number(m[2]) };
}

export function auditPageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_AUDIT_PAGE)
    throw new BadUserInputError(`first must be between 1 and ${MAX_AUDIT_PAGE}`, 'first');
  return n;
}

/** `first` events matching `filter`, newest first, strictly older than `after` when given. */
export async function searchAuditEvents(
  audit: AuditService,
  tenant: string,
  filter: AuditFilter,
  first: number,
  after?: AuditPosition | null,
): Promise<AuditEventPage> {
  const meta = await audit.meta(tenant);
  const before: AuditPosition = after ?? { seq: meta.headSeq + 1, index: 0 };
  const events: LoggedEvent[] = [];
  let top = Math.min(before.seq, meta.headSeq);
  let scanned = 0;
  // Below the hot window a filter on patient, actor or action reads only the archived records its indexes name.
  const archive = filter.patientId || filter.actor || filter.action ? audit.archive : null;
  const archivedHead = archive ? (await archive.meta(tenant)).headSeq : 0;
  while (top >= meta.firstSeq) {
    let raws: string[];
    let next: number;
    if (archive && top <= archivedHead) {
      raws = await archive.search(tenant, filter, top + 1, SCAN_PAGE);
      next = raws.length < SCAN_PAGE ? meta.firstSeq - 1 : (parseRecord(raws.at(-1)!)?.seq ?? meta.firstSeq) - 1;
    } else {
      const from = Math.max(meta.firstSeq, top - SCAN_PAGE + 1, archive ? archivedHead + 1 : 0);
      raws = (await audit.page(tenant, from, top - from + 1)).reverse();
      next = raws.length === 0 ? meta.firstSeq - 1 : from - 1;
    }
    for (const raw of raws) {
      const record = parseRecord(raw);
      scanned++;
      if (!record || record.seq > before.seq) continue;
      for (let index = record.events.length - 1; index >= 0; index--) {
        if (record.seq === before.seq && index >= before.index) continue;
        const event = record.events[index]!;
        if (!matchesFilter(event, filter)) continue;
        if (events.length === first) return { events, hasNextPage: true, endCursor: encodeAuditCursor(events.at(-1)!) };
        events.push({ seq: record.seq, index, event });
      }
    }
    top = next;
    if (scanned >= SCAN_BUDGET && top >= meta.firstSeq) {
      // Out of budget: continue next time just above `top`, i.e. strictly before record `top + 1`.
      return { events, hasNextPage: true, endCursor: encodeAuditCursor({ seq: top + 1, index: 0 }) };
    }
  }
  const last = events.at(-1);
  return { events, hasNextPage: false, endCursor: last ? encodeAuditCursor(last) : null };
}

/** Whether position `a` is newer (later in the log) than `b`. */
export const newerThan = (a: AuditPosition, b: AuditPosition): boolean => a.seq > b.seq || (a.seq === b.seq && a.index > b.index);

export interface NewerAuditEventPage {
  /** Newest first, like every audit list. */
  readonly events: readonly LoggedEvent[];
  /** More matching events are newer than the page (or the scan budget ran out before the head). */
  readonly hasNewer: boolean;
  /** Where a further backward page continues (`before` it): the newest event of the page, or where the scan stopped. */
  readonly newest: AuditPosition | null;
}

/**
 * The `last` events matching `filter` that come just after `after` in time (strictly newer; from the oldest record
 * when null) and strictly older than `until` when given: the page before a cursor in the newest-first list (Relay
 * `last`/`before`). Read oldest first over the whole log (archive and hot window, AuditService.page), with the same
 * scan budget as searchAuditEvents.
 */
export async function searchNewerAuditEvents(
  audit: AuditService,
  tenant: string,
  filter: AuditFilter,
  last: number,
  after: AuditPosition | null,
  until: AuditPosition | null,
): Promise<NewerAuditEventPage> {
  const meta = await audit.meta(tenant);
  const found: LoggedEvent[] = [];
  const page = (hasNewer: boolean, newest: AuditPosition | null): NewerAuditEventPage => ({
    events: [...found].reverse(),
    hasNewer,
    newest,
  });
  let seq = Math.max(meta.firstSeq, after?.seq ?? meta.firstSeq);
  let scanned = 0;
  while (seq <= meta.headSeq) {
    const raws = await audit.page(tenant, seq, Math.min(SCAN_PAGE, meta.headSeq - seq + 1));
    if (raws.length === 0) break;
    for (const raw of raws) {
      const record = parseRecord(raw);
      scanned++;
      if (!record) continue;
      seq = record.seq + 1;
      for (let index = 0; index < record.events.length; index++) {
        const at = { seq: record.seq, index };
        if (after && !newerThan(at, after)) continue;
        if (until && !newerThan(until, at)) return page(false, found.at(-1) ?? null);
        const event = record.events[index]!;
        if (!matchesFilter(event, filter)) continue;
        if (found.length === last) return page(true, found.at(-1)!);
        found.push({ seq: record.seq, index, event });
      }
    }
    if (scanned >= SCAN_BUDGET && seq <= meta.headSeq) {
      // Out of budget: a further page continues after every event of the records read so far.
      return page(true, { seq: seq - 1, index: Number.MAX_SAFE_INTEGER });
    }
  }
  return page(false, found.at(-1) ?? null);
}
