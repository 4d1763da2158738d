import type { ChangeRequest } from './change-request.js';
import { targetKeyOf } from './target-key.js';
import type { TransitionError } from './transition-result.js';

// Open work a requester can leave in the approval queue (issue 17: the embedded store keeps every open change, so
// nothing else bounds it). Two rules, decided here and applied by the proposing loop (src/services/governance/
// propose.ts) in the commit of the new change:
// - a requester's newer proposal replaces their own PENDING one on the same target and environment (the old one ends
//   SUPERSEDED with `replacedBy`, transitions.ts `replace`); other requesters' proposals are competing proposals an
//   approver chooses between, and stay. An APPROVED change is not replaced: approvers decided it and the outbox may be
//   applying it at the connector right now (outbox-worker.ts performs the effect, then commits APPLIED), so ending it
//   could leave an effect done under a record that says SUPERSEDED; it applies, and the newer proposal then goes stale
//   like any other proposal computed against the version before;
// - a requester has at most `max` open changes (MAX_OPEN_PROPOSALS_PER_REQUESTER); one more is refused with CONFLICT
//   reason TOO_MANY_OPEN_PROPOSALS, saying how many are open and how to withdraw one.

/** PENDING, or APPROVED and not yet applied (waiting in the outbox): live work an approver or the outbox acts on. */
export function isOpen(change: ChangeRequest): boolean {
  return change.status === 'PENDING' || change.status === 'APPROVED';
}

/**
 * Open at `nowMs`: a PENDING change past its expiresAt is expired, though expiry is written only when it is next read
 * (src/services/governance/reads.ts expireIfDue), so the cap neither counts nor replaces it.
 */
export function isOpenAt(change: ChangeRequest, nowMs: number): boolean {
  return isOpen(change) && !(change.status === 'PENDING' && Date.parse(change.expiresAt) <= nowMs);
}

/** What the rules ask of a new change: a change request, or one about to be proposed (explain asks without one). */
export type OpenCandidate = Pick<ChangeRequest, 'id' | 'status' | 'tenant' | 'requester' | 'environment' | 'target'>;

/** Does `next` replace `old`: another PENDING change of the same requester, on the same target and environment? */
export function replaces(next: OpenCandidate, old: ChangeRequest): boolean {
  return (
    old.id !== next.id &&
    old.status === 'PENDING' &&
    old.tenant === next.tenant &&
    old.requester.sub === next.requester.sub &&
    old.environment === next.environment &&
    old.target.type === next.target.type &&
    targetKeyOf(old.target) === targetKeyOf(next.target)
  );
}

/**
 * Null when `next` may be committed beside the requester's open changes `ownOpen` (those it replaces do not count),
 * else the refusal. Only a new change that waits for approvers is refused: one that needs nobody (APPLIED at once, or
 * APPROVED at once and handed to the outbox, which applies it without waiting: a refund under the threshold) adds
 * nothing to the queue a requester could fill.
 */
export function openProposalRefusal(next: OpenCandidate, ownOpen: readonly ChangeRequest[], max: number): TransitionError | null {
  if (next.status !== 'PENDING') return null;
  const staying = ownOpen.filter((c) => isOpen(c) && c.id !== next.id && c.requester.sub === next.requester.sub && !replaces(next, c));
  if (staying.length < max) return null;
  return {
    code: 'CONFLICT',
    reason: 'TOO_MANY_OPEN_PROPOSALS',
    message:
      `you have ${staying.length} open proposals (at most ${max} per requester): withdraw one with cancelChange(id:) ` +
      'or wait for approvers to decide, then propose again; a new proposal on the same target replaces your pending one',
  };
}
