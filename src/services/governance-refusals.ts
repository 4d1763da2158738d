import type { ApprovalRules } from '../governance/approval-rules.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { describeTarget } from '../governance/change-target.js';
import type { StopPolicy } from '../governance/emergency-target.js';
import type { FunctionsOf } from '../governance/functions.js';
import type { ProposeChangeInput } from '../governance/propose-change.js';
import { changeExplanation, proposalExplanation } from '../governance/refusal-explanation.js';
import type { TransitionError } from '../governance/transition-result.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { GovernanceError } from '../errors/governance-error.js';

// The errors the governance core (governance-service.ts) throws when a transition refuses: a FORBIDDEN refusal is
// explained (src/governance/refusal-explanation.ts), every other one is passed on as it is.

export interface GovernanceRefusalsDeps {
  readonly rules: ApprovalRules;
  readonly stopPolicy: StopPolicy;
  readonly functionsOf: FunctionsOf;
}

export interface GovernanceRefusals {
  /** A refused proposal; FORBIDDEN carries the owner and the approval path (explainable permissions). */
  proposal(error: TransitionError, input: ProposeChangeInput): GovernanceError;
  /** A refused decision on an existing change (approve, reject, cancel, expire, the outbox's finish). */
  change(error: TransitionError, change: ChangeRequest): GovernanceError;
}

export function createGovernanceRefusals(deps: GovernanceRefusalsDeps): GovernanceRefusals {
  return {
    proposal(error, input) {
      if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
      const d = describeTarget(input.target, deps.rules, deps.stopPolicy, input.policy);
      return new GovernanceError(error, d.ok ? proposalExplanation(d.descriptor, input.environment, deps.rules, input.requester.kind, deps.functionsOf) : undefined);
    },
    change(error, change) {
      if (error.code !== 'FORBIDDEN') return new GovernanceError(error);
      // Access targets are described with the default policy here: only the owner role and editors are read from it.
      const d = describeTarget(change.target, deps.rules, deps.stopPolicy, defaultPolicy());
      return new GovernanceError(error, changeExplanation(change, d.ok ? d.descriptor : null, deps.functionsOf));
    },
  };
}
