import type { Principal } from '../auth/principal.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { isActive, readAccessDoc, type AccessDoc, type AccessEntry } from './access-entries.js';
import type { ChangeRequest } from './change-request.js';
import { beneficiaryOf } from './change-target.js';
import { diffJson } from './diff.js';
import { toEpochMs, toIso, type Environment, type Instant } from './environment.js';
import type { JsonValue } from './json.js';
import type { TransitionError } from './transition-result.js';

// The new value of an `assignment:<sub>` document for each access action. Pure: the service proposes the result as
// a governed change (assign, revoke, request) or commits it at once (break-glass, review decisions), with the
// same compare-and-set on the document's version.

export interface EntryInput {
  readonly id: string;
  readonly kind: 'role' | 'grant';
  readonly name: string;
  readonly departments: readonly string[] | null;
  readonly environments: readonly Environment[];
  readonly expiresAt: Instant | null;
  readonly reason: string;
  readonly ticket: string | null;
  readonly source: 'assignment' | 'access-request';
  readonly now: Instant;
}

export function withEntry(doc: AccessDoc, input: EntryInput): AccessDoc {
  const entry: AccessEntry = {
    id: input.id,
    kind: input.kind,
    name: input.name,
    patientId: null,
    departments: input.departments ? [...input.departments] : null,
    environments: [...new Set(input.environments)],
    expiresAt: input.expiresAt === null ? null : toIso(input.expiresAt),
    source: input.source,
    reason: input.reason,
    ticket: input.ticket,
    grantedAt: toIso(input.now),
    revoked: null,
    reviews: [],
  };
  return { ...doc, entries: [...doc.entries, entry] };
}

/** Revokes every active entry of a role (or one entry by id); refused when there is none. */
export function revokeEntries(
  doc: AccessDoc,
  which: { role?: string | null; entryId?: string | null },
  by: string,
  reason: string,
  now: Instant,
): AccessDoc | TransitionError {
  const hit = (e: AccessEntry) => isActive(e, now) && (which.entryId ? e.id === which.entryId : e.kind === 'role' && e.name === which.role);
  if (!doc.entries.some(hit))
    return { code: 'NOT_FOUND', reason: 'UNKNOWN_ENTRY', message: `${doc.sub} holds no active ${which.entryId ?? which.role ?? 'entry'}` };
  const at = toIso(now);
  return { ...doc, entries: doc.entries.map((e) => (hit(e) ? { ...e, revoked: { by, at, reason } } : e)) };
}

export interface BreakGlassInput {
  readonly id: string;
  readonly principal: Principal;
  readonly patientId: string;
  readonly reason: string;
  readonly now: Instant;
  readonly minutes?: number;
}

/** Who may break the glass at all: a user holding one of the policy's eligible roles (openBreakGlass and explain ask). */
export function breakGlassEligibility(
  policy: PolicyDocument,
  principal: Pick<Principal, 'kind' | 'roles'>,
):
  | { readonly ok: true; readonly roleUsed: string; readonly rule: NonNullable<PolicyDocument['breakGlass']> }
  | { readonly ok: false; readonly error: TransitionError } {
  const rule = policy.breakGlass;
  const roleUsed = rule && principal.kind === 'user' ? principal.roles.find((r) => rule.eligibleRoles.includes(r)) : undefined;
  if (!rule || !roleUsed)
    return {
      ok: false,
      error: {
        code: 'FORBIDDEN',
        reason: 'NOT_ELIGIBLE',
        message: `break-glass is for: ${rule?.eligibleRoles.join(', ') ?? 'nobody in this policy'}`,
      },
    };
  return { ok: true, roleUsed, rule };
}

