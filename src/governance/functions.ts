// Functions (technical, security, clinical, finance, operations, compliance) are what two-person approval counts.
// Roles map to functions in the policy document (rules/default-policy.json); decisions take the mapping as an
// argument so that they stay pure and testable.

export type FunctionsOf = (roles: readonly string[]) => string[];

/** The mapping of a policy document (or anything shaped like its `roles`); unknown roles have no function. */
export function functionsFromPolicy(policy: { readonly roles: Readonly<Record<string, { readonly function: string }>> }): FunctionsOf {
  return (roles) => [...new Set(roles.flatMap((r) => (Object.hasOwn(policy.roles, r) ? [policy.roles[r]!.function] : [])))];
}
