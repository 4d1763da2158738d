import type { Principal } from '../auth/principal.js';
import { ENVIRONMENTS, type Environment } from './environment.js';

// Which roles count for a governed change in one environment. Role assignments carry `environments`
// (access-entries.ts); rules/decide.ts projects them per environment onto the effective principal
// (`rolesByEnvironment`), and every editor and approver check of a change asks here, with the change's environment:
// an integration-engineer assignment scoped to STAGING proposes and approves STAGING changes, never PRODUCTION
// ones (FORBIDDEN, reason ROLE_NOT_IN_ENVIRONMENT). Pure. A principal without the projection (no stored
// assignment, or built by hand in a test) has its roles in every environment.

export function rolesIn(principal: Pick<Principal, 'roles' | 'rolesByEnvironment'>, environment: Environment): readonly string[] {
  return principal.rolesByEnvironment?.[environment] ?? principal.roles;
}

/** The principal as a change in `environment` sees it: its roles cut to that environment's. */
export function inEnvironment<P extends Pick<Principal, 'roles' | 'rolesByEnvironment'>>(principal: P, environment: Environment): P {
  const roles = rolesIn(principal, environment);
  return roles === principal.roles ? principal : { ...principal, roles };
}

/** Roles the principal holds in another environment but not in this one (for the ROLE_NOT_IN_ENVIRONMENT reason). */
function rolesOnlyElsewhere(principal: Pick<Principal, 'roles' | 'rolesByEnvironment'>, environment: Environment): string[] {
  const here = new Set(rolesIn(principal, environment));
  const elsewhere = ENVIRONMENTS.filter((e) => e !== environment).flatMap((e) => rolesIn(principal, e));
  return [...new Set(elsewhere)].filter((r) => !here.has(r));
}

/** Where a role held only elsewhere counts, for people: `integration-engineer (STAGING only)`. */
function describeElsewhere(principal: Pick<Principal, 'roles' | 'rolesByEnvironment'>, role: string): string {
  const envs = ENVIRONMENTS.filter((e) => rolesIn(principal, e).includes(role));
  return `${role} (${envs.join(', ')} only)`;
}

/**
 * The roles `counts` accepts that the principal holds only in another environment, for people
 * ("integration-engineer (STAGING only)"), or '' when none: what an editor, approver or stop check that refuses in
 * `environment` says instead of NOT_AN_EDITOR (ROLE_NOT_IN_ENVIRONMENT).
 */
export function heldOnlyElsewhere(
  principal: Pick<Principal, 'roles' | 'rolesByEnvironment'>,
  environment: Environment,
  counts: (role: string) => boolean,
): string {
  return rolesOnlyElsewhere(principal, environment)
    .filter(counts)
    .map((r) => describeElsewhere(principal, r))
    .join(', ');
}
