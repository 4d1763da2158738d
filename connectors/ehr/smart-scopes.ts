// SMART on FHIR scope syntax as the connector side reads it: the scopes a connector is configured with, checked
// against a FHIR server's CapabilityStatement (capability-scopes.ts), and the scopes the embedded authorization
// server grants (server/smart-auth-server.ts). v2: `<context>/<resource>.<cruds>`; v1 `.read` / `.write` / `.*` read
// as their v2 equivalents (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html). The policy kernel
// reads token scopes with rules/smart-scopes.ts; connectors import nothing of rules, so each side states the syntax
// and test/connectors/ehr/smart-scopes.test.ts holds the two to one language.

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
