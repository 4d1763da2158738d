import type { Principal } from '../auth/principal.js';
import type { AccessWant } from '../../rules/denial.js';
import { departmentsOutside, grantEligibility, memberDepartments } from '../../rules/grant-eligibility.js';
import { policyDocumentSchema, type PolicyDocument } from '../../rules/policy-document.js';
import { readAccessDoc, widenedEntries, accessDocValueSchema, type AccessEntry } from './access-entries.js';
import { ACCESS_WIDEN_RISK, accessApproverFunctions } from './approval-path.js';
import type { ApprovalRules } from './approval-rules.js';
import type { Environment, Instant, Risk } from './environment.js';
import type { JsonValue } from './json.js';
import { storedAccessOf } from './stored-access-of.js';
import type { TransitionError } from './transition-result.js';
import type { z } from 'zod';

// How the access targets behave as governed changes (change-target.ts describes them with this):
// - `assignment:<sub>` by security (assignRole/revokeRole): widening is HIGH (two approvers of two functions, one
//   of them security, with MFA, in production), narrowing applies at once; nobody widens their own access.
// - `access-request:<sub>`: the same document, proposed by its subject for themselves only, adding one
//   time-limited entry; approved like a widening.
// - `policy`: the tenant's policy document, CRITICAL (two approvers, one of them security), security proposes.

const both = (risk: Risk): Readonly<Record<Environment, Risk>> => ({ STAGING: risk, PRODUCTION: risk });

export interface DynamicTargetRules {
  /** The risk of this particular change (a widening is riskier than a revocation). */
  readonly riskOf?: (before: JsonValue, after: JsonValue, now: Instant) => Readonly<Record<Environment, Risk>>;
  /** The functions that approve this particular change, given the category's (`base`). */
  readonly approverFunctionsOf?: (base: readonly string[], before: JsonValue, after: JsonValue, now: Instant) => readonly string[];
  /** A refusal specific to the target (self-assignment, a request for someone else), or null. */
  readonly vet?: (requester: Principal, before: JsonValue, after: JsonValue, now: Instant) => TransitionError | null;
}

const forbidden = (reason: TransitionError['reason'], message: string): TransitionError => ({ code: 'FORBIDDEN', reason, message });

function widened(sub: string, before: JsonValue, after: JsonValue, now: Instant) {
  return widenedEntries(readAccessDoc(sub, before), readAccessDoc(sub, after), now);
}

function approverFunctions(policy: PolicyDocument, sub: string) {
  return (base: readonly string[], before: JsonValue, after: JsonValue, now: Instant) =>
    accessApproverFunctions(
      policy,
      base,
      widened(sub, before, after, now).flatMap((e): AccessWant[] =>
        e.kind === 'role' ? [{ role: e.name }] : e.kind === 'grant' ? [{ grant: e.name }] : [],
      ),
    );
}

function knownNames(policy: PolicyDocument, sub: string, after: JsonValue, now: Instant, before: JsonValue): TransitionError | null {
  for (const e of widened(sub, before, after, now)) {
    if (e.kind === 'role' && !policy.roles[e.name])
      return {
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_VALUE',
        message: `unknown role "${e.name}"`,
        problems: [{ path: 'role', message: `unknown role "${e.name}"` }],
      };
    if (e.kind === 'grant' && !policy.grants[e.name])
      return {
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_VALUE',
        message: `unknown grant "${e.name}"`,
        problems: [{ path: 'grant', message: `unknown grant "${e.name}"` }],
      };
  }
  return null;
}

/** Who asks, for requestRefusal: the kind, the effective roles and the departments they belong to (memberDepartments). */
interface Asker {
  readonly kind: Principal['kind'];
  readonly roles: readonly string[];
  readonly departments: readonly string[];
}

/**
 * The departments a requester belongs to (rules/grant-eligibility.ts memberDepartments, the rule rules/decide.ts
 * compiles a stored grant by): their token's, and those the department-scoped role assignments of their access
 * document (`accessDoc`, at `now`) name. requestAccess and its approval ask it; explain reads the same from the kernel.
 */
export function requesterDepartments(
  policy: PolicyDocument,
  requester: Pick<Principal, 'kind' | 'departments' | 'roles'>,
  sub: string,
  accessDoc: unknown,
  now: Instant,
  entry: AccessEntry,
): readonly string[] {
  if (entry.kind !== 'grant') return requester.departments;
  return memberDepartments(policy, requester, storedAccessOf(readAccessDoc(sub, accessDoc), now), entry.name);
}

