import type { GatewayContext } from '../context/context.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { TransitionError, TransitionReason } from '../governance/transition-result.js';
import { approvalStatusOf, reject } from '../governance/transitions.js';
import { previewApproval } from '../services/governance/reads.js';
import { reachRefusal } from './change-target-check.js';
import { perRequest } from '../context/per-request.js';

// Can the caller approve this change, and if not, why? Answered by the one decision approveChange makes (the pure
// `approve` transition, run by the service on the stored version of the target) without committing anything, so
// the API never says "you can" where approving would then refuse. The answer is memoized per request and change,
// since three sibling fields ask it.

export interface ViewerApproval {
  readonly canApprove: boolean;
  /**
   * The machine reason approveChange would give (FORBIDDEN or NOT_FOUND where it refuses before the transition: the
   * caller may not reach the change or has no right on its target); null when the caller can approve.
   */
  readonly code: TransitionReason | 'FORBIDDEN' | 'NOT_FOUND' | null;
  /** The same, for people. */
  readonly message: string | null;
}

const MESSAGES: Partial<Record<TransitionReason, (c: ChangeRequest, ctx: GatewayContext) => string>> = {
  SELF_APPROVAL: () => 'You requested this change: someone else must approve it.',
  ALREADY_APPROVED: () => 'You have already approved this change.',
  NOT_AN_APPROVER: (c, ctx) =>
    ctx.principal.kind !== 'user'
      ? 'Only people approve changes: an agent or service cannot.'
      : `None of your roles is in a function that approves this change; approvers come from: ${c.approverFunctions.join(', ')}.`,
  MFA_REQUIRED: () => 'Approving this change needs a token with MFA: sign in again with a second factor.',
  SAME_FUNCTION: (c) => `Your function has already approved this change; it ${approvalStatusOf(c).summary}.`,
  FUNCTION_NOT_NEEDED: (c) => `Your approval would not count: this change ${approvalStatusOf(c).summary}.`,
  NOT_PENDING: (c) => `The change is ${c.status}: only a pending change can be approved.`,
  EXPIRED: (c) => `The change expired at ${c.expiresAt}: propose it again.`,
  STALE_BASE_VERSION: () => 'The target changed since this change was proposed, so it can no longer apply: propose it again.',
  WRONG_TENANT: () => 'The change belongs to another tenant.',
};

const messageOf = (error: TransitionError, change: ChangeRequest, ctx: GatewayContext) =>
  MESSAGES[error.reason]?.(change, ctx) ?? error.message;

// Keyed by the change object, not its id: two mutations of one document can return the same change in two states.
const actRefusalMemo = perRequest<ChangeRequest, ReturnType<typeof reachRefusal>>();
/** reachRefusal(…, 'act'), asked once per request and change (viewerCanApprove and viewerCanReject both need it). */
const actRefusal = (ctx: GatewayContext, change: ChangeRequest) => actRefusalMemo(ctx, change, () => reachRefusal(ctx, change, 'act'));

const approvalMemo = perRequest<ChangeRequest, Promise<ViewerApproval>>();

export function viewerApproval(ctx: GatewayContext, change: ChangeRequest): Promise<ViewerApproval> {
  return approvalMemo(ctx, change, async () => {
    // As approveChange asks: who may reach the change and act on its target first (a clinical-admin has no write on
    // an agent's medication proposal), then the approve transition.
    const refused = await actRefusal(ctx, change);
    if (refused?.effect === 'MISSING') return { canApprove: false, code: 'NOT_FOUND', message: 'The patient of this change is gone.' };
    if (refused) return { canApprove: false, code: 'FORBIDDEN', message: refused.denial.message };
    const r = await previewApproval(ctx.governance, ctx.principal, change);
    return r.ok
      ? { canApprove: true, code: null, message: null }
      : { canApprove: false, code: r.error.reason, message: messageOf(r.error, change, ctx) };
  });
}

/**
 * Would rejectChange accept the caller's rejection now? The reach check the mutation makes (change-target-check.ts),
 * then the pure `reject` transition with a reason from the clinical list (valid for every change): nothing committed.
 */
export async function viewerCanReject(ctx: GatewayContext, change: ChangeRequest): Promise<boolean> {
  if (await actRefusal(ctx, change)) return false;
  return reject(change, ctx.principal, { now: ctx.governance.now(), reason: 'other', functionsOf: ctx.governance.functionsOf }).ok;
}
