import type { ApprovalRules } from '../governance/approval-rules.js';
import type { ChangeRequest } from '../governance/change-request.js';
import type { ChangeTarget } from '../governance/change-target.js';
import type { StopPolicy } from '../governance/emergency-target.js';
import type { FunctionsOf } from '../governance/functions.js';
import type { CommitOp, GovernanceStore } from '../stores/governance-store.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import type { ConnectorEffectHandler, NotificationHandler } from './outbox-worker.js';

// What GovernanceService (governance-service.ts) is built from; it hands each of its parts the few it needs.

export interface GovernanceDeps {
  readonly store: GovernanceStore;
  readonly rules: ApprovalRules;
  readonly functionsOf: FunctionsOf;
  readonly now: () => number;
  readonly newId: () => string;
  readonly stopPolicy?: StopPolicy;
  /** Changes whose apply reaches outside the store go through the outbox (default: connector settings). */
  readonly applyModeFor?: (target: ChangeTarget) => 'atomic' | 'outbox';
  readonly connectorEffects?: ConnectorEffectHandler;
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
  /** Told when the outbox applied an approved change's external effect: ms since the approval (metrics). */
  readonly onOutboxApplied?: (lagMs: number) => void;
}
