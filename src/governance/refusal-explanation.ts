import type { PrincipalKind } from '../auth/principal.js';
import type { ApprovalPath, RequestAccessInput } from '../../rules/denial.js';
import { requestInput } from '../../rules/denial.js';
import { describePath, pathFor } from './approval-path.js';
import type { ApprovalRules } from './approval-rules.js';
import type { ChangeRequest } from './change-request.js';
import type { TargetDescriptor } from './change-target.js';
import { ownerRoleOf } from './edit-permission.js';
import type { Environment } from './environment.js';
import type { FunctionsOf } from './functions.js';

// What a governance FORBIDDEN (NOT_AN_EDITOR, SELF_APPROVAL, NOT_AN_APPROVER, MFA_REQUIRED...) carries besides its
// reason: the owner, who may edit, the approval path, and the ready requestAccess input, like a data denial.

export interface RefusalExplanation {
  readonly [key: string]: unknown;
  readonly ownerRole: string;
  readonly ownerFunction: string;
  readonly editorRoles: readonly string[];
  readonly approvalPath: ApprovalPath;
  readonly requestAccess: RequestAccessInput | null;
}

/** For a refused proposal: who could propose it and how it would then be approved. */
export function proposalExplanation(
  d: TargetDescriptor,
  environment: Environment,
  rules: ApprovalRules,
  requesterKind: PrincipalKind,
  functionsOf: FunctionsOf,
): RefusalExplanation {
  const ownerRole = ownerRoleOf(d, functionsOf);
  return {
    ownerRole,
    ownerFunction: d.ownerFunction,
    editorRoles: [...d.editorRoles],
    approvalPath: pathFor(rules, d, environment, d.risk[environment], requesterKind),
    // Refused one's own access request, a request (for the owner role) would be refused the same: an assignment helps.
    requestAccess: d.target.type === 'access-request' ? null : requestInput({ role: ownerRole }),
  };
}

/** For a refused approval: the path the change itself is under (as recorded at proposal time). */
export function changeExplanation(change: ChangeRequest, d: TargetDescriptor | null, functionsOf: FunctionsOf): RefusalExplanation {
  return {
    ownerRole: d ? ownerRoleOf(d, functionsOf) : 'security-admin',
    ownerFunction: change.ownerFunction,
    editorRoles: d ? [...d.editorRoles] : [],
    approvalPath: describePath(change.environment, change.risk, change.requirement, change.approverFunctions),
    requestAccess: null, // approving is not something one requests: the approver functions say who may
  };
}
