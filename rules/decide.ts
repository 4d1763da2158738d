import type { Principal } from './principal.js';
import { buildDenial, type ApprovalPathOf, type Denial, type DenialInput, type FailedScope } from './denial.js';
import type { PermissionScopeKind, PolicyAction, PolicyDocument, PolicyPermission } from './policy-document.js';
import { deepFreeze } from './deep-freeze.js';
import { grantDepartments, grantEligibility, memberDepartments } from './grant-eligibility.js';
import { scopesAllow } from './smart-scopes.js';
import { managedRolesOf, NO_STORED_ACCESS, type StoredAccess } from './stored-access.js';

// The one place that turns a principal and a data-class action into a decision. The shield tree, `me`, masking,
// the statistics guard, explain and the settings catalog all ask here. Pure: no I/O; what the store says about the
// principal (assignments, time-limited grants, break-glass) comes in as data, already cut to the request's time.


export interface AccessRequest {
  readonly action: PolicyAction;
  readonly dataClass: string;
}

/** The row a field belongs to: whose tenant, which departments hold the patient's record, which patient. */
export interface RowTarget {
  readonly tenant: string;
  readonly departments: readonly string[];
  readonly patientId?: string;
}

/**
 * Which rows of its tenant a principal may do something to: all of them, those of some departments and patients
 * (break-glass), or none. Searches ask only for these (a count or a cursor never hints at a row the caller may not
 * read); each row is still decided on its own.
 */
export type RowScope =
  | { readonly kind: 'tenant' }
  | { readonly kind: 'rows'; readonly departments: readonly string[]; readonly patients: readonly string[] }
  | { readonly kind: 'none' };

export type Decision =
  | { readonly effect: 'ALLOW'; readonly scope: PermissionScopeKind; readonly via: string }
  | { readonly effect: 'DENY'; readonly denial: Denial };

interface EffectivePermission {
  readonly dataClass: string;
  readonly action: PolicyAction;
  readonly scope: PermissionScopeKind;
  readonly via: string;
}

export interface PrincipalPolicy {
  /** The principal with its effective roles, departments and grants (token and store combined). */
  readonly principal: Principal;
  /** The principal as the token says (explain(at:) compiles it again against an older policy and assignments). */
  readonly token: Principal;
  readonly policyVersion: string;
  readonly permissions: readonly EffectivePermission[];
  /**
   * By grant of the policy, the departments the principal belongs to for it: those of the token and of the role
   * assignments, for roles the grant is for (grant-eligibility.ts memberDepartments). A grant's per-department
   * permission covers no other.
   */
  readonly memberDepartments: Readonly<Record<string, readonly string[]>>;
  /**
   * Without a target: may the principal do this to some row (a department-scoped permission counts)? With a target:
   * may it do this to that row (tenant, department, break-glass patient checked)?
   */
  decide(request: AccessRequest, target?: RowTarget): Decision;
  /**
   * The class of rows that every row decision treats alike: rows with the same tenant and departments (and the same
   * patient, while a source is scoped to one patient) get the same decisions. An opaque object, the same for the
   * whole class: the fast guard shares a class's field outcomes across its rows (rules/permission-cache.ts).
   */
  rowClass(target: RowTarget): object;
  /**
   * May the principal read the configuration of this environment (settings, stops, connectors, change requests)? Only
   * the roles that count there give it: a role assigned for STAGING only reads STAGING's, not PRODUCTION's (DENY,
   * failedScope `environment`, reason ROLE_NOT_IN_ENVIRONMENT). `decide(readOf('configuration'))` answers for some
   * environment: a field that names none (policyVersions) and the gate before a governed mutation, which checks the
   * roles of its own environment in turn (src/governance/environment-roles.ts).
   */
  readsConfigurationIn(environment: string): Decision;
  /** The rows this request reaches: the union of what each way the principal holds it covers (see `decide`). */
  readScope(request: AccessRequest): RowScope;
  /** True when the answer for this request can differ per row (no tenant-wide permission holds it). */
  dependsOnRow(request: AccessRequest): boolean;
  /** Patients this request read through break-glass only (their PHI-read audit events are flagged). */
  readonly breakGlassUsed: ReadonlySet<string>;
}

export interface CompileOptions {
  readonly stored?: StoredAccess;
  readonly approvalPathOf?: ApprovalPathOf;
  /** Called when a decision was allowed by a stored time-limited grant or break-glass (usage for access reviews). */
  readonly onGrantUsed?: (entryId: string) => void;
}

