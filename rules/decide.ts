import type { Principal } from '../src/auth/principal.js';
import type { PermissionScopeKind, PolicyAction, PolicyDocument, PolicyPermission } from './policy-document.js';
import { scopesAllow } from './smart-scopes.js';

// The one place that turns a principal and a data-class action into a decision. The shield tree, `me`, masking,
// the statistics guard (and later explain, the settings catalog and the console) all ask here. Pure: no I/O.

export type FailedScope = 'tenant' | 'role' | 'principal-kind' | 'grant' | 'smart-scope' | 'department';

export interface AccessRequest {
  readonly action: PolicyAction;
  readonly dataClass: string;
}

/** The row a field belongs to: whose tenant and which departments hold the patient's record. */
export interface RowTarget {
  readonly tenant: string;
  readonly departments: readonly string[];
}

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
  readonly policyVersion: string;
  readonly message: string;
}

export type Decision =
  | { readonly effect: 'ALLOW'; readonly scope: PermissionScopeKind; readonly via: string }
  | { readonly effect: 'DENY'; readonly denial: Denial };

export interface EffectivePermission {
  readonly dataClass: string;
  readonly action: PolicyAction;
  readonly scope: PermissionScopeKind;
  readonly via: string;
}

export interface PrincipalPolicy {
  readonly principal: Principal;
  readonly policyVersion: string;
  readonly permissions: readonly EffectivePermission[];
  /**
   * Without a target: may the principal do this to some row (a department-scoped permission counts)? With a target:
   * may it do this to that row (tenant and department checked)?
   */
  decide(request: AccessRequest, target?: RowTarget): Decision;
  /** True when the answer for this request can differ per row (the permission is department-scoped). */
  dependsOnRow(request: AccessRequest): boolean;
}

const keyOf = (action: string, dataClass: string) => `${action}:${dataClass}`;

/** Compiles the policy for one principal once (per request), so each field decision is a map lookup. */
export function compilePrincipalPolicy(policy: PolicyDocument, principal: Principal): PrincipalPolicy {
  const effective = new Map<string, EffectivePermission>();
  const blockedByKind = new Set<string>();
  const blockedByScope = new Set<string>();

  const add = (permissions: readonly PolicyPermission[], via: string) => {
    for (const p of permissions) {
      for (const dataClass of p.dataClasses) {
        const resources = policy.dataClasses[dataClass]?.fhirResources ?? [];
        for (const action of p.actions) {
          const key = keyOf(action, dataClass);
          // SMART scopes narrow a role; a permission whose resources the token's scopes do not cover is not held.
          if (!scopesAllow(principal.scopes, resources, action === 'read' ? 'r' : action)) {
            blockedByScope.add(key);
            continue;
          }
          const held = effective.get(key);
          if (!held || (held.scope === 'department' && p.scope === 'tenant')) {
            effective.set(key, { dataClass, action, scope: p.scope, via });
          }
        }
      }
    }
  };

  const usableRoles: string[] = [];
  for (const roleName of principal.roles) {
    const role = policy.roles[roleName];
    if (!role) continue; // unknown roles grant nothing
    if (!role.principalKinds.includes(principal.kind)) {
      role.permissions.forEach((p) => p.dataClasses.forEach((c) => p.actions.forEach((a) => blockedByKind.add(keyOf(a, c)))));
      continue;
    }
    usableRoles.push(roleName);
    add(role.permissions, `role:${roleName}`);
  }
  for (const grantName of principal.grants) {
    const grant = policy.grants[grantName];
    // A grant only counts for a principal who holds a role it is meant for (a sensitive grant on a front-desk
    // account is a mistake upstream, not access).
    if (grant && grant.eligibleRoles.some((r) => usableRoles.includes(r))) add(grant.permissions, `grant:${grantName}`);
  }

  const denial = (request: AccessRequest, failedScope: FailedScope, detail: string): Denial => {
    const dc = policy.dataClasses[request.dataClass];
    const ownerRole = dc?.owner ?? 'security-admin';
    const rolesWithPermission = Object.entries(policy.roles)
      .filter(([, r]) => r.permissions.some((p) => p.dataClasses.includes(request.dataClass) && p.actions.includes(request.action)))
      .map(([n]) => n);
    const grant =
      Object.entries(policy.grants).find(([, g]) =>
        g.permissions.some((p) => p.dataClasses.includes(request.dataClass) && p.actions.includes(request.action)),
      )?.[0] ?? null;
    const permission = keyOf(request.action, request.dataClass);
    const howToGet =
      failedScope === 'department'
        ? `Only patients of your departments (${principal.departments.join(', ') || 'none'}) are in scope; ask ${ownerRole} for access to this department, or use break-glass in an emergency.`
        : grant && failedScope !== 'role'
          ? `Request the "${grant}" grant (owner: ${policy.grants[grant]?.owner}) with requestAccess.`
          : `Request a role that has ${permission} (${rolesWithPermission.join(', ') || 'none'}) with requestAccess; owner: ${ownerRole}.`;
    return {
      permission,
      dataClass: request.dataClass,
      failedScope,
      ownerRole,
      ownerFunction: policy.roles[ownerRole]?.function ?? 'security',
      rolesWithPermission,
      grant,
      howToGet,
      policyVersion: policy.version,
      message: `Not allowed to ${request.action} ${request.dataClass} data: ${detail}`,
    };
  };

  const decide = (request: AccessRequest, target?: RowTarget): Decision => {
    const key = keyOf(request.action, request.dataClass);
    if (target && target.tenant !== principal.tenant) {
      return { effect: 'DENY', denial: denial(request, 'tenant', 'the record belongs to another tenant.') };
    }
    const held = effective.get(key);
    if (!held) {
      if (blockedByScope.has(key)) return { effect: 'DENY', denial: denial(request, 'smart-scope', 'the token\'s SMART scopes do not cover it.') };
      if (blockedByKind.has(key)) {
        return { effect: 'DENY', denial: denial(request, 'principal-kind', `a principal of kind ${principal.kind} cannot use the role that gives it.`) };
      }
      const grantOnly = !Object.values(policy.roles).some((r) => r.permissions.some((p) => p.dataClasses.includes(request.dataClass)));
      if (grantOnly) return { effect: 'DENY', denial: denial(request, 'grant', 'it needs its own grant.') };
      return { effect: 'DENY', denial: denial(request, 'role', 'none of your roles gives it.') };
    }
    if (held.scope === 'department' && target && !target.departments.some((d) => principal.departments.includes(d))) {
      return { effect: 'DENY', denial: denial(request, 'department', 'the patient is outside your departments.') };
    }
    return { effect: 'ALLOW', scope: held.scope, via: held.via };
  };

  return {
    principal,
    policyVersion: policy.version,
    permissions: [...effective.values()],
    decide,
    dependsOnRow: (request) => effective.get(keyOf(request.action, request.dataClass))?.scope === 'department',
  };
}
