import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { ChangeStatus, Environment, Resolvers, SettingCategory } from '../generated/resolvers-types.js';
import { ENVIRONMENTS } from '../governance/environment.js';
import { approvalStatusOf } from '../governance/transitions.js';
import { targetDocIdOf } from '../services/governance/effects-to-ops.js';
import { targetKeyOf } from '../governance/target-key.js';
import { viewerApproval, viewerCanReject } from './approval-preview.js';
import { actFactsOf, assertMayReach } from './change-target-check.js';
import { categoryFromGraphql, categoryToGraphql, originTypeToGraphql, targetTypeToGraphql } from './governance-enums.js';
import { pageSize } from './ids.js';
import { proposalView } from './proposal-view.js';
import { changeRequestsPage } from '../services/change-request-pages.js';
import { findChangeRequest, listChangeRequests } from '../services/governance/reads.js';
import { approveChange, cancelChange, rejectChange } from '../services/governance/transition.js';

// The approval queue. Thin: approve/reject/cancel go to the governance service, which decides on what is stored
// and throws typed errors; `viewerCanApprove` asks the same decision without committing (approval-preview.ts).
// Another tenant's change id is simply not there: changeRequest answers null, the mutations NOT_FOUND.

const MAX_CHANGES = 200;
/** What a withheld text that cannot be null (a rejection's reason) says instead. */
const WITHHELD_TEXT = '(withheld: it needs read:financial)';

const textsWithheld = async (ctx: GatewayContext, c: ChangeRequest) => (await proposalView(ctx, c))?.textsWithheld === true;

interface ChangeQueryArgs {
  readonly status?: ChangeStatus | null;
  readonly environment?: Environment | null;
  readonly category?: SettingCategory | null;
  readonly actionable?: boolean | null;
  readonly mine?: boolean | null;
}

/**
 * The filter of changeRequests and its connection, and the check they share: the whole queue is configuration;
 * what the caller can act on is theirs to see (actionable.ts decides, per change).
 */
function changeQuery(ctx: GatewayContext, { status, environment, category, actionable, mine }: ChangeQueryArgs) {
  const { factsFor } = actFactsOf(ctx);
  let only = environment ?? null;
  if (!actionable && !mine) {
    const read = ctx.access.decide({ action: 'read', dataClass: 'configuration' });
    // What works without the role comes first (a clinician sent after read:configuration only had to ask for less).
    const without = 'Without it, changeRequests(actionable: true) lists the changes you can act on, and mine: true your own.';
    if (read.effect === 'DENY') throw forbidden({ ...read.denial, howToGet: `${without} ${read.denial.howToGet}` });
    // Each change is configuration of its environment: the queue of one the caller's roles do not count in is not
    // theirs. Asked for one, it is read or refused; asked for none, the queue is cut to those the caller reads.
    const asked = environment ? [environment] : ENVIRONMENTS;
    const readable = asked.filter((e) => ctx.access.readsConfigurationIn(e).effect === 'ALLOW');
    if (readable.length === 1) only = readable[0]!;
    if (readable.length === 0) {
      const refused = ctx.access.readsConfigurationIn(asked[0]!);
      if (refused.effect === 'DENY') throw forbidden(refused.denial);
    }
  }
  const filter = {
    status,
    environment: only,
    category: category ? categoryFromGraphql(category) : null,
    actionable: actionable ?? null,
    mine: mine ?? null,
  };
  return { filter, factsFor };
}

/** The same for a change named by id; an unknown id goes on to the service, which answers NOT_FOUND. */
async function mayDecide(ctx: GatewayContext, id: string, how: 'act' | 'withdraw'): Promise<void> {
  const change = await findChangeRequest(ctx.governance, ctx.principal, id);
  if (change) await assertMayReach(ctx, change, how);
}

