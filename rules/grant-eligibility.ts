import type { PolicyDocument } from './policy-document.js';
import type { Principal } from './principal.js';

// Whether a grant of the policy counts for a principal: a grant is meant for some roles (`eligibleRoles`) and gives
// nothing to anyone else (a `sensitive` grant on a billing account is a mistake, not access). A role counts when the
// policy knows it and lets the principal's kind use it. rules/decide.ts asks this for every grant it compiles; the
// access-request path (src/governance/access-target.ts grantRequestRefusal) asks it before a grant is stored, so
// that what is approved is what a decision will then honour.

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
