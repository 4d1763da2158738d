import type { Principal } from '../auth/principal.js';
import { ConflictError } from '../errors/errors.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { ProposeChangeInput } from '../governance/propose-change.js';
import type { ProposalContext } from '../governance/setting-history.js';
import type { CommitOp, DocRef, DocVersion } from '../stores/governance-store.js';

// What the parts of the governance service (setting-proposals.ts, ehr-write-proposals.ts, emergency-actions.ts,
// access-proposals.ts) get from its core in governance-service.ts: the propose loop and the context every proposal
// starts from, passed in as functions, so the parts build proposals and the core alone decides and commits.

export type ProposalOutcome =
  | { readonly status: 'APPLIED'; readonly change: ChangeRequest; readonly version: number }
  | { readonly status: 'PENDING_APPROVAL'; readonly change: ChangeRequest };

/** The proposal's target document as stored when `build` runs (version 0: never set). */
export interface CurrentDoc {
  readonly doc: DocVersion | null;
  readonly version: number;
}

/**
 * Reads the target, builds the proposal on what is stored, decides, compare-and-sets; on a lost race, again.
 * `extraOps` adds writes of the proposer's own to the same atomic commit, given the change as decided.
 */
export type Propose = (
  principal: Principal,
  ref: DocRef,
  build: (current: CurrentDoc) => Promise<ProposeChangeInput>,
  extraOps?: (next: ChangeRequest) => readonly CommitOp[],
) => Promise<ProposalOutcome>;

/** A fresh change id, the requester, the clock, the rules and the stop policy, with the request's reason and ticket. */
export type ContextOf = (principal: Principal, input: { reason?: string | null; ticket?: string | null }) => ProposalContext;

/** Compare-and-set attempts before giving up with `contention()`. */
export const MAX_ATTEMPTS = 200;

export const contention = () => new ConflictError('CONTENTION', 'Too many concurrent updates of this change; nothing was applied by this request. Retry.');
