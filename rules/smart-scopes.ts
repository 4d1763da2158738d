// SMART on FHIR scopes narrow what a role allows; they never widen it.
// v2 syntax: `<context>/<resource>.<cruds>` (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html),
// v1 `.read` / `.write` / `.*` accepted as their v2 equivalents. Only `user/` and `system/` contexts count: the
// gateway has no SMART launch context, so a `patient/` scope cannot be tied to a patient and grants nothing here.
// Connectors (which import nothing of rules) read scopes with connectors/ehr/smart-scopes.ts, the same syntax
// (test/connectors/ehr/smart-scopes.test.ts).

type ScopeContext = 'patient' | 'user' | 'system';

export interface SmartScope {
  readonly context: ScopeContext;
  /** A FHIR resource type or `*`. */
  readonly resource: string;
  /** Subset of c, r, u, d, s. */
  readonly interactions: ReadonlySet<string>;
}

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)$/;

export function parseSmartScope(scope: string): SmartScope | null {
  const m = SCOPE.exec(scope);
  if (!m || m[3] === '') return null;
  const [, context, resource, perms] = m as unknown as [string, ScopeContext, string, string];
  const interactions = perms === '*' ? 'cruds' : perms === 'read' ? 'rs' : perms === 'write' ? 'cud' : perms;
  return { context, resource, interactions: new Set(interactions) };
}

/**
 * True when the scopes allow `interaction` (r for read) on every one of `resources`. `scopes` null means the token
 * had no scope claim: roles alone decide.
 */
export function scopesAllow(scopes: readonly string[] | null, resources: readonly string[], interaction: string): boolean {
  if (scopes === null) return true;
  const parsed = scopes.map(parseSmartScope).filter((s): s is SmartScope => s !== null && s.context !== 'patient');
  return resources.every((r) => parsed.some((s) => (s.resource === '*' || s.resource === r) && s.interactions.has(interaction)));
}
