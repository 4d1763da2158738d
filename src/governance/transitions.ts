import type { Principal } from '../auth/principal.js';
import { accessChangeAtApply } from './access-changes.js';
import { evaluateApprovals, remainingApprovals, type ApprovalStatus } from './approval-evaluation.js';
import { commonOf, type Approval, type ChangeRequest } from './change-request.js';
import { beneficiaryOf } from './change-target.js';
import { toEpochMs, toIso, type Instant } from './environment.js';
import { heldOnlyElsewhere, inEnvironment } from './environment-roles.js';
import type { FunctionsOf } from './functions.js';
import { replaces } from './open-proposals.js';
import { applyEffectFor, audit, badInput, refuse, type TransitionError, type TransitionResult } from './transition-result.js';

// The state machine of a change request. Every transition is a pure function of the change, the actor and the
// time; the store persists `next` with compare-and-set on the stored change (so two concurrent approvals cannot
// both complete it) and performs the effects in the same atomic step.

export { proposeChange, type ProposeChangeInput } from './propose-change.js';

/** An extra permission check from the caller (for example environment scopes): false refuses NOT_AN_APPROVER. */
type CanApprove = (principal: Principal, change: ChangeRequest) => boolean;

export interface ApproveOptions {
  readonly now: Instant;
  /** The target's version in the store now: if it moved since the proposal, the change is SUPERSEDED. */
  readonly currentVersion: number;
  readonly functionsOf: FunctionsOf;
  readonly comment?: string | null;
  readonly canApprove?: CanApprove;
  /**
   * For changes that widen access: null when the approver may give what the change grants, else why not
   * (CANNOT_GRANT_UNHELD: nobody grants a permission they do not hold; see access-approval.ts), or the refusal
   * itself (NOT_ELIGIBLE: a grant for a requester who holds none of its roles).
   */
  readonly canGrant?: (approver: Principal, change: ChangeRequest) => string | TransitionError | null;
  /**
   * Why the change's effect may not be applied now, asked of the deps for this change before the transition
   * (GovernanceDeps.applyRefusal: the EHR write-back gate of a clinical write): an approval that could only queue
   * something that would not be written is refused, and nothing is recorded.
   */
  readonly applyRefusal?: TransitionError | null;
}

export interface RejectOptions {
  readonly now: Instant;
  readonly reason: string;
  readonly functionsOf: FunctionsOf;
  readonly canApprove?: CanApprove;
}

/** Where a change stands with its approvals: satisfied, how many more, from which functions, for people. */
export function approvalStatusOf(change: ChangeRequest): ApprovalStatus {
  return evaluateApprovals(change.requirement, ctxOf(change), change.approvals);
}

const ctxOf = (c: ChangeRequest) => ({
  ownerFunction: c.ownerFunction,
  approverFunctions: c.approverFunctions,
  requesterSub: c.requester.sub,
});
const isExpired = (c: ChangeRequest, now: string) => toEpochMs(now) >= toEpochMs(c.expiresAt);

/** Checks shared by approve, reject and cancel: tenant, PENDING, expiry (which ends the change). */
function guardPending(change: ChangeRequest, actor: Principal, now: string): TransitionResult | null {
  if (actor.tenant !== change.tenant) return refuse('FORBIDDEN', 'WRONG_TENANT', 'the change belongs to another tenant');
  if (change.status !== 'PENDING') return refuse('CONFLICT', 'NOT_PENDING', `the change is ${change.status}, not PENDING`);
  if (isExpired(change, now)) {
    const ended = expire(change, now);
    return ended.ok
      ? { ...refuse('CONFLICT', 'EXPIRED', `the change expired at ${change.expiresAt}`), next: ended.next, effects: ended.effects }
      : ended;
  }
  return null;
}

/**
 * The approver's functions that may approve this change, or null when the approver may not approve it at all. The
 * actor's roles are those that count in the change's environment (environment-roles.ts): call with inEnvironment.
 */
function eligibleFunctions(change: ChangeRequest, actor: Principal, functionsOf: FunctionsOf, canApprove?: CanApprove): string[] | null {
  if (actor.kind !== 'user') return null;
  const eligible = functionsOf(actor.roles).filter((f) => change.approverFunctions.includes(f));
  if (eligible.length === 0 || (canApprove && !canApprove(actor, change))) return null;
  return eligible;
}

