import type { Resolvers } from '../generated/resolvers-types.js';
import { approvalStatusOf } from '../governance/transitions.js';
import { targetDocIdOf } from '../services/effects-to-ops.js';
import { viewerApproval } from './approval-preview.js';
import { categoryFromGraphql, categoryToGraphql, originTypeToGraphql, targetTypeToGraphql } from './governance-enums.js';
import { pageSize } from './ids.js';
import { changeRequestsPage } from '../services/change-request-pages.js';

// The approval queue. Thin: approve/reject/cancel go to the governance service, which decides on what is stored
// and throws typed errors; `viewerCanApprove` asks the same decision without committing (approval-preview.ts).
// Another tenant's change id is simply not there: changeRequest answers null, the mutations NOT_FOUND.

const MAX_CHANGES = 200;

export const approvalResolvers: Resolvers = {
  Query: {
    changeRequests: (_p, { status, environment, category, first }, ctx) =>
      ctx.governance.changeRequests(ctx.principal, { status, environment, category: category ? categoryFromGraphql(category) : null }, pageSize(first, { defaultPageSize: 50, maxPageSize: MAX_CHANGES })),
    changeRequest: (_p, { id }, ctx) => ctx.governance.changeRequest(ctx.principal, id),
    changeRequestsConnection: (_p, { status, environment, category, first, after, last, before }, ctx) =>
      changeRequestsPage(ctx.governance, ctx.cursors, ctx.principal, { status, environment, category: category ? categoryFromGraphql(category) : null }, { first, after, last, before }),
  },

  Mutation: {
    approveChange: (_p, { id, comment }, ctx) => ctx.governance.approve(ctx.principal, id, comment),
    rejectChange: (_p, { id, reason }, ctx) => ctx.governance.reject(ctx.principal, id, reason),
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
