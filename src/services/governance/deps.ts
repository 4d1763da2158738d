import { ConflictError } from '../../errors/errors.js';
import type { ApprovalRules } from '../../governance/approval-rules.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import type { ChangeTarget } from '../../governance/change-target.js';
import type { StopPolicy } from '../../governance/emergency-target.js';
import type { FunctionsOf } from '../../governance/functions.js';
import type { TransitionError } from '../../governance/transition-result.js';
import type { CommitOp, DocVersion, GovernanceStore } from '../../stores/governance-store.js';
import type { PolicyDocument } from '../../../rules/policy-document.js';
import type { KeyedLock } from './keyed-lock.js';
import type { ConnectorEffectHandler, NotificationHandler } from './outbox-worker.js';

// The one object governed changes with I/O are built from: every function of this folder takes it first
// (`updateSetting(deps, principal, input)`, `approveChange(deps, principal, id)`), and the request context carries it
// as `ctx.governance`. A reader goes from a resolver to the kind of change (setting-proposals.ts, ...), to the core
// loops (propose.ts, transition.ts) and to the store's commit, by imports alone.

export interface GovernanceDeps {
  readonly store: GovernanceStore;
  readonly rules: ApprovalRules;
  readonly functionsOf: FunctionsOf;
  readonly now: () => number;
  readonly newId: () => string;
  /** The per-target proposal queue: one per gateway (built with the deps), so its proposals for one target take turns. */
  readonly locks: KeyedLock;
  /** Who may stop what. Default: DEFAULT_STOP_POLICY (rules/default-policy.json). */
  readonly stopPolicy?: StopPolicy;
  /** Changes whose apply reaches outside the store go through the outbox (default: connector settings). */
  readonly applyModeFor?: (target: ChangeTarget) => 'atomic' | 'outbox';
  readonly connectorEffects?: ConnectorEffectHandler;
  /**
   * Why a change's effect may not be applied now (null: it may), asked when it is approved and by its previews: the
   * EHR write-back gate and the proposing agent's stop for a clinical write (src/services/write-back/ehr-write-effect.ts).
   */
  readonly applyRefusal?: (tenant: string, change: ChangeRequest) => Promise<TransitionError | null>;
  /** false: leave outbox entries for the worker (tests simulate a crash after the commit). Default true. */
  readonly processOutboxInline?: boolean;
  /** The tenant's policy in force (access changes are judged against it). Default: the default policy. */
  readonly policyOf?: (tenant: string) => Promise<PolicyDocument>;
  /** Told after every committed transition (the access cache drops what an access change made stale). */
  readonly onCommitted?: (tenant: string, change: ChangeRequest) => void;
  /** Ops committed with every transition (approver notifications queue their outbox entry in the same commit). */
  readonly notificationOps?: (change: ChangeRequest) => CommitOp[];
  /** Delivers the notifications queued by notificationOps, from the outbox (src/services/notifications). */
  readonly notifications?: NotificationHandler;
  /**
   * At most this many open changes per requester (MAX_OPEN_PROPOSALS_PER_REQUESTER; src/governance/open-proposals.ts);
   * absent: no cap (deps built by hand in tests). The gateway always sets it from its config.
   */
  readonly maxOpenProposals?: number;
  /** Told when the outbox applied an approved change's external effect: ms since the approval (metrics). */
  readonly onOutboxApplied?: (lagMs: number) => void;
}

export type ProposalOutcome =
  | { readonly status: 'APPLIED'; readonly change: ChangeRequest; readonly version: number }
  | { readonly status: 'PENDING_APPROVAL'; readonly change: ChangeRequest };

/** The proposal's target document as stored when `build` runs (version 0: never set). */
export interface CurrentDoc {
  readonly doc: DocVersion | null;
  readonly version: number;
}

/** Compare-and-set attempts before giving up with `contention()`. */
export const MAX_ATTEMPTS = 200;

export const contention = () =>
  new ConflictError('CONTENTION', 'Too many concurrent updates of this change; nothing was applied by this request. Retry.');