/** NOT_AN_APPROVER, or ROLE_NOT_IN_ENVIRONMENT when a role held only in another environment would have counted. */
function notAnApprover(change: ChangeRequest, actor: Principal, functionsOf: FunctionsOf): TransitionResult {
  const elsewhere = heldOnlyElsewhere(actor, change.environment, (r) => functionsOf([r]).some((f) => change.approverFunctions.includes(f)));
  if (actor.kind === 'user' && elsewhere) {
    return refuse(
      'FORBIDDEN',
      'ROLE_NOT_IN_ENVIRONMENT',
      `your assignment of ${elsewhere} does not cover ${change.environment}: ` +
      `approvers of this change come from: ${change.approverFunctions.join(', ')}`,
    );
  }
  return refuse('FORBIDDEN', 'NOT_AN_APPROVER', `approvers of this change come from: ${change.approverFunctions.join(', ')}`);
}

export function approve(change: ChangeRequest, asked: Principal, options: ApproveOptions): TransitionResult {
  const now = toIso(options.now);
  const approver = inEnvironment(asked, change.environment);
  const guarded = guardPending(change, approver, now);
  if (guarded) return guarded;
  if (options.currentVersion !== change.baseVersion) {
    const ended = supersede(change, options.currentVersion, now);
    const message = `the target moved from version ${change.baseVersion} to ${options.currentVersion}: propose the change again`;
    return ended.ok ? { ...refuse('CONFLICT', 'STALE_BASE_VERSION', message), next: ended.next, effects: ended.effects } : ended;
  }
  // An access change is judged and applied as of now: a requested grant lasts from the apply, a dated assignment
  // whose date has passed ends the change (access-changes.ts accessChangeAtApply).
  const atApply = accessChangeAtApply(change, options.now);
  if (!atApply.ok) {
    const next: ChangeRequest = { ...commonOf(change), updatedAt: now, status: 'EXPIRED', expiredAt: now };
    const ended = audit(next, 'change.expired', null, now, { expiresAt: change.expiresAt, entryExpiresAt: atApply.endedAt });
    return { ok: false, error: atApply.error, next, effects: [ended] };
  }
  const applied = atApply.change;
  if (approver.sub === change.requester.sub) return refuse('FORBIDDEN', 'SELF_APPROVAL', 'the requester cannot approve their own change');
  const clinical = clinicalText(change, 'comment', options.comment?.trim() ?? '');
  if (clinical) return clinical;
  // Nobody approves a change that benefits themselves, whoever asked for it.
  if (beneficiaryOf(change.target) === approver.sub)
    return refuse('FORBIDDEN', 'SELF_BENEFIT', 'this change widens your own access: someone else must approve it');
  if (change.approvals.some((a) => a.sub === approver.sub))
    return refuse('CONFLICT', 'ALREADY_APPROVED', 'you have already approved this change');
  const eligible = eligibleFunctions(change, approver, options.functionsOf, options.canApprove);
  if (!eligible) return notAnApprover(change, asked, options.functionsOf);
  const req = change.requirement;
  if (req.mfaRequired && !approver.mfa)
    return refuse('FORBIDDEN', 'MFA_REQUIRED', 'approving this change needs a token with MFA: sign in again with a second factor');
  const cannotGrant = options.canGrant?.(approver, applied);
  if (typeof cannotGrant === 'string') return refuse('FORBIDDEN', 'CANNOT_GRANT_UNHELD', cannotGrant);
  if (cannotGrant) return { ok: false, error: cannotGrant };
  if (options.applyRefusal) return { ok: false, error: options.applyRefusal };

  const ctx = ctxOf(change);
  const before = remainingApprovals(req, ctx, change.approvals);
  const counted = new Set(change.approvals.flatMap((a) => a.functions));
  const fns = functionsOfRoles(approver, options.functionsOf);
  const eligibleRoles = approver.roles.filter((r) => eligible.includes(fns.get(r) ?? ''));
  const roleUsed = eligibleRoles.find((r) => !counted.has(fns.get(r) ?? '')) ?? eligibleRoles[0] ?? approver.roles[0] ?? 'unknown';
  const approval: Approval = {
    sub: approver.sub,
    roleUsed,
    functions: eligible,
    mfa: approver.mfa,
    comment: options.comment?.trim() || null,
    at: now,
  };
  const approvals = [...change.approvals, approval];
  const after = remainingApprovals(req, ctx, approvals);
  if (after >= before) {
    const status = evaluateApprovals(req, ctx, change.approvals);
    const same = req.distinctFunctions && eligible.every((f) => counted.has(f));
    return same
      ? refuse('FORBIDDEN', 'SAME_FUNCTION', `${eligible.join(', ')} has already approved: this change ${status.summary}`)
      : refuse('FORBIDDEN', 'FUNCTION_NOT_NEEDED', `your approval would not count: this change ${status.summary}`);
  }
  const common = { ...commonOf(change), approvals, updatedAt: now };
  const approved = audit(change, 'change.approved', approver.sub, now, {
    roleUsed,
    functions: eligible,
    remaining: after,
    mfa: approver.mfa,
  });
  if (after > 0) return { ok: true, next: { ...common, status: 'PENDING' }, effects: [approved] };
  // The final approval applies the change as of now (an access change's new entry is granted now).
  const appliedCommon = { ...commonOf(applied), approvals, updatedAt: now };
  if (change.applyMode === 'outbox') {
    const next: ChangeRequest = { ...appliedCommon, status: 'APPROVED', approvedAt: now };
    const apply = applyEffectFor(next);
    return {
      ok: true,
      next,
      effects: [approved, { type: 'outbox', changeId: next.id, tenant: next.tenant, idempotencyKey: apply.idempotencyKey, apply }],
    };
  }
  const appliedVersion = change.baseVersion + 1;
  const next: ChangeRequest = { ...appliedCommon, status: 'APPLIED', approvedAt: now, appliedVersion, appliedAt: now };
  return {
    ok: true,
    next,
    effects: [applyEffectFor(next), approved, audit(next, 'change.applied', approver.sub, now, { version: next.appliedVersion })],
  };
}

