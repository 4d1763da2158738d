import { grantEligibility } from './grant-eligibility.js';
import type { Principal } from './principal.js';
import type { PolicyAction, PolicyDocument } from './policy-document.js';

// What a denial tells the caller: what was missing, which scope failed, who owns it, and how to get it — down to
// the approval path an access request would take and the ready `requestAccess` input. Built by rules/decide.ts.

export type FailedScope = 'tenant' | 'role' | 'principal-kind' | 'grant' | 'smart-scope' | 'department' | 'environment';

/** How a governed change (here: an access request) would be approved: the approval rule, in data and words. */
export interface ApprovalPath {
  readonly environment: string;
  readonly risk: string;
  readonly requiredApprovals: number;
  /** Functions whose members may approve, owner first. */
  readonly approverFunctions: readonly string[];
  readonly distinctFunctions: boolean;
  readonly ownerFunctionRequired: boolean;
  readonly requiredFunction: string | null;
  readonly mfaRequired: boolean;
  /** For people: "2 approvals from different functions (security among them), with MFA; approvers: security, clinical". */
  readonly summary: string;
}

/** The input of `requestAccess` that would ask for what is missing: a client can send it as is (plus a reason). */
export interface RequestAccessInput {
  readonly requestedRole: string | null;
  readonly requestedGrant: string | null;
  readonly scopeDepartments: readonly string[] | null;
  readonly justification: string;
  readonly durationMinutes: number;
}

/** What an access request asks for: a role or a grant of the policy. */
export type AccessWant = { readonly role: string; readonly grant?: never } | { readonly grant: string; readonly role?: never };

/** Supplied by the governance layer, so a denial states the path the request would really take. */
export type ApprovalPathOf = (want: AccessWant) => ApprovalPath | null;

export interface Denial {
  readonly permission: string;
  readonly dataClass: string;
  readonly failedScope: FailedScope;
  readonly ownerRole: string;
  readonly ownerFunction: string;
  /** Roles of the policy that carry the permission (the caller may ask for one of them). */
  readonly rolesWithPermission: readonly string[];
  /** A grant of the policy that carries it, if any. */
  readonly grant: string | null;
  readonly howToGet: string;
  /** The approval an access request for it needs; null when no request can help (another tenant, SMART scopes). */
  readonly approvalPath: ApprovalPath | null;
  readonly requestAccess: RequestAccessInput | null;
  readonly policyVersion: string;
  readonly message: string;
  /** Set where a stable reason says more than the scope: ROLE_NOT_IN_ENVIRONMENT (configuration of an environment). */
  readonly reason?: 'ROLE_NOT_IN_ENVIRONMENT';
}

const DEFAULT_REQUEST_MINUTES = 8 * 60;

/** The ready requestAccess input for `want` (the caller adds a justification): every offer of access is built here. */
export function requestInput(want: AccessWant, scopeDepartments: readonly string[] | null = null): RequestAccessInput {
  return {
    requestedRole: want.role ?? null,
    requestedGrant: want.grant ?? null,
    scopeDepartments: scopeDepartments ? [...scopeDepartments] : null,
    justification: '',
    durationMinutes: DEFAULT_REQUEST_MINUTES,
  };
}

export interface DenialInput {
  readonly policy: PolicyDocument;
  readonly principal: Principal;
  readonly action: PolicyAction;
  readonly dataClass: string;
  readonly failedScope: FailedScope;
  readonly detail: string;
  /** For a department denial: the role that reads the class for its departments, and the row's departments. */
  readonly departmentRole?: string | null;
  readonly rowDepartments?: readonly string[];
  /** For a department denial: the departments the caller's sources of the permission cover (token or assignment). */
  readonly coveredDepartments?: readonly string[];
  /** What to do instead of a request, where a request cannot help (a role the store confines): no requestAccess then. */
  readonly advice?: string;
  /**
   * For a role or grant denial: the token's SMART scopes would not cover the class either, so a role or grant would
   * give this token nothing (rules/smart-scopes.ts): no requestAccess, and the howToGet says a token comes first.
   */
  readonly scopesAlsoBlock?: boolean;
  readonly reason?: Denial['reason'];
  readonly approvalPathOf?: ApprovalPathOf;
}