/**
 * NOT_ELIGIBLE when `holder` holds none of the roles a grant is for: such a grant would give nothing (rules/decide.ts
 * ignores it), so nobody should wait for approvals of it. OUTSIDE_DEPARTMENTS when it is asked for departments the
 * holder does not belong to and the policy gives it per department (`sensitive`: patients of one's departments;
 * decide.ts would cut them, grant-eligibility.ts grantDepartments): break-glass in another department never extends
 * it. Asked through requestRefusal (below) by requestAccess (the vet), its approval (access-approval.ts grantCheck,
 * which answers it FORBIDDEN) and `explain(access:request:<grant>)`. `holder.roles`: the effective roles, token and
 * store combined. BAD_USER_INPUT, not FORBIDDEN: the request names something the policy never gives this person
 * (like an unknown grant), and a governance FORBIDDEN would carry the generic advice to request the owner's role.
 */
function grantRequestRefusal(
  policy: PolicyDocument,
  holder: Asker,
  grant: string,
  named: readonly string[] | null,
  who: string,
): TransitionError | null {
  const eligibility = grantEligibility(policy, holder, grant);
  if (!eligibility.ok) {
    // Only the roles this kind of principal can use (an agent is not told of clinician, nurse and front-desk).
    const usable = eligibility.eligibleRoles.filter((r) => policy.roles[r]?.principalKinds.includes(holder.kind));
    const none = eligibility.eligibleRoles.length ? `no role a principal of kind ${holder.kind} can use` : 'nobody in this policy';
    const roles = usable.join(', ') || none;
    const message =
      `the "${grant}" grant is only for: ${roles}; ${who} hold${who === 'you' ? '' : 's'} none of these roles, so it would give nothing`;
    return { code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE', message, problems: [{ path: 'requestedGrant', message }] };
  }
  const outside = departmentsOutside(policy, grant, named, holder.departments);
  if (outside.length === 0) return null;
  const theirs = holder.departments.join(', ') || 'none';
  const message =
    `the "${grant}" grant is for patients of one's own departments (${who === 'you' ? 'yours' : 'theirs'}: ${theirs}); ` +
    `not for ${outside.join(', ')}: ask for a role there (requestedRole), or use break-glass in an emergency`;
  return {
    code: 'BAD_USER_INPUT',
    reason: 'OUTSIDE_DEPARTMENTS',
    message,
    problems: outside.map((d) => ({ path: `scopeDepartments[${named!.indexOf(d)}]`, message: `"${d}" is not one of ${theirs}` })),
  };
}

/**
 * NOT_ELIGIBLE when what is asked for would give `holder` nothing (rules/decide.ts ignores it): a grant none of whose
 * roles they hold (grantRequestRefusal), a role their kind of principal cannot use (an agent asking for `clinician`, a
 * person for `ai-agent`); OUTSIDE_DEPARTMENTS for a grant asked for departments it cannot cover for them.
 * requestAccess, its approval and `explain(access:request:<name>)` ask it.
 */
export function requestRefusal(
  policy: PolicyDocument,
  holder: Asker,
  want: { readonly kind: string; readonly name: string; readonly departments?: readonly string[] | null },
  who = 'you',
): TransitionError | null {
  if (want.kind === 'grant') return grantRequestRefusal(policy, holder, want.name, want.departments ?? null, who);
  const role = want.kind === 'role' && Object.hasOwn(policy.roles, want.name) ? policy.roles[want.name]! : null;
  if (!role || role.principalKinds.includes(holder.kind)) return null;
  const message =
    `the "${want.name}" role is only for principals of kind ${role.principalKinds.join(', ')}; ` +
    `${who} ${who === 'you' ? 'are' : 'is'} ${holder.kind === 'agent' ? 'an' : 'a'} ${holder.kind}, so it would give nothing`;
  return { code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE', message, problems: [{ path: 'requestedRole', message }] };
}

/**
 * The grant a permission (`read:identifiers`) is asked for by: the first grant of the policy that carries it. Where only
 * roles carry it, the problem names those a principal of `kind` can use. requestAccess(permission:) and
 * explain(access:request:<permission>) ask it.
 */
export function permissionGrant(
  policy: PolicyDocument,
  permission: string,
  kind: Principal['kind'],
): { grant: string } | { problem: string } {
  const [action, dataClass] = permission.split(':');
  const carries = (p: { dataClasses: readonly string[]; actions: readonly string[] }) =>
    p.dataClasses.includes(dataClass ?? '') && p.actions.includes(action ?? '');
  const grant = Object.entries(policy.grants).find(([, g]) => g.permissions.some(carries))?.[0];
  if (grant) return { grant };
  const roles = Object.entries(policy.roles).filter(([, r]) => r.permissions.some(carries));
  if (roles.length === 0) return { problem: 'no role or grant of the policy carries it' };
  // Only roles this kind of principal can use: requestAccess refuses the others (NOT_ELIGIBLE), as denials say.
  const usable = roles.filter(([, r]) => r.principalKinds.includes(kind)).map(([n]) => n);
  if (usable.length === 0) return { problem: `no grant carries it, and no role that does is for a principal of kind ${kind}` };
  return { problem: `no grant carries it: request one of the roles ${usable.join(', ')}` };
}

/**
 * Why `sub` cannot name a person to assign a role to, or null: the identity provider's `sub`, exactly. " sec-sam" or
 * "sec-sam" with an invisible character (a zero-width space, a Hangul filler, a braille blank) would be another person
 * shown as the same one, and a self-assignment check it would slip past. OIDC Core 1.0 section 2: a `sub` is at most
 * 255 ASCII characters, so printable ASCII only (no character outside it can look like another), no blank at either
 * end. assignRole and explain(role:assign:...) both ask it.
 */
export function assigneeProblem(sub: string): string | null {
  return sub === sub.trim() && /^[\x20-\x7E]{1,255}$/.test(sub)
    ? null
    : "must be the identity provider's subject: printable ASCII, no blank at either end, at most 255 characters";
}

/**
 * Nobody widens their own access: the check assignRole's change makes, and the one `explain(role:assign:...)` asks
 * (an assignment of a role always widens what the assignee holds unless it is already held).
 */
export function selfAssignmentRefusal(requesterSub: string, assigneeSub: string, widens: boolean): TransitionError | null {
  return requesterSub === assigneeSub && widens
    ? forbidden('SELF_ASSIGNMENT', 'nobody widens their own access: ask with requestAccess, another person approves')
    : null;
}

export function assignmentRules(policy: PolicyDocument, sub: string): DynamicTargetRules {
  return {
    riskOf: (before, after, now) => both(widened(sub, before, after, now).length > 0 ? ACCESS_WIDEN_RISK : 'LOW'),
    approverFunctionsOf: approverFunctions(policy, sub),
    vet: (requester, before, after, now) => {
      const self = selfAssignmentRefusal(requester.sub, sub, widened(sub, before, after, now).length > 0);
      if (self) return self;
      return knownNames(policy, sub, after, now, before);
    },
  };
}

export function accessRequestRules(policy: PolicyDocument, sub: string): DynamicTargetRules {
  return {
    riskOf: () => both(ACCESS_WIDEN_RISK),
    approverFunctionsOf: approverFunctions(policy, sub),
    vet: (requester, before, after, now) => {
      if (requester.sub !== sub)
        return forbidden('NOT_REQUESTER', 'an access request is for oneself: security assigns roles to others with assignRole');
      const added = widened(sub, before, after, now);
      if (added.length !== 1 || added[0]!.source !== 'access-request' || added[0]!.expiresAt === null) {
        return {
          code: 'BAD_USER_INPUT',
          reason: 'INVALID_INPUT',
          message: 'an access request adds exactly one time-limited entry',
          problems: [{ path: 'durationMinutes', message: 'is required' }],
        };
      }
      const unknown = knownNames(policy, sub, after, now, before);
      if (unknown) return unknown;
      // Judged on the requester's effective roles now (the governed path sees them cut to PRODUCTION, where data is read),
      // and the departments they belong to (the token's, and their department-scoped assignments in `before`).
      const departments = requesterDepartments(policy, requester, sub, before, now, added[0]!);
      return requestRefusal(policy, { ...requester, departments }, added[0]!);
    },
  };
}

export const ACCESS_SCHEMA: z.ZodType<JsonValue> = accessDocValueSchema;
export const POLICY_SCHEMA = policyDocumentSchema as unknown as z.ZodType<JsonValue>;
export const POLICY_RISK = both('CRITICAL');

/** Roles that may assign and revoke roles, and propose policy changes: the access category's editors. */
export const accessEditors = (rules: ApprovalRules) => rules.editorRoles.categories.access;
