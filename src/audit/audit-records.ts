import type { StoredAuditRecord } from './chain.js';
import { recordEvents, type AuditEvent, type AuditRecordBody } from './audit-event.js';

// Reading stored records back as events, for search, export and retention. Lenient on purpose: a record that does
// not parse is skipped here and reported by verification (src/audit/verify-chain.ts), which is the judge of what
// is wrong with the log.

export interface ParsedRecord {
  readonly seq: number;
  readonly hash: string;
  readonly events: readonly AuditEvent[];
}

/** One event with its place in the log: record seq and index inside the record. */
export interface LoggedEvent {
  readonly seq: number;
  readonly index: number;
  readonly event: AuditEvent;
}

export function parseRecord(raw: string): ParsedRecord | null {
  try {
    const r = JSON.parse(raw) as StoredAuditRecord;
    if (!Number.isInteger(r.seq) || typeof r.body !== 'string') return null;
    const body = JSON.parse(r.body) as AuditRecordBody;
    return Array.isArray(body.events) ? { seq: r.seq, hash: r.hash, events: recordEvents(body) } : null;
  } catch {
    return null;
  }
}

/** A record's time: its newest event (events of one record are written together). */
export function recordTime(record: ParsedRecord): number {
  return Math.max(...record.events.map((e) => Date.parse(e.at)).filter(Number.isFinite), Number.NEGATIVE_INFINITY);
}