/** One way the principal holds a permission. Sources are tried in order: token and standing roles first. */
interface Source {
  readonly scope: PermissionScopeKind;
  readonly via: string;
  /** The ALLOW decision this source gives, made once (row decisions run per row). */
  readonly allow: Decision;
  /** Department scope: the departments it covers (null: the principal's). */
  readonly departments: readonly string[] | null;
  readonly patientId: string | null;
  /** Set for stored time-limited grants and break-glass: usage is recorded against it. */
  readonly entryId: string | null;
  /** Held through a grant (token or stored): break-glass never extends it (below). */
  readonly grant?: true;
  /**
   * The environments where the role behind it counts (its assignment's environments, rules/stored-access.ts); null:
   * every one (a role the store does not manage, a grant). Asked only for configuration (`readsConfigurationIn`):
   * patient data is PRODUCTION's whatever the source.
   */
  readonly environments: readonly string[] | null;
}

const keyOf = (action: string, dataClass: string) => `${action}:${dataClass}`;
const REQUEST_KEYS = new WeakMap<AccessRequest, string>();
/** keyOf for a request object, built once per object (the interned requests of readOf() are asked per row). */
function requestKey(request: AccessRequest): string {
  let key = REQUEST_KEYS.get(request);
  if (key === undefined) {
    key = keyOf(request.action, request.dataClass);
    REQUEST_KEYS.set(request, key);
  }
  return key;
}

const READS = new Map<string, AccessRequest>();
/** The read request of a data class, one object per class, for the per-row decision cache of `decide`. */
export function readOf(dataClass: string): AccessRequest {
  let r = READS.get(dataClass);
  if (!r) {
    r = Object.freeze({ action: 'read', dataClass });
    READS.set(dataClass, r);
  }
  return r;
}
/** Asked by readsConfigurationIn. */
const CONFIGURATION_READ = readOf('configuration');

/** What a principal holds under a policy: the same for every request with the same token and stored access. */
interface Holdings {
  readonly principal: Principal;
  readonly effective: ReadonlyMap<string, readonly Source[]>;
  readonly blockedByKind: ReadonlySet<string>;
  readonly blockedByScope: ReadonlySet<string>;
  /** Permissions a token role would give that the store confines (see compileHoldings): why, and what to do. */
  readonly confinedByStore: ReadonlyMap<string, { readonly detail: string; readonly advice: string }>;
  readonly permissions: readonly EffectivePermission[];
  readonly memberDepartments: Readonly<Record<string, readonly string[]>>;
}

/** Holdings kept per policy object (a new policy version is a new object), newest HOLDINGS_KEPT per policy. */
const HOLDINGS = new WeakMap<PolicyDocument, Map<string, Holdings>>();
const HOLDINGS_KEPT = 1_000;

const TOKEN_KEYS = new WeakMap<Principal, string>();
/** A token as a key: a frozen principal (a verified token's) is written out once. */
function tokenKey(token: Principal): string {
  if (!Object.isFrozen(token)) return JSON.stringify(token);
  let key = TOKEN_KEYS.get(token);
  if (key === undefined) TOKEN_KEYS.set(token, (key = JSON.stringify(token)));
  return key;
}

/**
 * The holdings of a token and stored access under a policy, computed once for all the requests that carry the same
 * ones (a client sends its token for its whole life; building them was a twentieth of a chart's request). Keyed by
 * the whole token and stored access as JSON: nothing that could change a decision is left out of the key. What
 * changes per request (usage of a grant, break-glass patients read, row decisions) stays in compilePrincipalPolicy.
 */
function holdingsOf(policy: PolicyDocument, token: Principal, stored: StoredAccess): Holdings {
  let perPolicy = HOLDINGS.get(policy);
  if (!perPolicy) HOLDINGS.set(policy, (perPolicy = new Map()));
  const key = `${tokenKey(token)}\u0000${stored === NO_STORED_ACCESS ? '' : JSON.stringify(stored)}`;
  let held = perPolicy.get(key);
  if (!held) {
    held = compileHoldings(policy, token, stored);
    if (perPolicy.size >= HOLDINGS_KEPT) perPolicy.delete(perPolicy.keys().next().value!);
    perPolicy.set(key, held);
  }
  return held;
}

/** Whether the token's SMART scopes cover a class's resources for an action (read: `r`; write: `c`, as write-back asks). */
const scopesCover = (scopes: Principal['scopes'], resources: readonly string[], action: PolicyAction): boolean =>
  scopesAllow(scopes, resources, action === 'read' ? 'r' : 'c');