export const approvalResolvers: Resolvers = {
  Query: {
    changeRequests: (_p, { first, ...args }, ctx) => {
      const { filter, factsFor } = changeQuery(ctx, args);
      return listChangeRequests(
        ctx.governance,
        ctx.principal,
        filter,
        pageSize(first, { defaultPageSize: 50, maxPageSize: MAX_CHANGES }),
        factsFor,
      );
    },
    // Configuration readers open any change; anyone opens their own and those they can act on now (canActOn, the
    // decision of `actionable`); everyone else gets the configuration denial.
    changeRequest: async (_p, { id }, ctx) => {
      const change = await findChangeRequest(ctx.governance, ctx.principal, id);
      if (change) await assertMayReach(ctx, change, 'open');
      return change;
    },
    changeRequestsConnection: (_p, { first, after, last, before, ...args }, ctx) => {
      const { filter, factsFor } = changeQuery(ctx, args);
      return changeRequestsPage(ctx.governance, ctx.cursors, ctx.principal, filter, { first, after, last, before }, factsFor);
    },
  },

  Mutation: {
    // One approval path for every change type: the target's own check first (change-target-check.ts), then the
    // governance service's decision on what is stored.
    approveChange: async (_p, { id, comment }, ctx) => {
      await mayDecide(ctx, id, 'act');
      return approveChange(ctx.governance, ctx.principal, id, comment);
    },
    rejectChange: async (_p, { id, reason }, ctx) => {
      await mayDecide(ctx, id, 'act');
      return rejectChange(ctx.governance, ctx.principal, id, reason);
    },
    cancelChange: async (_p, { id }, ctx) => {
      await mayDecide(ctx, id, 'withdraw');
      return cancelChange(ctx.governance, ctx.principal, id);
    },
  },

  ChangeRequest: {
    // Deprecated (a store's document id): kept for API clients that read it; clients use targetType and targetKey.
    target: (c) => targetDocIdOf(c.target),
    targetKey: (c) => targetKeyOf(c.target),
    category: (c) => categoryToGraphql(c.category),
    targetType: (c) => targetTypeToGraphql(c.target.type),
    key: (c) => (c.target.type === 'setting' ? c.target.key : null),
    stopTarget: (c) => (c.target.type === 'emergency-resume' ? c.target.target : null),
    approvalStatus: (c) => approvalStatusOf(c),
    viewerCanApprove: async (c, _a, ctx) => (await viewerApproval(ctx, c)).canApprove,
    viewerCannotApproveReason: async (c, _a, ctx) => (await viewerApproval(ctx, c)).message,
    viewerCanReject: (c, _a, ctx) => viewerCanReject(ctx, c),
    viewerCannotApproveCode: async (c, _a, ctx) => (await viewerApproval(ctx, c)).code,
    approvedAt: (c) => ('approvedAt' in c ? c.approvedAt : null),
    appliedVersion: (c) => (c.status === 'APPLIED' ? c.appliedVersion : null),
    appliedAt: (c) => (c.status === 'APPLIED' ? c.appliedAt : null),
    rejection: async (c, _a, ctx) =>
      c.status !== 'REJECTED' ? null : (await textsWithheld(ctx, c)) ? { ...c.rejection, reason: WITHHELD_TEXT } : c.rejection,
    cancellation: (c) => (c.status === 'CANCELLED' ? c.cancellation : null),
    superseded: (c) => (c.status === 'SUPERSEDED' ? { ...c.superseded, replacedBy: c.superseded.replacedBy ?? null } : null),
    expiredAt: (c) => (c.status === 'EXPIRED' ? c.expiredAt : null),
    failureReason: async (c, _a, ctx) => (c.status === 'FAILED' && !(await textsWithheld(ctx, c)) ? c.failure.reason : null),
    failedAt: (c) => (c.status === 'FAILED' ? c.failure.at : null),
    // A clinical write shows its full proposed resource, as far as the caller's field rules allow (proposal-view.ts).
    after: async (c, _a, ctx) => {
      const view = await proposalView(ctx, c);
      return view ? view.after : c.after;
    },
    diff: async (c, _a, ctx) => {
      const view = await proposalView(ctx, c);
      return view ? view.diff : c.diff;
    },
    withheldPaths: async (c, _a, ctx) => (await proposalView(ctx, c))?.withheldPaths ?? [],
    // A refund withheld from the caller (no read:financial) withholds its before and its texts too (proposal-view.ts).
    before: async (c, _a, ctx) => {
      const view = await proposalView(ctx, c);
      return view?.before !== undefined ? view.before : c.before;
    },
    reason: async (c, _a, ctx) => ((await textsWithheld(ctx, c)) ? null : c.reason),
    textsWithheld: (c, _a, ctx) => textsWithheld(ctx, c),
    approvals: async (c, _a, ctx) => ((await textsWithheld(ctx, c)) ? c.approvals.map((a) => ({ ...a, comment: null })) : c.approvals),
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
