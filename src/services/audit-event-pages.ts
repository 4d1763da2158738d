import type { AuditFilter } from '../audit/audit-filter.js';
import {
  decodeAuditCursor, MAX_AUDIT_PAGE, newerThan, searchAuditEvents, searchNewerAuditEvents, type AuditPosition,
} from './audit/audit-query.js';
import type { LoggedEvent } from '../audit/audit-records.js';
import type { AuditService } from './audit/audit-service.js';
import { BadUserInputError } from '../errors/errors.js';
import type { PageArgs } from './relay-page.js';
import type { SignedCursors } from './signed-cursor.js';

// `auditEventsConnection` (issue 14): the audit log paged the Relay way (https://relay.dev/graphql/connections.htm),
// with the filter of `auditEvents`, newest first, forward (`first`/`after`) and backward (`last`/`before`), over the
// whole log (the PostgreSQL archive and the Redis hot window read as one by AuditService). A cursor is a signed
// position in the log (record seq, event index), so it keeps its place while records are appended; an edited or
// made-up cursor, or one of another list or tenant, is BAD_USER_INPUT. The log is never loaded whole: each page scans
// from its cursor with the budget of audit-query.ts (a short page with hasNextPage/hasPreviousPage true, and a cursor
// to continue from, when a selective filter ran out of it). No totalCount: counting would read the whole log.

const KIND = 'auditEvents';
const DEFAULT_PAGE = 50;

export interface AuditEventPage {
  readonly edges: { readonly cursor: string; readonly node: LoggedEvent }[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
}

function size(n: number | null | undefined, field: string): number | null {
  if (n === null || n === undefined) return null;
  if (!Number.isInteger(n) || n < 0 || n > MAX_AUDIT_PAGE)
    throw new BadUserInputError(`${field} must be between 0 and ${MAX_AUDIT_PAGE}`, field);
  return n;
}

function decode(cursors: SignedCursors, tenant: string, cursor: string | null | undefined, field: string): AuditPosition | null {
  if (cursor === null || cursor === undefined) return null;
  const p = cursors.decode(KIND, tenant, cursor, field);
  if (p.length !== 2 || !p.every((x) => Number.isSafeInteger(x) && (x as number) >= 0))
    throw new BadUserInputError(`${field} is not a cursor returned by this field`, field);
  return { seq: p[0] as number, index: p[1] as number };
}

export async function auditEventsPage(
  audit: AuditService,
  cursors: SignedCursors,
  tenant: string,
  filter: AuditFilter,
  args: PageArgs,
): Promise<AuditEventPage> {
  const first = size(args.first, 'first');
  const last = size(args.last, 'last');
  const after = decode(cursors, tenant, args.after, 'after');
  const before = decode(cursors, tenant, args.before, 'before');
  const encode = (p: AuditPosition) => cursors.encode(KIND, tenant, [p.seq, p.index]);
  const page = (
    events: readonly LoggedEvent[],
    info: { hasNextPage: boolean; hasPreviousPage: boolean; start: AuditPosition | null; end: AuditPosition | null },
  ): AuditEventPage => ({
    edges: events.map((node) => ({ cursor: encode(node), node })),
    pageInfo: {
      hasNextPage: info.hasNextPage,
      hasPreviousPage: info.hasPreviousPage,
      startCursor: info.start ? encode(info.start) : null,
      endCursor: info.end ? encode(info.end) : null,
    },
  });

  if (first !== null || last === null) {
    // Forward: older than `after`, down to `before` when given; `last` then keeps the tail of that.
    const take = first ?? DEFAULT_PAGE;
    const found = await searchAuditEvents(audit, tenant, filter, take, after);
    const bounded = before ? found.events.filter((e) => newerThan(e, before)) : found.events;
    const cut = bounded.length < found.events.length;
    const events = last !== null && bounded.length > last ? bounded.slice(bounded.length - last) : bounded;
    // Is anything newer than this page? Only asked when it can be (a cursor, or a tail kept by `last`).
    const newerExists =
      events.length < bounded.length || (after !== null && (await searchNewerAuditEvents(audit, tenant, filter, 0, after, null)).hasNewer);
    // Where the next page continues: the last event, or where the scan budget stopped.
    const end = !cut && found.hasNextPage && found.endCursor ? decodeAuditCursor(found.endCursor) : (events.at(-1) ?? null);
    return page(events, { hasNextPage: !cut && found.hasNextPage, hasPreviousPage: newerExists, start: events[0] ?? null, end });
  }

  // Backward: the `last` events just newer than `before` (or the oldest `last` of the log), older than `after`.
  const found = await searchNewerAuditEvents(audit, tenant, filter, last, before, after);
  const olderExists = before !== null && (await searchAuditEvents(audit, tenant, filter, 1, before)).events.length > 0;
  return page(found.events, {
    hasNextPage: olderExists,
    hasPreviousPage: found.hasNewer,
    start: found.newest,
    end: found.events.at(-1) ?? null,
  });
}
