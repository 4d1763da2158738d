import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import type { ChangeStatus, Environment, Resolvers, SettingCategory } from '../generated/resolvers-types.js';
import { approvalStatusOf } from '../governance/transitions.js';
import { targetDocIdOf } from '../services/effects-to-ops.js';
import { viewerApproval } from './approval-preview.js';
import { actFactsOf, assertTargetRight } from './change-target-check.js';
import { categoryFromGraphql, categoryToGraphql, originTypeToGraphql, targetTypeToGraphql } from './governance-enums.js';
import { pageSize } from './ids.js';
import { changeRequestsPage } from '../services/change-request-pages.js';

// The approval queue. Thin: approve/reject/cancel go to the governance service, which decides on what is stored
// and throws typed errors; `viewerCanApprove` asks the same decision without committing (approval-preview.ts).
// Another tenant's change id is simply not there: changeRequest answers null, the mutations NOT_FOUND.

const MAX_CHANGES = 200;

interface ChangeQueryArgs {
  readonly status?: ChangeStatus | null;
  readonly environment?: Environment | null;
  readonly category?: SettingCategory | null;
  readonly actionable?: boolean | null;
}

/**
 * The filter of changeRequests and its connection, and the check they share: the whole queue is configuration;
 * what the caller can act on is theirs to see (actionable.ts decides, per change).
 */
function changeQuery(ctx: GatewayContext, { status, environment, category, actionable }: ChangeQueryArgs) {
  const { factsFor } = actFactsOf(ctx);
  if (!actionable) {
    const read = ctx.access.decide({ action: 'read', dataClass: 'configuration' });
    if (read.effect === 'DENY') throw forbidden(read.denial);
  }
  const filter = { status, environment, category: category ? categoryFromGraphql(category) : null, actionable: actionable ?? null };
  return { filter, factsFor };
}

export const approvalResolvers: Resolvers = {
  Query: {
    changeRequests: (_p, { first, ...args }, ctx) => {
      const { filter, factsFor } = changeQuery(ctx, args);
      return ctx.governance.changeRequests(ctx.principal, filter, pageSize(first, { defaultPageSize: 50, maxPageSize: MAX_CHANGES }), factsFor);
    },
    changeRequest: (_p, { id }, ctx) => ctx.governance.changeRequest(ctx.principal, id),
    changeRequestsConnection: (_p, { first, after, last, before, ...args }, ctx) => {
      const { filter, factsFor } = changeQuery(ctx, args);
      return changeRequestsPage(ctx.governance, ctx.cursors, ctx.principal, filter, { first, after, last, before }, factsFor);
    },
  },

  Mutation: {
    // One approval path for every change type: the target's own check first (change-target-check.ts), then the
    // governance service's decision on what is stored.
    approveChange: async (_p, { id, comment }, ctx) => {
      const change = await ctx.governance.changeRequest(ctx.principal, id);
      if (change) await assertTargetRight(ctx, change);
      return ctx.governance.approve(ctx.principal, id, comment);
    },
    rejectChange: async (_p, { id, reason }, ctx) => {
      const change = await ctx.governance.changeRequest(ctx.principal, id);
      if (change) await assertTargetRight(ctx, change);
      return ctx.governance.reject(ctx.principal, id, reason);
    },
    cancelChange: (_p, { id }, ctx) => ctx.governance.cancel(ctx.principal, id),
  },

  ChangeRequest: {
    // The id of the versioned document the change writes: `setting:<key>` or `stop:<target>`.
    target: (c) => targetDocIdOf(c.target),
    category: (c) => categoryToGraphql(c.category),
    targetType: (c) => targetTypeToGraphql(c.target.type),
    key: (c) => (c.target.type === 'setting' ? c.target.key : null),
    stopTarget: (c) => (c.target.type === 'emergency-resume' ? c.target.target : null),
    approvalStatus: (c) => approvalStatusOf(c),
    viewerCanApprove: async (c, _a, ctx) => (await viewerApproval(ctx, c)).canApprove,
    viewerCannotApproveReason: async (c, _a, ctx) => (await viewerApproval(ctx, c)).message,
    viewerCannotApproveCode: async (c, _a, ctx) => (await viewerApproval(ctx, c)).code,
    approvedAt: (c) => ('approvedAt' in c ? c.approvedAt : null),
    appliedVersion: (c) => (c.status === 'APPLIED' ? c.appliedVersion : null),
    appliedAt: (c) => (c.status === 'APPLIED' ? c.appliedAt : null),
    rejection: (c) => (c.status === 'REJECTED' ? c.rejection : null),
    cancellation: (c) => (c.status === 'CANCELLED' ? c.cancellation : null),
    superseded: (c) => (c.status === 'SUPERSEDED' ? c.superseded : null),
    expiredAt: (c) => (c.status === 'EXPIRED' ? c.expiredAt : null),
    failureReason: (c) => (c.status === 'FAILED' ? c.failure.reason : null),
    failedAt: (c) => (c.status === 'FAILED' ? c.failure.at : null),
  },

  ChangeRequester: {
    kind: (r) => (r.kind === 'user' ? 'USER' : r.kind === 'agent' ? 'AGENT' : 'SERVICE'),
  },

  ChangeOrigin: {
    type: (o) => originTypeToGraphql(o.type),
    toVersion: (o) => (o.type === 'rollback' ? o.toVersion : null),
    fromEnvironment: (o) => (o.type === 'promotion' ? o.fromEnvironment : null),
    fromVersion: (o) => (o.type === 'promotion' ? o.fromVersion : null),
  },
};
