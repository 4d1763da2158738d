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
  target: {
    readonly category: Category;
    readonly ownerFunction: string;
    /** The target's own say on its approvers, given the rule's (access changes: accessApproverFunctions). */
    readonly approversOf?: (base: readonly string[]) => readonly string[];
  },
  environment: Environment,
  risk: Risk,
  requesterKind: PrincipalKind,
  agentAlone = false,
): ApprovalPath {
  const requirement = requirementForProposal(rules, environment, risk, requesterKind, agentAlone);
  const base = approverFunctionsFor(rules, target.category, target.ownerFunction, requirement);
  return describePath(environment, risk, requirement, target.approversOf ? [...target.approversOf(base)] : base);
}

/** True when holding `role` lets one give `dataClass` away: the role owns the class or has a permission on it. */
export function roleHoldsOrOwns(policy: PolicyDocument, role: string, dataClass: string): boolean {
  const perms = policy.roles[role]?.permissions ?? [];
  return policy.dataClasses[dataClass]?.owner === role || perms.some((p) => p.dataClasses.includes(dataClass));
}

/** The permissions a role or grant gives, per the policy (the approver path and grantCheck both ask this). */
export function permissionsGiven(policy: PolicyDocument, want: AccessWant): PolicyDocument['roles'][string]['permissions'] {
  return want.role !== undefined ? (policy.roles[want.role]?.permissions ?? []) : (policy.grants[want.grant]?.permissions ?? []);
}

/** The data classes a role or grant gives (any action). */
export function classesGiven(policy: PolicyDocument, want: AccessWant): string[] {
  return [...new Set(permissionsGiven(policy, want).flatMap((p) => p.dataClasses))];
}

/**
 * The approver functions of an access change giving `wants`: the rule's functions (`base`, security first), the
 * function of each role asked for and of the owners of what a grant carries (the people who own the data take part in
 * giving it away), then only the functions one of whose roles can give all of it. An approver must hold or own every
 * class given (access-approval.ts grantCheck; security passes), so naming another function would promise an approval
 * nobody of it can make (technical for an identifiers grant). Where that leaves security alone, the functions of the
 * roles that hold or own all of it are added (finance reads identifiers, compliance reads audit and configuration), so
 * the two-function rule can be met by single-role people.
 */
export function accessApproverFunctions(policy: PolicyDocument, base: readonly string[], wants: readonly AccessWant[]): string[] {
  const classes = [...new Set(wants.flatMap((w) => classesGiven(policy, w)))];
  const roles = Object.entries(policy.roles);
  const canGive = (f: string) =>
    f === 'security' || roles.some(([name, r]) => r.function === f && classes.every((c) => roleHoldsOrOwns(policy, name, c)));
  const named = wants.flatMap((w) => {
    if (w.role !== undefined) return [policy.roles[w.role]?.function ?? ''];
    const grant = policy.grants[w.grant];
    if (!grant) return [];
    const owners = [grant.owner, ...grant.permissions.flatMap((p) => p.dataClasses.map((c) => policy.dataClasses[c]?.owner ?? ''))];
    return owners.map((r) => policy.roles[r]?.function ?? '');
  });
  const approvers = [...new Set([...base, ...named])].filter((f) => f !== '' && canGive(f));
  if (approvers.some((f) => f !== 'security')) return approvers;
  return [...new Set([...approvers, ...roles.filter(([, r]) => canGive(r.function)).map(([, r]) => r.function)])];
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
    { category: 'access', ownerFunction: 'security', approversOf: (base) => accessApproverFunctions(policy, base, [want]) },
    ACCESS_ENVIRONMENT,
    ACCESS_WIDEN_RISK,
    requesterKind,
  );
}
