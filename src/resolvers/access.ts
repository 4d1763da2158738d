import type { AccessGrantKind, AccessGrantSource, Resolvers } from '../generated/resolvers-types.js';
import { isActive, type AccessDoc } from '../governance/access-entries.js';
import { diffVersions } from '../governance/diff.js';
import { NotFoundError } from '../errors/errors.js';
import { GovernanceError } from '../errors/governance-error.js';
import type { AccessGrantModel } from './access-models.js';

// Role assignments, access requests, break-glass, access reviews and policy versions. Thin: the access service
// decides (through the governed path for every widening) and throws typed errors; nothing here decides who may.

const grants = (doc: AccessDoc, nowMs: number): AccessGrantModel[] => doc.entries.map((entry) => ({ sub: doc.sub, entry, nowMs }));
const upper = <T extends string>(s: string) => s.toUpperCase().replace(/-/g, '_') as T;

export const accessResolvers: Resolvers = {
  Query: {
    myAccess: async (_p, _a, ctx) => grants(await ctx.accessAdmin.accessOf(ctx.principal.tenant, ctx.principal.sub), ctx.accessAdmin.now()),
    myAccessRequests: (_p, _a, ctx) => ctx.accessAdmin.myAccessRequests(ctx.principal),
    accessOf: async (_p, { assignee }, ctx) =>
      grants(await ctx.accessAdmin.accessOfAssignee(ctx.principal.tenant, assignee), ctx.accessAdmin.now()),
    accessReview: async (_p, { staleDays }, ctx) =>
      (await ctx.accessAdmin.accessReview(ctx.principal, staleDays)).map((item) => ({ ...item, nowMs: ctx.accessAdmin.now() })),
    policyVersions: async (_p, _a, ctx) =>
      (await ctx.accessAdmin.policyHistory(ctx.principal.tenant)).map((v) => ({
        version: v.version,
        policyVersion: String((v.value as { version?: unknown }).version ?? ''),
        changedBy: v.changedBy,
        changeId: v.changeId,
        at: v.at,
      })),
    policyDiff: async (_p, { from, to }, ctx) => {
      const r = diffVersions(await ctx.accessAdmin.policyHistory(ctx.principal.tenant), from, to);
      if (!r.ok) {
        const problems = r.missing.map((v) => ({ path: v === from ? 'from' : 'to', message: `the policy has no version ${v}` }));
        throw new GovernanceError({
          code: 'NOT_FOUND',
          reason: 'UNKNOWN_VERSION',
          message: problems.map((p) => p.message).join('; '),
          problems,
        });
      }
      return r.diff;
    },
  },

  Mutation: {
    assignRole: (_p, { input }, ctx) =>
      ctx.accessAdmin.assignRole(ctx.principal, {
        sub: input.assignee,
        role: input.assignedRole,
        departments: input.scopeDepartments ?? null,
        environments: input.environments ?? null,
        expiresAt: input.expiresAt ?? null,
        reason: input.reason,
        ticket: input.ticket ?? null,
      }),
    revokeRole: (_p, { assignee, assignedRole, grantId, reason }, ctx) =>
      ctx.accessAdmin.revokeRole(ctx.principal, { sub: assignee, role: assignedRole ?? null, entryId: grantId ?? null, reason }),
    requestAccess: (_p, { input }, ctx) =>
      ctx.accessAdmin.requestAccess(ctx.principal, {
        role: input.requestedRole ?? null,
        grant: input.requestedGrant ?? null,
        permission: input.permission ?? null,
        departments: input.scopeDepartments ?? null,
        justification: input.justification,
        ticket: input.ticket ?? null,
        durationMinutes: input.durationMinutes,
      }),
    breakGlass: async (_p, { patientId, reason }, ctx) => {
      // Only a patient of the caller's tenant can be opened: unknown, other-tenant and invalid ids are NOT_FOUND and
      // nothing is stored (a grant for a patient who does not exist is noise in every access review).
      const patient = await ctx.ehr.patient(patientId);
      if (!patient) throw new NotFoundError('Patient', 'No such patient.');
      const doc = await ctx.accessAdmin.breakGlass(ctx.principal, patient.id, reason);
      return { sub: doc.sub, entry: doc.entries.at(-1)!, nowMs: ctx.accessAdmin.now() };
    },
    completeReview: async (_p, { assignee, grantId, decision, comment }, ctx) => {
      const doc = await ctx.accessAdmin.completeReview(ctx.principal, {
        sub: assignee,
        entryId: grantId,
        decision,
        comment: comment ?? null,
      });
      return { sub: assignee, entry: doc.entries.find((e) => e.id === grantId)!, nowMs: ctx.accessAdmin.now() };
    },
    proposePolicy: (_p, { document, reason, ticket }, ctx) =>
      ctx.accessAdmin.proposePolicy(ctx.principal, { document, reason, ticket: ticket ?? null }),
  },

  AccessGrant: {
    id: (g) => g.entry.id,
    sub: (g) => g.sub,
    kind: (g) => upper<AccessGrantKind>(g.entry.kind),
    name: (g) => g.entry.name,
    source: (g) => upper<AccessGrantSource>(g.entry.source),
    patientId: (g) => g.entry.patientId,
    departments: (g) => g.entry.departments,
    environments: (g) => g.entry.environments,
    grantedAt: (g) => g.entry.grantedAt,
    expiresAt: (g) => g.entry.expiresAt,
    active: (g) => isActive(g.entry, g.nowMs),
    reason: (g) => g.entry.reason,
    ticket: (g) => g.entry.ticket,
    revokedBy: (g) => g.entry.revoked?.by ?? null,
    revokedAt: (g) => g.entry.revoked?.at ?? null,
    reviews: (g) => g.entry.reviews,
  },

  AccessReviewItem: {
    grant: (i) => ({ sub: i.sub, entry: i.entry, nowMs: i.nowMs }),
    flags: (i) => [...i.flags],
  },
};
