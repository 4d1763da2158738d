// SMART App Launch v2 scope syntax (http://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
// `<context>/<resource>.<cruds>`, with v1 `.read` / `.write` / `.*` read as their v2 equivalents. Stated once for
// every layer (spec/, README "Layers"): the policy kernel reads token scopes with it (rules/smart-scopes.ts decides
// what a scope allows), connectors check configured scopes against a CapabilityStatement and the embedded
// authorization server grants with it. This is only the grammar: what a parsed scope allows is a decision of rules/.

type ScopeContext = 'patient' | 'user' | 'system';

export interface SmartScope {
  readonly context: ScopeContext;
  /** A FHIR resource type or `*`. */
  readonly resource: string;
  /** Subset of c, r, u, d, s. */
  readonly interactions: ReadonlySet<string>;
}

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)$/;

/** The scope, or null when it is not a resource scope (`openid`, `launch/patient`, `fhirUser`, malformed). */
export function parseSmartScope(scope: string): SmartScope | null {
  const m = SCOPE.exec(scope);
  if (!m || m[3] === '') return null;
  const [, context, resource, perms] = m as unknown as [string, ScopeContext, string, string];
  const interactions = perms === '*' ? 'cruds' : perms === 'read' ? 'rs' : perms === 'write' ? 'cud' : perms;
  return { context, resource, interactions: new Set(interactions) };
}