function functionsOfRoles(p: Principal, functionsOf: FunctionsOf): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of p.roles) {
    const [f] = functionsOf([r]);
    if (f !== undefined) m.set(r, f);
  }
  return m;
}

/**
 * What a clinical change (a medication proposal) is rejected with: words from this list, never free text. Whatever is
 * written on a change (a comment, a reason) is in its snapshot, which reaches configuration readers, change events and
 * the audit log, and clinical words there can name a diagnosis ("HIV viral load rising", found by the tester in a
 * proposal's reason). The proposal's own reason lives in its draft, read under the drug's rule (ehr-write-target.ts).
 */
export const CLINICAL_REJECTION_REASONS = Object.freeze([
  'not indicated', 'wrong drug', 'wrong dose', 'duplicate', 'contraindicated', 'patient declined', 'other',
] as const);

/** The refusal of free text on a clinical change (null when the change is not clinical or carries none). */
function clinicalText(change: ChangeRequest, path: 'comment' | 'reason', text: string): TransitionResult | null {
  if (change.target.type !== 'ehr-write') return null;
  if (path === 'comment') {
    if (!text) return null;
    const message = "a clinical proposal is approved without a comment (it would reach the audit log): write notes in the patient's record";
    return badInput('CLINICAL_TEXT', [{ path, message }]);
  }
  if ((CLINICAL_REJECTION_REASONS as readonly string[]).includes(text)) return null;
  const message = `a clinical proposal is rejected with one of: ${CLINICAL_REJECTION_REASONS.join(', ')}`;
  return badInput('CLINICAL_TEXT', [{ path, message }]);
}

/** Any permitted approver may reject (no MFA needed: rejecting only stops a change); any rejection ends it. */
export function reject(change: ChangeRequest, asked: Principal, options: RejectOptions): TransitionResult {
  const now = toIso(options.now);
  const by = inEnvironment(asked, change.environment);
  const guarded = guardPending(change, by, now);
  if (guarded) return guarded;
  if (by.sub === change.requester.sub)
    return refuse('FORBIDDEN', 'SELF_REJECTION', 'the requester cannot reject their own change: cancel it instead');
  const eligible = eligibleFunctions(change, by, options.functionsOf, options.canApprove);
  if (!eligible) return notAnApprover(change, asked, options.functionsOf);
  const reason = change.target.type === 'ehr-write' ? options.reason.trim().toLowerCase() : options.reason.trim();
  if (!reason) return badInput('REASON_REQUIRED', [{ path: 'reason', message: 'is required to reject a change' }]);
  const clinical = clinicalText(change, 'reason', reason);
  if (clinical) return clinical;
  const next: ChangeRequest = {
    ...commonOf(change),
    updatedAt: now,
    status: 'REJECTED',
    rejection: { sub: by.sub, at: now, functions: eligible, reason },
  };
  return { ok: true, next, effects: [audit(next, 'change.rejected', by.sub, now, { reason, functions: eligible })] };
}

/** Only the requester cancels, and only while the change is pending. */
export function cancel(change: ChangeRequest, by: Principal, options: { readonly now: Instant }): TransitionResult {
  const now = toIso(options.now);
  const guarded = guardPending(change, by, now);
  if (guarded) return guarded;
  if (by.sub !== change.requester.sub)
    return refuse('FORBIDDEN', 'NOT_REQUESTER', 'only the requester can cancel a change; approvers reject');
  const next: ChangeRequest = { ...commonOf(change), updatedAt: now, status: 'CANCELLED', cancellation: { sub: by.sub, at: now } };
  return { ok: true, next, effects: [audit(next, 'change.cancelled', by.sub, now)] };
}

