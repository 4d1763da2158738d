import type { ChangeRequest } from '../../governance/change-request.js';
import type { Principal } from '../../auth/principal.js';
import { describeTarget, type ChangeTarget } from '../../governance/change-target.js';
import { editCheck } from '../../governance/edit-permission.js';
import type { Environment } from '../../governance/environment.js';
import { DEFAULT_STOP_POLICY } from '../../governance/emergency-target.js';
import type { ProposeChangeInput } from '../../governance/propose-change.js';
import { changeExplanation, proposalExplanation } from '../../governance/refusal-explanation.js';
import { refusalScope, type TransitionError } from '../../governance/transition-result.js';
import { defaultPolicy } from '../../../rules/policy-document.js';
import { GovernanceError } from '../../errors/governance-error.js';
import type { GovernanceDeps } from './deps.js';
import { policyInForce } from './policy-in-force.js';

// The errors the core loops (propose.ts, transition.ts) throw when a transition refuses: a FORBIDDEN refusal is
// explained (src/governance/refusal-explanation.ts), every other one is passed on as it is.

type RefusalDeps = Pick<GovernanceDeps, 'rules' | 'stopPolicy' | 'functionsOf'>;

/** A refused proposal; FORBIDDEN carries the owner and the approval path (explainable permissions). */
export function proposalRefusal(
  deps: RefusalDeps,
  error: TransitionError,
  input: Pick<ProposeChangeInput, 'target' | 'environment' | 'requester' | 'policy'>,
): GovernanceError {
  if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
  const d = describeTarget(input.target, deps.rules, deps.stopPolicy ?? DEFAULT_STOP_POLICY, input.policy);
  const explanation = d.ok
    ? proposalExplanation(d.descriptor, input.environment, deps.rules, input.requester.kind, deps.functionsOf)
    : undefined;
  return new GovernanceError(error, { ...explanation, ...failedScopeOf(error) });
}

/** The failed scope a refusal names (refusalScope), as the error's extensions carry it. */
export const failedScopeOf = (error: TransitionError) => {
  const failedScope = refusalScope(error.reason);
  return failedScope ? { failedScope } : {};
};

/** A refused decision on an existing change (approve, reject, cancel, expire, the outbox's finish). */
export function changeRefusal(deps: RefusalDeps, error: TransitionError, change: ChangeRequest): GovernanceError {
  if (error.extensions) return new GovernanceError(error, error.extensions);
  if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
  // Access targets are described with the default policy here: only the owner role and editors are read from it.
  const d = describeTarget(change.target, deps.rules, deps.stopPolicy ?? DEFAULT_STOP_POLICY, defaultPolicy());
  const explanation = changeExplanation(change, d.ok ? d.descriptor : null, deps.functionsOf);
  return new GovernanceError(error, { ...explanation, ...failedScopeOf(error) });
}

/**
 * The proposal's own editor check (propose-change.ts: editCheck on the target, with the policy in force), asked before
 * a proposal reads what it changes: a caller who may not change the target learns nothing of it. A rollback to a
 * version that does not exist answered NOT_FOUND first (how often the connector credentials were rotated, to anyone);
 * a revocation of a role the person does not hold, NOT_FOUND (who holds stored roles, to anyone). The proposal asks
 * it again on what is stored when it decides.
 */
export async function assertTargetEditor(
  deps: GovernanceDeps,
  principal: Principal,
  target: ChangeTarget,
  environment: Environment,
): Promise<void> {
  const policy = await policyInForce(deps, principal.tenant);
  const described = describeTarget(target, deps.rules, deps.stopPolicy ?? DEFAULT_STOP_POLICY, policy);
  if (!described.ok) return; // the proposal refuses an unknown target with its own NOT_FOUND
  const edit = editCheck(described.descriptor, principal, environment);
  if (!edit.ok) {
    const error = { code: 'FORBIDDEN' as const, reason: edit.reason, message: edit.message };
    throw proposalRefusal(deps, error, { target, environment, requester: principal, policy });
  }
}
