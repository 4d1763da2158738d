import type { PermissionScopeKind, PolicyDocument } from './policy-document.js';
import type { Principal } from './principal.js';
import type { StoredAccess } from './stored-access.js';

// Whether a grant of the policy counts for a principal: a grant is meant for some roles (`eligibleRoles`) and gives
// nothing to anyone else (a `sensitive` grant on a billing account is a mistake, not access). A role counts when the
// policy knows it and lets the principal's kind use it. rules/decide.ts asks this for every grant it compiles; the
// access-request path (src/governance/access-target.ts grantRequestRefusal) asks it before a grant is stored, so
// that what is approved is what a decision will then honour. The same holds for the departments a grant is approved
// for (grantDepartments, below).

type GrantEligibility =
  | { readonly ok: true; readonly roleUsed: string }
  | { readonly ok: false; readonly eligibleRoles: readonly string[] };

/** `roles`: the principal's effective roles (token and store combined, as decide.ts compiles them). */
export function grantEligibility(
  policy: PolicyDocument,
  holder: { readonly kind: Principal['kind']; readonly roles: Iterable<string> },
  grant: string,
): GrantEligibility {
  const eligibleRoles = policy.grants[grant]?.eligibleRoles ?? [];
  for (const role of holder.roles) {
    if (eligibleRoles.includes(role) && policy.roles[role]?.principalKinds.includes(holder.kind)) return { ok: true, roleUsed: role };
  }
  return { ok: false, eligibleRoles };
}

/**
 * The departments a person belongs to for a grant: those where they hold a role the grant is for (`eligibleRoles`,
 * usable by their kind). Their token's departments count when the token carries such a role (or a stored assignment of
 * one names no departments: it takes the token's); an assignment of such a role adds the departments it names. A role
 * the grant is not for adds none (a front-desk assignment in primary care does not make a clinician a member of primary
 * care for the `sensitive` grant), and grants never add one: a grant is for patients of these departments.
 */
export function memberDepartments(
  policy: PolicyDocument,
  token: Pick<Principal, 'kind' | 'departments' | 'roles'>,
  stored: Pick<StoredAccess, 'standing' | 'temporaryRoles'>,
  grant: string,
): string[] {
  const eligibleRoles = policy.grants[grant]?.eligibleRoles ?? [];
  const forGrant = (role: string) => eligibleRoles.includes(role) && (policy.roles[role]?.principalKinds.includes(token.kind) ?? false);
  const assignments = [...(stored.standing ?? []), ...stored.temporaryRoles].filter((r) => forGrant(r.role));
  const fromToken = token.roles.some(forGrant) || assignments.some((r) => r.departments === null || r.departments === undefined);
  const assigned = assignments.flatMap((r) => r.departments ?? []);
  return [...new Set([...(fromToken ? token.departments : []), ...assigned])];
}

/**
 * The departments one permission of a grant covers when the grant was approved for `named` departments (null: none
 * named, as the policy says). A permission the policy gives per department is for patients of one's own departments:
 * it covers the named departments the holder belongs to (`member`, memberDepartments), never another (an emergency
 * opening of another department's patient is not a grant's approval). A permission the policy gives tenant-wide may
 * be narrowed to any departments. decide.ts compiles stored grants by it; requestAccess refuses what it would cut.
 */
export function grantDepartments(
  scope: PermissionScopeKind,
  named: readonly string[] | null,
  member: readonly string[],
): readonly string[] | null {
  if (named === null || scope === 'tenant') return named;
  return named.filter((d) => member.includes(d));
}

/** The named departments some permission of the grant would not cover for the holder (grantDepartments). */
export function departmentsOutside(
  policy: PolicyDocument,
  grant: string,
  named: readonly string[] | null,
  member: readonly string[],
): string[] {
  const permissions = policy.grants[grant]?.permissions ?? [];
  return (named ?? []).filter((d) => permissions.some((p) => !(grantDepartments(p.scope, named, member) ?? []).includes(d)));
}
