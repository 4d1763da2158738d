import type { Principal } from '../auth/principal.js';
import type { TargetDescriptor } from './change-target.js';
import { targetLabel } from './change-target.js';
import type { FunctionsOf } from './functions.js';

// Who may propose a change of a target: the one function the proposal path, the settings catalog and explain all
// ask, so a control is never shown as editable where proposing would then be refused.

export type EditCheck = { readonly ok: true; readonly roleUsed: string } | { readonly ok: false; readonly message: string };

export function editCheck(d: TargetDescriptor, principal: Pick<Principal, 'roles'>): EditCheck {
  const roleUsed = principal.roles.find((r) => d.editorRoles.includes(r));
  return roleUsed ? { ok: true, roleUsed } : { ok: false, message: `${targetLabel(d.target)} may be changed by: ${d.editorRoles.join(', ')}` };
}

/** The role that owns a target: the first editor role of its owner function (else its first editor role). */
export function ownerRoleOf(d: TargetDescriptor, functionsOf: FunctionsOf): string {
  return d.editorRoles.find((r) => functionsOf([r]).includes(d.ownerFunction)) ?? d.editorRoles[0] ?? 'security-admin';
}
