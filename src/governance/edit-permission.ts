import type { Principal } from '../auth/principal.js';
import type { TargetDescriptor } from './change-target.js';
import { targetLabel } from './change-target.js';
import type { Environment } from './environment.js';
import { heldOnlyElsewhere, rolesIn } from './environment-roles.js';
import type { FunctionsOf } from './functions.js';

// Who may propose a change of a target: the one function the proposal path, the settings catalog and explain all
// ask, so a control is never shown as editable where proposing would then be refused. With an environment, only
// the roles that count in that environment (environment-roles.ts) make an editor.

export type EditCheck =
  | { readonly ok: true; readonly roleUsed: string }
  | { readonly ok: false; readonly reason: 'NOT_AN_EDITOR' | 'ROLE_NOT_IN_ENVIRONMENT'; readonly message: string };

export function editCheck(
  d: TargetDescriptor,
  principal: Pick<Principal, 'roles' | 'rolesByEnvironment'>,
  environment?: Environment,
): EditCheck {
  const roles = environment ? rolesIn(principal, environment) : principal.roles;
  const roleUsed = roles.find((r) => d.editorRoles.includes(r));
  if (roleUsed) return { ok: true, roleUsed };
  const elsewhere = environment ? heldOnlyElsewhere(principal, environment, (r) => d.editorRoles.includes(r)) : '';
  // One's own access request is open to every role: what is missing is a role at all, which only an assignment gives
  // (a request for the right to request would meet this same refusal), so the message says so, not "editors: <all>".
  if (d.target.type === 'access-request') {
    const where = environment ? ` that counts in ${environment}` : '';
    const held = elsewhere ? `: your assignment of ${elsewhere} does not` : '; you hold none';
    const forEnv = environment ? ` for ${environment}` : '';
    const reason = elsewhere ? 'ROLE_NOT_IN_ENVIRONMENT' : 'NOT_AN_EDITOR';
    const message = `requesting access needs a role${where}${held}. Ask security to assign you one${forEnv} (assignRole)`;
    return { ok: false, reason, message };
  }
  if (environment && elsewhere) {
    return {
      ok: false,
      reason: 'ROLE_NOT_IN_ENVIRONMENT',
      message: `your assignment of ${elsewhere} does not cover ${environment}: ` +
        `${targetLabel(d.target)} in ${environment} may be changed by: ${d.editorRoles.join(', ')}`,
    };
  }
  return { ok: false, reason: 'NOT_AN_EDITOR', message: `${targetLabel(d.target)} may be changed by: ${d.editorRoles.join(', ')}` };
}

/** The role that owns a target: the first editor role of its owner function (else its first editor role). */
export function ownerRoleOf(d: TargetDescriptor, functionsOf: FunctionsOf): string {
  return d.editorRoles.find((r) => functionsOf([r]).includes(d.ownerFunction)) ?? d.editorRoles[0] ?? 'security-admin';
}