export function buildDenial(input: DenialInput): Denial {
  const { policy, principal, action, dataClass, failedScope } = input;
  const ownerRole = policy.dataClasses[dataClass]?.owner ?? 'security-admin';
  const carries = (p: { dataClasses: readonly string[]; actions: readonly string[] }) =>
    p.dataClasses.includes(dataClass) && p.actions.includes(action);
  const rolesWithPermission = Object.entries(policy.roles).filter(([, r]) => r.permissions.some(carries)).map(([n]) => n);
  const grant = Object.entries(policy.grants).find(([, g]) => g.permissions.some(carries))?.[0] ?? null;
  const permission = `${action}:${dataClass}`;
  // Least privilege first: the ready request names the usable role that gives the fewest permissions besides, then
  // owns the fewest data classes (an owner gives its classes away): read of audit is asked of auditor, not
  // security-admin; read of configuration not of system-admin, which writes credentials too. Ties keep the policy's
  // order (the kernel does not know which roles edit settings: integration-engineer and support tie on configuration).
  const owned = (r: string) => Object.values(policy.dataClasses).filter((c) => c.owner === r).length;
  const pairs = (r: string) => (policy.roles[r]?.permissions ?? []).reduce((n, p) => n + p.dataClasses.length * p.actions.length, 0);
  const usable = rolesWithPermission
    .filter((r) => policy.roles[r]?.principalKinds.includes(principal.kind))
    .sort((a, b) => pairs(a) - pairs(b) || owned(a) - owned(b));
  // A grant is offered only to someone it would count for (grant-eligibility.ts): requestAccess refuses the rest
  // (NOT_ELIGIBLE), so a ready input for it would be a request that cannot be made.
  const eligible = grant ? grantEligibility(policy, principal, grant) : null;
  // requestAccess needs a role of the policy that counts here (an access request is open to every role, to nobody
  // without one: src/governance/edit-permission.ts): without one, only an assignment helps.
  const mayRequest = principal.roles.some((r) => Object.hasOwn(policy.roles, r));
  const want = input.advice || input.scopesAlsoBlock || !mayRequest ? null : wantFor(input, eligible?.ok ? grant : null, usable);
  const approvalPath = want ? (input.approvalPathOf?.(want) ?? null) : null;
  // A role that gives the permission per department only, asked for a row outside the caller's departments, is asked
  // for the row's departments: for the token's (none, or others) it would be approved and still give nothing here.
  const rowDepartments = input.rowDepartments ?? [];
  const perDepartment =
    want?.role !== undefined &&
    !(policy.roles[want.role]?.permissions ?? []).some((p) => carries(p) && p.scope === 'tenant') &&
    rowDepartments.some((d) => !principal.departments.includes(d));
  const requestAccess = want ? requestInput(want, failedScope === 'department' || perDepartment ? rowDepartments : null) : null;
  const path = approvalPath ? ` It needs ${approvalPath.summary}.` : '';
  // Break-glass opens what the caller's eligible roles give, never a grant (rules/decide.ts): offered only where a role
  // of the caller that may break the glass carries the permission.
  const glass = policy.breakGlass?.eligibleRoles ?? [];
  const breakGlassHelps = principal.roles.some((r) => glass.includes(r) && policy.roles[r]?.permissions.some(carries));
  // Neither the token's SMART scopes nor another tenant's records are something to request (wantFor: no request).
  const resources = policy.dataClasses[dataClass]?.fhirResources ?? [];
  const covered = resources.join(', ') || dataClass;
  const howToGet = input.advice
    ? input.advice
    : !mayRequest && failedScope !== 'tenant' && failedScope !== 'smart-scope'
      ? `None of your roles counts here, so you cannot request access: ask security to assign you a role that has ${permission}` +
        `${usable.length ? ` (${usable.join(', ')})` : ''} with assignRole; owner: ${ownerRole}.`
    : input.scopesAlsoBlock
      ? `The token's SMART scopes do not cover ${covered} either, so no role or grant would give it to this token: sign in ` +
        `with a token whose scopes do, then request ${grant && eligible?.ok ? `the "${grant}" grant` : `a role that has ${permission}`}` +
        `${usable.length ? ` (${usable.join(', ')})` : ''}; owner: ${ownerRole}.`
    : failedScope === 'smart-scope'
      ? `The token's SMART scopes do not cover ${covered}: sign in with a token whose scopes do ` +
        '(a role or an access request cannot widen a token\'s scopes).'
    : failedScope === 'tenant'
      ? 'Records of another tenant are never shared; no request can change that.'
    : failedScope === 'department'
      ? `Only patients of your departments for it (${(input.coveredDepartments ?? principal.departments).join(', ') || 'none'}) are in ` +
        `scope; ask ${ownerRole} for access to ` +
        `this department with requestAccess${breakGlassHelps ? ', or use break-glass in an emergency' : ''}.${path}`
      : grant && failedScope !== 'role' && eligible && !eligible.ok
        ? `The "${grant}" grant is for ${eligible.eligibleRoles.join(', ') || 'no role'} only (owner: ` +
          `${policy.grants[grant]?.owner}); none of your roles can hold it.`
        : grant && (failedScope !== 'role' || want?.grant === grant)
        ? `Request the "${grant}" grant (owner: ${policy.grants[grant]?.owner}) with requestAccess` +
          `${failedScope === 'role' && usable.length ? `, or a role that has ${permission} (${usable.join(', ')})` : ''}.${path}`
        // Only roles this kind of principal can use: requestAccess refuses the others (NOT_ELIGIBLE).
        : usable.length
          ? `Request a role that has ${permission} (${usable.join(', ')}) with requestAccess; owner: ${ownerRole}.${path}`
          : `No role that has ${permission} can be held by a principal of kind ${principal.kind}; owner: ${ownerRole}.`;
  return {
    permission,
    dataClass,
    failedScope,
    ownerRole,
    ownerFunction: policy.roles[ownerRole]?.function ?? 'security',
    rolesWithPermission,
    grant,
    howToGet,
    approvalPath,
    requestAccess,
    policyVersion: policy.version,
    message: `Not allowed to ${action} ${dataClass} data: ${input.detail}`,
    ...(input.reason ? { reason: input.reason } : {}),
  };
}

/** What an access request should ask for; null when no request can help. */
function wantFor(input: DenialInput, grant: string | null, usableRoles: readonly string[]): AccessWant | null {
  switch (input.failedScope) {
    case 'tenant':
    case 'smart-scope':
    case 'environment':
      // Tenants never share data; SMART scopes are the client's choice; an environment's roles are an assignment's
      // (access requests count PRODUCTION's), not something to request.
      return null;
    case 'department':
      return input.departmentRole ? { role: input.departmentRole } : null;
    case 'grant':
      return grant ? { grant } : null;
    case 'principal-kind':
    case 'role':
      // A grant the caller may hold is narrower than any role (its permissions only, time-limited): asked first.
      return grant ? { grant } : usableRoles[0] ? { role: usableRoles[0] } : null;
  }
}
