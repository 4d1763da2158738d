import type { Principal } from '../auth/principal.js';
import type { ApprovalRules } from './approval-rules.js';

// The governed `access.mfaPolicy` as it applies to one request: pure. Once the policy has been applied (a stored
// version exists), every request of a person it names is refused when the token shows no second factor or when the
// sign-in is older than `maxSessionHours`. This is the step-up challenge of RFC 9470 (OAuth 2.0 Step Up
// Authentication Challenge, section 3: `insufficient_user_authentication`, `max_age`): the client signs in again.
// The age of a sign-in is the token's `auth_time` (OIDC Core section 2) when present, else its `iat`.
// Agents and services authenticate with client credentials, not with a person's second factor: the policy names
// people only. `requiredForApprovals` stays true by schema: approvals need MFA where the approval rules say so.

export const MFA_POLICY_KEY = 'access.mfaPolicy';

export interface MfaPolicy {
  readonly requiredFor: 'all-users' | 'admins-and-approvers';
  readonly maxSessionHours: number;
}

export type SessionRefusal = { readonly reason: 'MFA_REQUIRED' | 'SESSION_TOO_OLD'; readonly message: string };

/**
 * Who `admins-and-approvers` names: the roles that may propose governed changes (the approval rules' editor roles,
 * per category and per setting); they are the people who change and approve configuration.
 */
export function adminRolesOf(rules: Pick<ApprovalRules, 'editorRoles'>): ReadonlySet<string> {
  const { categories, settings } = rules.editorRoles;
  return new Set([...Object.values(categories), ...Object.values(settings)].flat());
}

export function sessionRefusal(
  policy: MfaPolicy,
  principal: Pick<Principal, 'kind' | 'roles' | 'mfa' | 'authTime'>,
  adminRoles: ReadonlySet<string>,
  nowMs: number,
): SessionRefusal | null {
  if (principal.kind !== 'user') return null;
  const named = policy.requiredFor === 'all-users' || principal.roles.some((r) => adminRoles.has(r));
  if (!named) return null;
  if (!principal.mfa) {
    const who = policy.requiredFor === 'all-users' ? 'every user' : 'administrators and approvers';
    return { reason: 'MFA_REQUIRED', message: `The MFA policy requires a second factor for ${who}: sign in again with MFA.` };
  }
  const maxAgeSec = policy.maxSessionHours * 3600;
  // No sign-in time at all cannot prove the session is young enough.
  if (principal.authTime === undefined || nowMs / 1000 - principal.authTime > maxAgeSec) {
    return {
      reason: 'SESSION_TOO_OLD',
      message: `The MFA policy allows sessions of at most ${policy.maxSessionHours} hours: sign in again.`,
    };
  }
  return null;
}
