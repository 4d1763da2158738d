import { FILTER_CATEGORIES, type AuditFilter } from '../audit/audit-filter.js';
import { auditPageSize, decodeAuditCursor, encodeAuditCursor, searchAuditEvents } from '../services/audit/audit-query.js';
import type { AuthEvent as AuthEventModel } from '../audit/audit-event.js';
import type { LoggedEvent } from '../audit/audit-records.js';
import type { JsonValue } from '../governance/json.js';
import type { AuditStorage } from '../services/audit/audit-service.js';
import { BadUserInputError } from '../errors/errors.js';
import { auditEventsPage } from '../services/audit-event-pages.js';
import type { AuditEvent, AuditEventFilter, Resolvers } from '../generated/resolvers-types.js';

// The audit log, read-only, for the roles holding the `audit` data class (the shield rule on the Query fields decides;
// every type below inherits it). Only the caller's own tenant is ever read: the tenant comes from the token.

const STORAGE = { memory: 'MEMORY', redis: 'REDIS', 'redis+postgresql': 'REDIS_POSTGRESQL' } as const satisfies Record<
  AuditStorage,
  string
>;

function instant(value: string | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new BadUserInputError(`${field} is not an ISO-8601 date-time`, `filter.${field}`);
  return ms;
}

function toFilter(f: AuditEventFilter | null | undefined): AuditFilter {
  if (!f) return {};
  if (f.category && !FILTER_CATEGORIES.includes(f.category)) {
    throw new BadUserInputError(`category must be one of ${FILTER_CATEGORIES.join(', ')}`, 'filter.category');
  }
  return {
    actor: f.actor ?? null,
    patientId: f.patientId ?? null,
    category: f.category ?? null,
    action: f.action ?? null,
    from: instant(f.from, 'from'),
    to: instant(f.to, 'to'),
    outcome: f.outcome === 'SUCCESS' ? 'success' : f.outcome === 'FAILURE' ? 'failure' : null,
  };
}

function toGraphql({ seq, index, event: e }: LoggedEvent): AuditEvent {
  const read = e.category === 'phi-read' ? e : null;
  const change = e.category !== 'phi-read' && e.category !== 'auth' ? e : null;
  return {
    id: `${seq}.${index}`,
    seq,
    index,
    category: e.category,
    action: e.action,
    at: e.at,
    outcome: e.outcome === 'failure' ? 'FAILURE' : 'SUCCESS',
    actor: e.actor ? { sub: e.actor.sub, kind: e.actor.kind ?? null, roles: e.actor.roles ? [...e.actor.roles] : null } : null,
    requestId: e.requestId ?? null,
    patientId: read?.patientId ?? change?.patientId ?? null,
    dataClasses: read ? [...read.dataClasses] : null,
    fields: read ? [...read.fields] : null,
    operation: read?.operation ?? null,
    // The opening itself is flagged like the reads it allows.
    breakGlass: read?.breakGlass ?? (e.action === 'access.break-glass' ? true : null),
    changeId: change?.changeId ?? null,
    environment: change?.environment ?? null,
    target: change?.target ?? null,
    settingCategory: change?.settingCategory ?? null,
    risk: change?.risk ?? null,
    status: change?.status ?? null,
    before: change?.before ?? null,
    after: change?.after ?? null,
    reason: e.category === 'auth' ? e.reason : (change?.reason ?? null),
    ticket: change?.ticket ?? null,
    approvals: change ? change.approvals.map((a) => ({ ...a, functions: [...a.functions] })) : null,
    detail: change?.detail ?? (e.category === 'auth' ? authDetail(e) : null),
  };
}

/** A counted failed-login window: how many, from where, why, and the subjects claimed (unverified). */
function authDetail(e: AuthEventModel): Record<string, JsonValue> | null {
  if (e.count === undefined) return null;
  return {
    count: e.count,
    source: e.source ?? null,
    windowStart: e.windowStart ?? null,
    reasons: { ...(e.reasons ?? {}) },
    claimedSubjects: [...(e.claimedSubjects ?? [])],
  };
}

export const auditResolvers: Resolvers = {
  Query: {
    auditEvents: async (_p, { filter, first, after }, ctx) => {
      const page = await searchAuditEvents(
        ctx.audit,
        ctx.principal.tenant,
        toFilter(filter),
        auditPageSize(first),
        after ? decodeAuditCursor(after) : null,
      );
      return {
        edges: page.events.map((e) => ({ cursor: encodeAuditCursor(e), node: toGraphql(e) })),
        // Forward only: hasPreviousPage says whether this page started after a cursor (Relay allows false here).
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: Boolean(after),
          startCursor: page.events[0] ? encodeAuditCursor(page.events[0]) : null,
          endCursor: page.endCursor,
        },
      };
    },
    auditEventsConnection: async (_p, { filter, first, after, last, before }, ctx) => {
      const page = await auditEventsPage(ctx.audit, ctx.cursors, ctx.principal.tenant, toFilter(filter), { first, after, last, before });
      return { edges: page.edges.map((e) => ({ cursor: e.cursor, node: toGraphql(e.node) })), pageInfo: page.pageInfo };
    },
    auditVerify: async (_p, { fromCheckpoint }, ctx) => {
      const tenant = ctx.principal.tenant;
      const [r, meta] = await Promise.all([ctx.audit.verify(tenant, { fromCheckpoint: fromCheckpoint ?? false }), ctx.audit.meta(tenant)]);
      const where = {
        storage: STORAGE[ctx.audit.storage],
        archivedThrough: ctx.audit.archive ? (await ctx.audit.archive.meta(tenant)).headSeq : null,
        retainedWindow: ctx.audit.window,
      };
      return r.ok
        ? {
            ok: true,
            ...where,
            resumedAfter: r.resumedAfter ?? null,
            records: r.records,
            firstSeq: r.firstSeq,
            headSeq: r.headSeq,
            checkpointsVerified: r.checkpointsVerified,
            problem: null,
            seq: null,
            message: null,
          }
        : {
            ok: false,
            ...where,
            resumedAfter: null,
            records: r.recordsChecked,
            firstSeq: meta.firstSeq,
            headSeq: meta.headSeq,
            checkpointsVerified: null,
            problem: r.problem,
            seq: r.seq,
            message: r.message,
          };
    },
  },
};
