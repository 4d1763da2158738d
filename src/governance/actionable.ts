import type { Principal } from '../auth/principal.js';
import type { ChangeRequest } from './change-request.js';
import { isActive, type AccessDoc } from './access-entries.js';
import type { Instant } from './environment.js';
import type { FunctionsOf } from './functions.js';
import { approve, type ApproveOptions } from './transitions.js';

// Can this principal give the change's next counted approval? The one decision approveChange makes (the pure
// `approve` transition), asked without committing, on the change as stored. Minimal version for issue 14's
// notifications (helper i13c writes the full one for actionable changeRequests; the lead reconciles at merge).

export interface ActOptions {
  readonly now: Instant;
  readonly functionsOf: FunctionsOf;
  readonly canGrant?: ApproveOptions['canGrant'];
}

export function canActOn(change: ChangeRequest, principal: Principal, options: ActOptions): boolean {
  if (change.status !== 'PENDING') return false;
  // The target's version is not known here: the change's own base version stands for it (a moved target is
  // reported as SUPERSEDED by the store's next read, and then nobody can act on it).
  return approve(change, principal, { now: options.now, currentVersion: change.baseVersion, functionsOf: options.functionsOf, comment: null, ...(options.canGrant ? { canGrant: options.canGrant } : {}) }).ok;
}

/**
 * The people a tenant knows by their stored role assignments (access docs), each as the principal they would be
 * when signed in with a second factor: who could act on a change, before anyone signs in. Principals whose roles
 * come only from their identity provider's token are not known to the gateway until they call it.
 */
export function knownApprovers(tenant: string, docs: readonly AccessDoc[], now: Instant): Principal[] {
  return docs.flatMap((doc) => {
    const roles = [...new Set(doc.entries.filter((e) => e.kind === 'role' && isActive(e, now)).map((e) => e.name))];
    if (roles.length === 0) return [];
    return [{ sub: doc.sub, tenant, kind: 'user' as const, roles, departments: [], mfa: true, scopes: null, grants: [] }];
  });
}