function compileHoldings(policy: PolicyDocument, token: Principal, stored: StoredAccess): Holdings {
  const effective = new Map<string, Source[]>();
  const blockedByKind = new Set<string>();
  const blockedByScope = new Set<string>();

  // Token roles and stored assignments combine per role (rules/stored-access.ts, "how they combine"): a role the
  // store manages for this person counts exactly where its active assignments say; any other role counts as the
  // token says. An assignment adds; it never takes away a role the store does not manage.
  const managed = managedRolesOf(stored);
  const unmanagedTokenRoles = token.roles.filter((r) => !managed.has(r));
  const rolesOf = (s: Pick<StoredAccess, 'standing' | 'temporaryRoles'>) =>
    [...new Set([...unmanagedTokenRoles, ...(s.standing ?? []).map((r) => r.role), ...s.temporaryRoles.map((r) => r.role)])];
  const standing = stored.standing ?? [];
  const departments = [...token.departments];
  const byEnvironment = stored.byEnvironment;
  const principal: Principal = {
    ...token,
    ...(byEnvironment
      ? { rolesByEnvironment: Object.fromEntries(Object.entries(byEnvironment).map(([env, s]) => [env, rolesOf(s)])) }
      : {}),
    roles: rolesOf(stored),
    departments,
    grants: [...new Set([...token.grants, ...stored.temporaryGrants.map((g) => g.grant)])],
  };

  /** Where a role counts: the environments whose projection holds it (null: no projection, every environment). */
  const rolesByEnvironment = principal.rolesByEnvironment;
  const environmentsOf = (role: string): readonly string[] | null =>
    rolesByEnvironment ? Object.keys(rolesByEnvironment).filter((e) => rolesByEnvironment[e]!.includes(role)) : null;

  const add = (permissions: readonly PolicyPermission[], source: Omit<Source, 'scope' | 'allow'>) => {
    for (const p of permissions) {
      for (const dataClass of p.dataClasses) {
        const resources = policy.dataClasses[dataClass]?.fhirResources ?? [];
        for (const action of p.actions) {
          const key = keyOf(action, dataClass);
          // SMART scopes narrow a role; a permission whose resources the token's scopes do not cover is not held.
          if (!scopesCover(token.scopes, resources, action)) {
            blockedByScope.add(key);
            continue;
          }
          // A source that names departments (an assignment or a grant approved for them) covers those departments
          // only, for a permission the policy gives tenant-wide too: approvers approved `identifiers` for cardiology,
          // not for the tenant (rows are then decided by `covers`; a decision about no row is unchanged).
          const scope = p.scope === 'tenant' && source.departments !== null ? 'department' : p.scope;
          const list = effective.get(key) ?? [];
          list.push({ ...source, scope, allow: Object.freeze({ effect: 'ALLOW', scope, via: source.via }) });
          effective.set(key, list);
        }
      }
    }
  };

  // A token role the store manages but has in force nowhere for data reads (assigned for STAGING only, revoked or
  // expired) gives nothing here: a denial it would have allowed says so, not "none of your roles gives it" to a person
  // whose token carries the role.
  const confinedByStore = new Map<string, { readonly detail: string; readonly advice: string }>();
  for (const r of token.roles) {
    if (!managed.has(r) || principal.roles.includes(r)) continue;
    const elsewhere = Object.entries(byEnvironment ?? {})
      .filter(([, s]) => (s.standing ?? []).some((x) => x.role === r))
      .map(([environment]) => environment);
    const why = elsewhere.length
      ? `is assigned to you in the gateway for ${elsewhere.join(' and ')} only, and patient data is PRODUCTION's`
      : 'is no longer assigned to you in the gateway (revoked or expired), whatever the token says';
    // An access request for the role would be refused too (the store decides it): its assignment is what to change.
    const confined = {
      detail: `your token's ${r} role ${why}.`,
      advice: `Ask security to assign you ${r} for PRODUCTION (assignRole); a request for it cannot restore it.`,
    };
    for (const p of policy.roles[r]?.permissions ?? []) {
      for (const key of p.dataClasses.flatMap((c) => p.actions.map((a) => keyOf(a, c)))) {
        if (!confinedByStore.has(key)) confinedByStore.set(key, confined);
      }
    }
  }

  const usableRoles = new Set<string>();
  const useRole = (roleName: string, source: Omit<Source, 'scope' | 'allow'>) => {
    const role = policy.roles[roleName];
    if (!role) return; // unknown roles grant nothing
    if (!role.principalKinds.includes(token.kind)) {
      role.permissions.forEach((p) => p.dataClasses.forEach((c) => p.actions.forEach((a) => blockedByKind.add(keyOf(a, c)))));
      return;
    }
    usableRoles.add(roleName);
    add(role.permissions, source);
  };
  // A standing assignment's id rides along, so its use is recorded for access reviews like a grant's.
  for (const r of unmanagedTokenRoles) {
    useRole(r, { via: `role:${r}`, departments: null, patientId: null, entryId: null, environments: null });
  }
  // An assigned role covers the departments its assignment names (null: the token's).
  const assigned = (via: string, r: { id: string; role: string; departments: readonly string[] | null }) =>
    ({ via, departments: r.departments, patientId: null, entryId: r.id, environments: environmentsOf(r.role) });
  for (const r of standing) useRole(r.role, assigned(`role:${r.role}`, r));
  for (const r of stored.temporaryRoles) useRole(r.role, assigned(`access:${r.id}`, r));
  // Configuration is not patient data: a role assigned for another environment only (STAGING) reads that environment's
  // configuration (`readsConfigurationIn`), so its holder reaches the STAGING settings and changes it may propose and
  // approve, and not PRODUCTION's; each change still checks the roles of its own environment
  // (src/governance/environment-roles.ts). Nothing else of such a role counts for data reads.
  for (const s of Object.values(byEnvironment ?? {})) {
    for (const r of s.standing ?? []) {
      const role = policy.roles[r.role];
      if (!role || standing.some((x) => x.role === r.role) || !role.principalKinds.includes(token.kind)) continue;
      const configOnly = role.permissions
        .map((p) => ({ ...p, dataClasses: p.dataClasses.filter((c) => c === 'configuration') }))
        .filter((p) => p.dataClasses.length > 0);
      add(configOnly, assigned(`role:${r.role}`, r));
    }
  }

  // A grant only counts for a principal who holds a role it is meant for (a sensitive grant on a front-desk
  // account is a mistake upstream, not access).
  // One rule for it, shared with the access-request path (grant-eligibility.ts).
  const eligible = (grantName: string) => grantEligibility(policy, { kind: token.kind, roles: usableRoles }, grantName).ok;
  const grant = true as const;
  for (const g of token.grants) {
    if (!eligible(g)) continue;
    add(policy.grants[g]!.permissions, { via: `grant:${g}`, departments: null, patientId: null, entryId: null, grant, environments: null });
  }
  // A stored grant approved for some departments covers, for a permission the policy gives per department, only those
  // the person belongs to (grant-eligibility.ts grantDepartments): a `sensitive` grant approved for another department
  // (requestAccess refuses one now; older ones are stored) opens nothing there, break-glass or not.
  const member = Object.fromEntries(Object.keys(policy.grants).map((g) => [g, memberDepartments(policy, token, stored, g)]));
  for (const g of stored.temporaryGrants) {
    if (!eligible(g.grant)) continue;
    for (const p of policy.grants[g.grant]!.permissions) {
      const departments = grantDepartments(p.scope, g.departments, member[g.grant] ?? []);
      if (departments?.length === 0) continue;
      add([p], { via: `access:${g.id}`, departments, patientId: null, entryId: g.id, grant, environments: null });
    }
  }

  // Break-glass opens one patient for every department-scoped permission a role gives (token, assigned or requested);
  // it never adds a class, and never extends a grant: a grant is approved for a scope (the `sensitive` grant for
  // patients of one's departments, an `identifiers` grant for the departments it names), and an emergency opening
  // of another department's patient is not that approval.
  for (const bg of stored.breakGlass) {
    for (const list of effective.values()) {
      if (list.some((s) => s.scope === 'department' && !s.grant)) {
        const via = `break-glass:${bg.id}`;
        list.push({
          scope: 'department',
          via,
          departments: [],
          patientId: bg.patientId,
          entryId: bg.id,
          environments: null,
          allow: Object.freeze({ effect: 'ALLOW', scope: 'department', via }),
        });
      }
    }
  }

  const permissions: EffectivePermission[] = [...effective.entries()].map(([key, sources]) => {
    const best = sources.find((s) => s.scope === 'tenant') ?? sources[0]!;
    const [action, dataClass] = key.split(':') as [PolicyAction, string];
    return { dataClass, action, scope: best.scope, via: best.via };
  });
  // Shared by every request that carries this token (the maps stay inside compilePrincipalPolicy's closures): the
  // principal and permissions go out with the request, frozen so that no request can change another's.
  return {
    principal: deepFreeze(principal),
    effective,
    blockedByKind,
    blockedByScope,
    confinedByStore,
    permissions: deepFreeze(permissions),
    memberDepartments: deepFreeze(member),
  };
}