/** Opens one patient for a clinician outside their departments, for the policy's time at most; listed for review. */
export function openBreakGlass(doc: AccessDoc, policy: PolicyDocument, input: BreakGlassInput): AccessDoc | TransitionError {
  const { principal } = input;
  const eligibility = breakGlassEligibility(policy, principal);
  if (!eligibility.ok) return eligibility.error;
  const rule = eligibility.rule;
  const reason = input.reason.trim();
  if (reason.length < 10)
    return {
      code: 'BAD_USER_INPUT',
      reason: 'REASON_REQUIRED',
      message: 'reason: say why (10 characters at least)',
      problems: [{ path: 'reason', message: 'is required (10 characters at least)' }],
    };
  const minutes = Math.min(input.minutes ?? rule.maxMinutes, rule.maxMinutes);
  const entry: AccessEntry = {
    id: input.id,
    kind: 'break-glass',
    name: 'break-glass',
    patientId: input.patientId,
    departments: null,
    environments: ['PRODUCTION'],
    expiresAt: toIso(toEpochMs(input.now) + minutes * 60_000),
    source: 'break-glass',
    reason,
    ticket: null,
    grantedAt: toIso(input.now),
    revoked: null,
    reviews: [],
  };
  return { ...doc, entries: [...doc.entries, entry] };
}

/** Records a reviewer's decision on one entry; REVOKE also ends it. Nobody reviews their own access. */
export function recordReview(
  doc: AccessDoc,
  entryId: string,
  reviewer: Principal,
  decision: 'KEEP' | 'REVOKE',
  comment: string | null,
  now: Instant,
): AccessDoc | TransitionError {
  if (reviewer.sub === doc.sub) return { code: 'FORBIDDEN', reason: 'SELF_BENEFIT', message: 'nobody reviews their own access' };
  const entry = doc.entries.find((e) => e.id === entryId);
  if (!entry) return { code: 'NOT_FOUND', reason: 'UNKNOWN_ENTRY', message: `no grant ${entryId} for ${doc.sub}` };
  const at = toIso(now);
  const review = { by: reviewer.sub, at, decision, comment: comment?.trim() || null };
  const revoked =
    decision === 'REVOKE' && entry.revoked === null
      ? { by: reviewer.sub, at, reason: `access review${review.comment ? `: ${review.comment}` : ''}` }
      : entry.revoked;
  return { ...doc, entries: doc.entries.map((e) => (e.id === entryId ? { ...e, reviews: [...e.reviews, review], revoked } : e)) };
}

/**
 * An access change as its approval applies it at `now`: the entry it adds (its id is the change's) is granted now.
 * A requested entry lasts the minutes asked for from the apply, not from the request (the pending entry holds them as
 * expiresAt - grantedAt); an assignment's expiresAt is a date and stays, and one already past is refused (CONFLICT
 * EXPIRED: nothing dead is applied). transitions.ts approve asks it, so the approval, viewerCanApprove and
 * explain(change:approve) decide on the same document. Other changes (revocations, the policy) are as proposed.
 */
export function accessChangeAtApply(
  change: ChangeRequest,
  now: Instant,
):
  | { readonly ok: true; readonly change: ChangeRequest }
  | { readonly ok: false; readonly error: TransitionError; readonly endedAt: string } {
  const sub = beneficiaryOf(change.target);
  if (sub === null) return { ok: true, change };
  const doc = readAccessDoc(sub, change.after);
  const added = doc.entries.find((e) => e.id === change.id && e.revoked === null);
  if (!added) return { ok: true, change };
  const nowMs = toEpochMs(now);
  let expiresAt = added.expiresAt;
  if (added.source === 'access-request' && expiresAt !== null)
    expiresAt = toIso(nowMs + toEpochMs(expiresAt) - toEpochMs(added.grantedAt));
  else if (expiresAt !== null && toEpochMs(expiresAt) <= nowMs) {
    const message =
      `the ${added.name} ${added.kind} this change gives ends at ${expiresAt}, which has passed: nothing was applied; ` +
      'propose it again with a later expiresAt';
    return { ok: false, error: { code: 'CONFLICT', reason: 'EXPIRED', message }, endedAt: expiresAt };
  }
  const entry: AccessEntry = { ...added, grantedAt: toIso(nowMs), expiresAt };
  const after = { ...doc, entries: doc.entries.map((e) => (e === added ? entry : e)) } as unknown as JsonValue;
  return { ok: true, change: { ...change, after, diff: diffJson(change.before, after) } };
}

export const isTransitionError = (v: AccessDoc | TransitionError): v is TransitionError => 'code' in v && 'reason' in v;
