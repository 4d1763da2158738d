import { z } from 'zod';
import defaultPolicyJson from './default-policy.json' with { type: 'json' };
import { deepFreeze } from './deep-freeze.js';

// The policy is data: a versioned document of roles, functions, data classes, grants and scopes. This file only
// describes and validates its shape; rules/decide.ts is the one place that turns it into decisions.

/**
 * Names a policy may not use: the members of Object.prototype (`constructor`, `__proto__`, `toString`...). A role or
 * grant named so would be looked up as a property every object has; refused here, and every name-keyed record of
 * a parsed document has a null prototype, so a token claiming such a name finds nothing.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'lower-case kebab name')
  .refine((n) => !RESERVED_NAMES.has(n), 'a reserved name (a member of every JavaScript object)');

const permissionSchema = z.object({
  dataClasses: z.array(name).min(1),
  /** read; write: create/update in the EHR (write-back); propose: a write that waits for a human's approval. */
  actions: z.array(z.enum(['read', 'write', 'propose'])).min(1),
  /** tenant: any patient of the principal's tenant. department: only patients of the principal's departments. */
  scope: z.enum(['tenant', 'department']),
});

export const policyDocumentSchema = z
  .object({
    version: z.string().min(1),
    description: z.string(),
    functions: z.array(name).min(1),
    dataClasses: z.record(
      name,
      z.object({ description: z.string(), owner: name, fhirResources: z.array(z.string().regex(/^[A-Z][A-Za-z]+$/)).min(1) }),
    ),
    grants: z.record(
      name,
      z.object({
        description: z.string(),
        owner: name,
        eligibleRoles: z.array(name).min(1),
        permissions: z.array(permissionSchema).min(1),
      }),
    ),
    roles: z.record(
      name,
      z.object({
        function: name,
        description: z.string(),
        principalKinds: z.array(z.enum(['user', 'agent', 'service'])).min(1),
        permissions: z.array(permissionSchema),
      }),
    ),
    /** Who may open one patient outside their departments in an emergency, and for how long at most. */
    breakGlass: z
      .object({
        eligibleRoles: z.array(name).min(1),
        maxMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
      })
      .optional(),
  })
  .superRefine((doc, ctx) => {
    // Cross-references: a typo in a role or data class name must fail loudly, never grant or deny silently.
    const roles = new Set(Object.keys(doc.roles));
    const classes = new Set(Object.keys(doc.dataClasses));
    const functions = new Set(doc.functions);
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const [id, dc] of Object.entries(doc.dataClasses)) {
      if (!roles.has(dc.owner)) problem(['dataClasses', id, 'owner'], `unknown role "${dc.owner}"`);
    }
    const checkPermissions = (path: string[], permissions: z.infer<typeof permissionSchema>[]) =>
      permissions.forEach((p, i) =>
        p.dataClasses.forEach((c) => classes.has(c) || problem([...path, i, 'dataClasses'], `unknown data class "${c}"`)),
      );
    for (const [id, role] of Object.entries(doc.roles)) {
      if (!functions.has(role.function)) problem(['roles', id, 'function'], `unknown function "${role.function}"`);
      checkPermissions(['roles', id, 'permissions'], role.permissions);
    }
    doc.breakGlass?.eligibleRoles.forEach((r) => roles.has(r) || problem(['breakGlass', 'eligibleRoles'], `unknown role "${r}"`));
    for (const [id, grant] of Object.entries(doc.grants)) {
      if (!roles.has(grant.owner)) problem(['grants', id, 'owner'], `unknown role "${grant.owner}"`);
      grant.eligibleRoles.forEach((r) => roles.has(r) || problem(['grants', id, 'eligibleRoles'], `unknown role "${r}"`));
      checkPermissions(['grants', id, 'permissions'], grant.permissions);
    }
  });

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type PolicyPermission = z.infer<typeof permissionSchema>;
export type PermissionScopeKind = PolicyPermission['scope'];
export type PolicyAction = PolicyPermission['actions'][number];

export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';
  constructor(readonly problems: string[]) {
    super(`Invalid policy document:\n- ${problems.join('\n- ')}`);
  }
}

