import type { ChangeRequest } from '../../governance/change-request.js';
import { describeTarget } from '../../governance/change-target.js';
import { DEFAULT_STOP_POLICY } from '../../governance/emergency-target.js';
import type { ProposeChangeInput } from '../../governance/propose-change.js';
import { changeExplanation, proposalExplanation } from '../../governance/refusal-explanation.js';
import type { TransitionError } from '../../governance/transition-result.js';
import { defaultPolicy } from '../../../rules/policy-document.js';
import { GovernanceError } from '../../errors/governance-error.js';
import type { GovernanceDeps } from './deps.js';

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
  return new GovernanceError(error, explanation);
}

/** A refused decision on an existing change (approve, reject, cancel, expire, the outbox's finish). */
export function changeRefusal(deps: RefusalDeps, error: TransitionError, change: ChangeRequest): GovernanceError {
  if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
  // Access targets are described with the default policy here: only the owner role and editors are read from it.
  const d = describeTarget(change.target, deps.rules, deps.stopPolicy ?? DEFAULT_STOP_POLICY, defaultPolicy());
  return new GovernanceError(error, changeExplanation(change, d.ok ? d.descriptor : null, deps.functionsOf));
}