/** Compiles the policy for one principal per request (its holdings once per token): each field decision is a map lookup. */
export function compilePrincipalPolicy(policy: PolicyDocument, token: Principal, options: CompileOptions = {}): PrincipalPolicy {
  const { principal, effective, blockedByKind, blockedByScope, confinedByStore, permissions, memberDepartments: member } =
    holdingsOf(policy, token, options.stored ?? NO_STORED_ACCESS);
  const breakGlassUsed = new Set<string>();

  /** The departments a department-scoped source covers: its own, or the principal's. */
  const departmentsOf = (s: Source): readonly string[] => s.departments ?? principal.departments;
  const covers = (s: Source, target: RowTarget): boolean => {
    if (s.scope === 'tenant') return true;
    if (s.patientId !== null) return target.patientId === s.patientId;
    const deps = departmentsOf(s);
    return target.departments.some((d) => deps.includes(d));
  };

  const denial = (
    request: AccessRequest,
    failedScope: FailedScope,
    detail: string,
    target?: RowTarget,
    extra: Pick<DenialInput, 'coveredDepartments' | 'advice' | 'scopesAlsoBlock' | 'reason'> = {},
  ) =>
    buildDenial({
      ...extra,
      policy,
      principal,
      action: request.action,
      dataClass: request.dataClass,
      failedScope,
      detail,
      departmentRole:
        effective
          .get(keyOf(request.action, request.dataClass))
          ?.find((s) => s.via.startsWith('role:'))
          ?.via.slice('role:'.length) ?? null,
      rowDepartments: target?.departments ?? [],
      approvalPathOf: options.approvalPathOf,
    });

  // A denial (owner, approval path, ready requestAccess input) is built only when someone reads it: hot paths such as
  // masking an identifier per row only need the effect.
  const deny = (make: () => Denial): Decision => {
    let built: Denial | undefined;
    return {
      effect: 'DENY',
      get denial() {
        return (built ??= make());
      },
    };
  };

  // A row decision depends only on the row's tenant and departments, and on its patient when a source is scoped to
  // one patient (break-glass): rows that agree on those share one cache of decisions, so a list of N patients in
  // four departments costs four decisions per data class, not N (nor one per field). Each row object finds its
  // class once (rows of one patient share their guard objects). Keyed within a class by the request object: hot
  // callers pass the interned requests of readOf(), so a hit costs two lookups and no string building.
  const patientScoped = [...effective.values()].some((list) => list.some((s) => s.patientId !== null));
  const byClass = new Map<string, Map<AccessRequest, Decision>>();
  const byTarget = new WeakMap<RowTarget, Map<AccessRequest, Decision>>();
  // Rows of the principal's own tenant whose departments are one shared list (the EHR mapping hands out one frozen
  // list per department) find their class by that list, with no key built per row; other rows by the row facts object.
  const byDepartments = new WeakMap<readonly string[], Map<AccessRequest, Decision>>();
  const classOf = (target: RowTarget): Map<AccessRequest, Decision> => {
    const own = !patientScoped && target.tenant === token.tenant;
    let cached = own ? byDepartments.get(target.departments) : byTarget.get(target);
    if (!cached) {
      cached = classByKey(target);
      if (own) byDepartments.set(target.departments, cached);
      else byTarget.set(target, cached);
    }
    return cached;
  };
  const classByKey = (target: RowTarget): Map<AccessRequest, Decision> => {
    const key = `${target.tenant}\u0000${target.departments.join('\u0001')}${patientScoped ? `\u0000${target.patientId ?? ''}` : ''}`;
    let cached = byClass.get(key);
    if (!cached) {
      cached = new Map();
      byClass.set(key, cached);
    }
    return cached;
  };
  const decide = (request: AccessRequest, target?: RowTarget): Decision => {
    if (!target) return decideOnce(request);
    const cached = classOf(target);
    let d = cached.get(request);
    if (!d) {
      d = decideOnce(request, target);
      cached.set(request, d);
    }
    return d;
  };

  const decideOnce = (request: AccessRequest, target?: RowTarget): Decision => {
    const key = requestKey(request);
    if (target && target.tenant !== token.tenant) {
      return deny(() => denial(request, 'tenant', 'the record belongs to another tenant.', target));
    }
    const sources = effective.get(key);
    if (!sources?.length) {
      if (blockedByScope.has(key)) return deny(() => denial(request, 'smart-scope', 'the token\'s SMART scopes do not cover it.'));
      if (blockedByKind.has(key)) {
        return deny(() => denial(request, 'principal-kind', `a principal of kind ${token.kind} cannot use the role that gives it.`));
      }
      const confined = confinedByStore.get(key);
      if (confined) return deny(() => denial(request, 'role', confined.detail, undefined, { advice: confined.advice }));
      return deny(() => {
        const grantOnly = !Object.values(policy.roles).some((r) => r.permissions.some((p) => p.dataClasses.includes(request.dataClass)));
        // A role or grant would be narrowed away by the token's SMART scopes as the caller's own are (add, above): the
        // denial says a token comes first and offers no request that would give this token nothing.
        const scopesAlsoBlock = !scopesCover(token.scopes, policy.dataClasses[request.dataClass]?.fhirResources ?? [], request.action);
        const why = scopesAlsoBlock ? ', and the token\'s SMART scopes do not cover it either.' : '.';
        // The row's departments go along: a role that reads per department is offered for them (rules/denial.ts).
        return grantOnly
          ? denial(request, 'grant', `it needs its own grant${why}`, target, { scopesAlsoBlock })
          : denial(request, 'role', `none of your roles gives it${why}`, target, { scopesAlsoBlock });
      });
    }
    const best = sources.find((s) => s.scope === 'tenant') ?? sources[0]!;
    if (!target) return used(best);
    const covering = sources.find((s) => covers(s, target));
    if (!covering) {
      // The departments this permission covers for the caller: its token's, or those an assignment or grant names.
      const coveredDepartments = () => [...new Set(sources.flatMap((s) => (s.patientId === null ? departmentsOf(s) : [])))];
      return deny(() =>
        denial(request, 'department', 'the patient is outside your departments.', target, { coveredDepartments: coveredDepartments() }),
      );
    }
    if (covering.patientId !== null) breakGlassUsed.add(covering.patientId);
    return used(covering);
  };

  /** The source a decision was allowed by: its use is recorded (access reviews). */
  const used = (s: Source): Decision => {
    if (s.entryId !== null) options.onGrantUsed?.(s.entryId);
    return s.allow;
  };

  const readsConfigurationIn = (environment: string): Decision => {
    const sources = effective.get(requestKey(CONFIGURATION_READ)) ?? [];
    const here = sources.find((s) => s.environments === null || s.environments.includes(environment));
    if (here) return used(here);
    if (sources.length === 0) return decideOnce(CONFIGURATION_READ);
    const elsewhere = [...new Set(sources.flatMap((s) => s.environments ?? []))].sort();
    return deny(() =>
      denial(CONFIGURATION_READ, 'environment', `the roles that give it to you count in ${elsewhere.join(' and ')} only, ` +
        `not in ${environment}.`, undefined, {
        reason: 'ROLE_NOT_IN_ENVIRONMENT',
        advice: `Ask security to assign you a role that reads configuration for ${environment} (assignRole); a request for it ` +
          'cannot help (access requests count the roles of PRODUCTION).',
      }),
    );
  };

  return {
    principal,
    token,
    policyVersion: policy.version,
    permissions,
    memberDepartments: member,
    decide,
    readsConfigurationIn,
    rowClass: classOf,
    readScope: (request) => {
      const sources = effective.get(requestKey(request)) ?? [];
      if (sources.length === 0) return { kind: 'none' };
      if (sources.some((s) => s.scope === 'tenant')) return { kind: 'tenant' };
      // What `covers` lets through, as lists: a patient for break-glass, else the source's departments.
      const departments = new Set<string>();
      const patients = new Set<string>();
      for (const s of sources) {
        if (s.patientId !== null) patients.add(s.patientId);
        else for (const d of departmentsOf(s)) departments.add(d);
      }
      return { kind: 'rows', departments: [...departments].sort(), patients: [...patients].sort() };
    },
    dependsOnRow: (request) => {
      const sources = effective.get(requestKey(request)) ?? [];
      return sources.length > 0 && !sources.some((s) => s.scope === 'tenant');
    },
    breakGlassUsed,
  };
}
