import type { Principal } from '../auth/principal.js';
import type { AccessWant } from '../../rules/denial.js';
import type { PolicyDocument } from '../../rules/policy-document.js';
import { activeEntries, readAccessDoc, widenedEntries, type AccessEntry } from './access-entries.js';
import { classesGiven, permissionsGiven, roleHoldsOrOwns } from './approval-path.js';
import { requestRefusal, requesterDepartments } from './access-target.js';
import type { ChangeRequest } from './change-request.js';
import { beneficiaryOf } from './change-target.js';
import type { Instant } from './environment.js';
import type { FunctionsOf } from './functions.js';
import { widenedByPolicy } from './policy-widening.js';
import type { TransitionError } from './transition-result.js';

// "Nobody can grant a permission they do not hold." An approval of a change that widens access counts only when the
// approver holds (or, as the data class's owner role, owns) every data-class permission the change gives. The
// security function is the exception by design: it owns access itself, and its approval is the administrative
// half of the two-person rule; the other half must come from someone who holds or owns what is given away.

/** What an entry gives, as a role or a grant (break-glass gives nothing by itself). */
function wantsOf(entry: AccessEntry): AccessWant[] {
  if (entry.kind === 'role') return [{ role: entry.name }];
  return entry.kind === 'grant' ? [{ grant: entry.name }] : [];
}

function holdsOrOwns(policy: PolicyDocument, approver: Principal, dataClass: string): boolean {
  const roleHas = approver.roles.some((r) => roleHoldsOrOwns(policy, r, dataClass));
  const grantHas = approver.grants.some((g) => policy.grants[g]?.permissions.some((p) => p.dataClasses.includes(dataClass)));
  return roleHas || grantHas;
}

/**
 * Classes the beneficiary already reads tenant-wide are not given by the change (a clinician asking for another
 * department already sees every patient's demographics): what is given is the rest, department scope included.
 */
function alreadyTenantWide(policy: PolicyDocument, change: ChangeRequest, before: readonly AccessEntry[]): Set<string> {
  const roles = [
    ...(change.target.type === 'access-request' ? change.requester.roles : []),
    ...before.filter((e) => e.kind === 'role').map((e) => e.name),
  ];
  return new Set(
    roles.flatMap((r) => (policy.roles[r]?.permissions ?? []).filter((p) => p.scope === 'tenant').flatMap((p) => p.dataClasses)),
  );
}

/**
 * null when `approver` may approve what `change` grants; otherwise why not (a message: CANNOT_GRANT_UNHELD; or the
 * refusal itself). Changes that grant nothing pass.
 */
export function grantCheck(
  policy: PolicyDocument,
  functionsOf: FunctionsOf,
  approver: Principal,
  change: ChangeRequest,
  now: Instant,
): string | TransitionError | null {
  if (change.target.type === 'policy') return policySelfBenefit(approver, change);
  const sub = beneficiaryOf(change.target);
  if (sub === null) return null;
  const before = readAccessDoc(sub, change.before);
  const widened = widenedEntries(before, readAccessDoc(sub, change.after), now);
  // Nobody, security included, approves a grant its requester holds none of the roles for: the check requestAccess
  // made, asked again under the policy in force now (it may have changed, and requests made before the check exist).
  // The requester's token is not at hand here: the roles and token departments the request was made with count
  // (change.requester), with the department-scoped assignments of the document the change applies over.
  if (change.target.type === 'access-request') {
    const { requester } = change;
    const asked = { kind: requester.kind, departments: requester.departments ?? [], roles: requester.roles };
    for (const e of widened) {
      const departments = requesterDepartments(policy, asked, sub, change.before, now, e);
      const refusal = requestRefusal(policy, { ...requester, departments }, e, sub);
      // FORBIDDEN here: the approver's input is fine, the change may not be applied.
      if (refusal) return { code: 'FORBIDDEN', reason: refusal.reason, message: refusal.message };
    }
  }
  if (functionsOf(approver.roles).includes('security')) return null;
  const held = alreadyTenantWide(policy, change, activeEntries(before, now));
  const given = widened.flatMap(wantsOf);
  const missing = given
    .flatMap((w) => classesGiven(policy, w))
    .filter((c) => !held.has(c) && !holdsOrOwns(policy, approver, c));
  if (missing.length === 0) return null;
  // Named with the actions the change gives on them (credentials are written, never read).
  const permissions = given.flatMap((w) => permissionsGiven(policy, w));
  const named = [...new Set(missing)].map((c) => {
    const actions = [...new Set(permissions.filter((p) => p.dataClasses.includes(c)).flatMap((p) => p.actions))];
    return `${actions.join(' and ') || 'read'} of ${c}`;
  });
  return `you cannot grant what you do not hold or own: ${named.join(', ')}`;
}

/**
 * Nobody approves a change that benefits them (transitions.ts SELF_BENEFIT for assignments): for a policy change, a
 * person who holds a role or grant it widens (policy-widening.ts: a security-admin approving security-admin unmasked
 * identifiers, an integration-engineer approving integration-engineer break-glass or ownership of a data class). A
 * role the approvers' function must hold (security-admin for policy changes) cannot widen itself so: give the
 * permission through a new role, which nobody holds yet, and assign it (itself governed).
 */
function policySelfBenefit(approver: Principal, change: ChangeRequest): TransitionError | null {
  const widened = widenedByPolicy(change.before, change.after);
  const held = [
    ...approver.roles.filter((r) => widened.everyone || widened.roles.has(r)),
    ...approver.grants.filter((g) => widened.grants.has(g)),
  ];
  if (held.length === 0) return null;
  return {
    code: 'FORBIDDEN',
    reason: 'SELF_BENEFIT',
    message: `this policy change widens what you hold (${held.join(', ')}): someone who does not hold it must approve`,
  };
}
