import type { Principal } from '../../auth/principal.js';
import { grantCheck } from '../../governance/access-approval.js';
import type { ChangeRequest } from '../../governance/change-request.js';
import { defaultPolicy, type PolicyDocument } from '../../../rules/policy-document.js';
import type { GovernanceDeps } from './deps.js';

// A tenant's policy in force and the grant check approving any change applies under it: access proposals are judged
// against it (access-proposals.ts), approveChange (transition.ts) and the previews (reads.ts) apply the same check.

export function policyInForce(deps: Pick<GovernanceDeps, 'policyOf'>, tenant: string): Promise<PolicyDocument> {
  return deps.policyOf?.(tenant) ?? Promise.resolve(defaultPolicy());
}

/** Whether an approver may grant what a change grants, under the tenant's policy in force. */
export async function canGrant(deps: Pick<GovernanceDeps, 'policyOf' | 'functionsOf' | 'now'>, tenant: string) {
  const policy = await policyInForce(deps, tenant);
  return (approver: Principal, change: ChangeRequest) => grantCheck(policy, deps.functionsOf, approver, change, deps.now());
}