/** A pending change whose time to live has passed ends EXPIRED (a sweeper, or any action on it, does this). */
export function expire(change: ChangeRequest, now: Instant): TransitionResult {
  const at = toIso(now);
  if (change.status !== 'PENDING') return refuse('CONFLICT', 'NOT_PENDING', `the change is ${change.status}, not PENDING`);
  if (!isExpired(change, at)) return refuse('CONFLICT', 'NOT_EXPIRED', `the change expires at ${change.expiresAt}`);
  const next: ChangeRequest = { ...commonOf(change), updatedAt: at, status: 'EXPIRED', expiredAt: at };
  return { ok: true, next, effects: [audit(next, 'change.expired', null, at, { expiresAt: change.expiresAt })] };
}

/** An open change whose target moved (base version != current version) ends SUPERSEDED: never applied over it. */
export function supersede(change: ChangeRequest, currentVersion: number, now: Instant): TransitionResult {
  const at = toIso(now);
  if (change.status !== 'PENDING' && change.status !== 'APPROVED') return refuse('CONFLICT', 'NOT_OPEN', `the change is ${change.status}`);
  if (currentVersion === change.baseVersion) return refuse('CONFLICT', 'NOT_STALE', `the target is still at version ${currentVersion}`);
  const next: ChangeRequest = { ...commonOf(change), updatedAt: at, status: 'SUPERSEDED', superseded: { currentVersion, at } };
  return { ok: true, next, effects: [audit(next, 'change.superseded', null, at, { baseVersion: change.baseVersion, currentVersion })] };
}

/**
 * The requester's newer proposal `by` on the same target and environment replaces this pending change
 * (open-proposals.ts): it ends SUPERSEDED with `replacedBy`, in the commit of `by`, recorded as the requester's act.
 */
export function replace(change: ChangeRequest, by: ChangeRequest, now: Instant): TransitionResult {
  const at = toIso(now);
  if (change.status !== 'PENDING') return refuse('CONFLICT', 'NOT_PENDING', `the change is ${change.status}, not PENDING`);
  if (!replaces(by, change))
    return refuse('CONFLICT', 'NOT_REPLACEABLE', 'only a newer proposal of the same requester on the same target replaces a change');
  const superseded = { currentVersion: by.baseVersion, at, replacedBy: by.id };
  const next: ChangeRequest = { ...commonOf(change), updatedAt: at, status: 'SUPERSEDED', superseded };
  const detail = { baseVersion: change.baseVersion, currentVersion: by.baseVersion, replacedBy: by.id };
  return { ok: true, next, effects: [audit(next, 'change.superseded', by.requester.sub, at, detail)] };
}

/** The outbox worker performed the change's apply effect: the change is APPLIED at baseVersion + 1. */
export function markApplied(change: ChangeRequest, options: { readonly now: Instant }): TransitionResult {
  const at = toIso(options.now);
  if (change.status !== 'APPROVED') return refuse('CONFLICT', 'NOT_APPROVED', `the change is ${change.status}, not APPROVED`);
  const next: ChangeRequest = {
    ...commonOf(change),
    updatedAt: at,
    status: 'APPLIED',
    approvedAt: change.approvedAt,
    appliedVersion: change.baseVersion + 1,
    appliedAt: at,
  };
  return { ok: true, next, effects: [audit(next, 'change.applied', null, at, { version: next.appliedVersion })] };
}

/**
 * Applying failed and nothing was applied: from APPROVED (the outbox gave up) or PENDING (the store's atomic final
 * approval and apply failed as a whole). The reason is recorded; the change ends.
 */
export function markFailed(change: ChangeRequest, options: { readonly reason: string; readonly now: Instant }): TransitionResult {
  const at = toIso(options.now);
  if (change.status !== 'PENDING' && change.status !== 'APPROVED') return refuse('CONFLICT', 'NOT_OPEN', `the change is ${change.status}`);
  const reason = options.reason.trim();
  if (!reason) return badInput('REASON_REQUIRED', [{ path: 'reason', message: 'is required to record a failure' }]);
  const next: ChangeRequest = { ...commonOf(change), updatedAt: at, status: 'FAILED', failure: { reason, at } };
  return { ok: true, next, effects: [audit(next, 'change.failed', null, at, { reason })] };
}

export type { TransitionResult };