/** Validates a policy document and returns it frozen; all problems are reported together. */
export function parsePolicyDocument(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (!result.success) {
    throw new PolicyDocumentError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const doc = result.data;
  return deepFreeze({
    ...doc,
    dataClasses: nullPrototype(doc.dataClasses),
    grants: nullPrototype(doc.grants),
    roles: nullPrototype(doc.roles),
  }) as PolicyDocument;
}

/** A copy without a prototype: `record["constructor"]` is undefined, as for any name the record does not hold. */
function nullPrototype<T>(record: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, record);
}

let parsedDefault: PolicyDocument | null = null;

/** rules/default-policy.json, parsed once (frozen, so every caller may share it). */
export function defaultPolicy(): PolicyDocument {
  parsedDefault ??= parsePolicyDocument(defaultPolicyJson);
  return parsedDefault;
}

// Who may propose, approve and stop governed changes: the `governance` section of the same document, beside the roles
// and grants (who may assign a grant: its owner and eligibleRoles). The kernel checks only that every role and
// function it names is one of the document's; src/governance/approval-rules.ts and emergency-target.ts give the
// two halves their full shape (environments, risks, categories). A tenant's stored policy carries no such section
// (parsePolicyDocument drops keys it does not know): approvals and stops are the gateway's, read from this file.

const roleLists = z.record(z.string(), z.array(name).min(1));
const governanceSectionSchema = z.object({
  approvals: z.looseObject({
    approverFunctions: z.record(z.string(), z.array(name).min(1)),
    editorRoles: z.object({ categories: roleLists, settings: roleLists }),
  }),
  stops: z.looseObject({ rules: z.record(z.string(), z.looseObject({ category: z.string(), stopRoles: z.array(name).min(1) })) }),
});
type GovernanceSection = z.infer<typeof governanceSectionSchema>;

let parsedGovernance: GovernanceSection | null = null;

/** JSON with object keys sorted: two values are the same document when these are equal. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/**
 * True when a proposed document's `governance` section is absent or the gateway's own: a tenant's policy carries none
 * (approvals and stops are read from rules/default-policy.json), so proposePolicy refuses a changed one rather than
 * drop it and answer "nothing to change".
 */
export function governanceUnchanged(document: unknown): boolean {
  const section = (document as { governance?: unknown } | null)?.governance;
  return section === undefined || canonical(section) === canonical((defaultPolicyJson as { governance?: unknown }).governance);
}

/** The `governance` section of rules/default-policy.json, parsed once, every role and function it names known. */
export function defaultGovernance(): GovernanceSection {
  parsedGovernance ??= parseGovernanceSection((defaultPolicyJson as { governance?: unknown }).governance, defaultPolicy());
  return parsedGovernance;
}

/** Validates a governance section against the document it belongs to: a role or function typo fails loudly. */
export function parseGovernanceSection(input: unknown, policy: PolicyDocument): GovernanceSection {
  const result = governanceSectionSchema.safeParse(input);
  if (!result.success) {
    throw new PolicyDocumentError(result.error.issues.map((i) => `governance.${i.path.join('.')}: ${i.message}`));
  }
  const section = result.data;
  const problems: string[] = [];
  const functions = new Set(policy.functions);
  const check = (known: (n: string) => boolean, what: string, path: string, names: readonly string[]) =>
    names.forEach((n, i) => known(n) || problems.push(`governance.${path}.${i}: unknown ${what} "${n}"`));
  const isRole = (n: string) => Object.hasOwn(policy.roles, n);
  for (const [c, fs] of Object.entries(section.approvals.approverFunctions)) {
    check((n) => functions.has(n), 'function', `approvals.approverFunctions.${c}`, fs);
  }
  const { categories, settings } = section.approvals.editorRoles;
  for (const [c, rs] of Object.entries(categories)) check(isRole, 'role', `approvals.editorRoles.categories.${c}`, rs);
  for (const [k, rs] of Object.entries(settings)) check(isRole, 'role', `approvals.editorRoles.settings.${k}`, rs);
  for (const [k, rule] of Object.entries(section.stops.rules)) check(isRole, 'role', `stops.rules.${k}.stopRoles`, rule.stopRoles);
  if (problems.length) throw new PolicyDocumentError(problems);
  return deepFreeze(section) as GovernanceSection;
}
