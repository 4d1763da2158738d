import type { AccessWant, ApprovalPath } from '../../rules/denial.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { approverFunctionsFor, requirementForProposal, type ApprovalRequirement, type ApprovalRules } from './approval-rules.js';
import type { Category, Environment, Risk } from './environment.js';
import type { PrincipalKind } from '../auth/principal.js';

// The approval path of a governed change, in data and in words: what explain, the settings catalog and every
// FORBIDDEN error say. Computed by the same functions proposeChange uses, so what the caller is told is what the
// change will need.

/** Access changes live in one place per tenant; they are governed under the production rules (PHI is production). */
export const ACCESS_ENVIRONMENT: Environment = 'PRODUCTION';
/** Widening anyone's access is HIGH; narrowing it applies at once (LOW). Policy changes are CRITICAL. */
export const ACCESS_WIDEN_RISK: Risk = 'HIGH';

export function describePath(
  environment: Environment,
  risk: Risk,
  requirement: ApprovalRequirement,
  approverFunctions: readonly string[],
): ApprovalPath {
  const n = requirement.requiredApprovals;
  const parts: string[] = [];
  if (n === 0) parts.push('no approval');
  else parts.push(`${n} approval${n > 1 ? 's' : ''}${n > 1 && requirement.distinctFunctions ? ' from different functions' : ''}`);
  const named = [requirement.ownerFunctionRequired ? approverFunctions[0] : null, requirement.requiredFunction ?? null].filter(
    (f): f is string => !!f,
  );
  if (n > 0 && named.length) parts.push(`including ${[...new Set(named)].join(' and ')}`);
  if (n > 0 && requirement.mfaRequired) parts.push('each with MFA');
  if (n > 0) parts.push(`approvers: ${approverFunctions.join(', ')}; never the requester`);
  return {
    environment,
    risk,
    requiredApprovals: n,
    approverFunctions: [...approverFunctions],
    distinctFunctions: requirement.distinctFunctions,
    ownerFunctionRequired: requirement.ownerFunctionRequired,
    requiredFunction: requirement.requiredFunction ?? null,
    mfaRequired: requirement.mfaRequired,
    summary: `${parts.join(', ')} (${risk} in ${environment})`,
  };
}

/** The path of a change of a target: the rule for its risk and the requester's kind, and its approver functions. */
export function pathFor(
  rules: ApprovalRules,
  target: { readonly category: Category; readonly ownerFunction: string; readonly extraApprovers?: readonly string[] },
  environment: Environment,
  risk: Risk,
  requesterKind: PrincipalKind,
  agentAlone = false,
): ApprovalPath {
  const requirement = requirementForProposal(rules, environment, risk, requesterKind, agentAlone);
  const approvers = [
    ...new Set([...approverFunctionsFor(rules, target.category, target.ownerFunction, requirement), ...(target.extraApprovers ?? [])]),
  ];
  return describePath(environment, risk, requirement, approvers);
}

/**
 * Functions that approve a grant besides security: the function of the role asked for, or of the owners of the
 * data classes a grant carries. The people who own the data take part in giving it away.
 */
export function grantApproverFunctions(policy: PolicyDocument, want: AccessWant): string[] {
  if (want.role !== undefined) {
    const f = policy.roles[want.role]?.function;
    return f ? [f] : [];
  }
  const grant = policy.grants[want.grant];
  if (!grant) return [];
  const owners = [grant.owner, ...grant.permissions.flatMap((p) => p.dataClasses.map((c) => policy.dataClasses[c]?.owner ?? ''))];
  const functions = [...new Set(owners.map((r) => policy.roles[r]?.function ?? '').filter(Boolean))];
  if (!functions.every((f) => f === 'security')) return functions;
  // Where only security owns what a grant gives (identifiers), the other half of the two-person rule comes from the
  // roles that read it (finance reads identifiers): an approver must hold or own what is given away (access-approval.ts
  // grantCheck), and without them no single-role approver could give it.
  const classes = new Set(grant.permissions.flatMap((p) => p.dataClasses));
  const holders = Object.values(policy.roles)
    .filter((r) => r.permissions.some((p) => p.actions.includes('read') && p.dataClasses.some((c) => classes.has(c))))
    .map((r) => r.function);
  return [...new Set([...functions, ...holders])];
}

/** The path an access request for `want` takes: the denial's approvalPath. */
export function accessRequestPath(
  rules: ApprovalRules,
  policy: PolicyDocument,
  want: AccessWant,
  requesterKind: PrincipalKind,
): ApprovalPath {
  return pathFor(
    rules,
    { category: 'access', ownerFunction: 'security', extraApprovers: grantApproverFunctions(policy, want) },
    ACCESS_ENVIRONMENT,
    ACCESS_WIDEN_RISK,
    requesterKind,
  );
}
