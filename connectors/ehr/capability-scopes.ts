import type { CapabilityStatement } from '@medplum/fhirtypes';
import { parseSmartScope } from '../../spec/smart-scopes.js';

// Which of a connector's configured SMART scopes the FHIR server says it supports (its CapabilityStatement,
// `GET /metadata`): a scope is supported when the server lists its resource type (any type for `*`) with every
// interaction the scope asks for. Pure. SMART v2 letters map to FHIR interactions: c create, r read (and vread),
// u update, d delete, s search-type.

const INTERACTION: Readonly<Record<string, string>> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search-type' };

export function supportedScopes(
  capabilities: CapabilityStatement,
  scopes: readonly string[],
): { supported: string[]; unsupported: string[] } {
  const resources = capabilities.rest?.find((r) => r.mode === 'server')?.resource ?? capabilities.rest?.[0]?.resource ?? [];
  const interactionsOf = new Map<string, Set<string>>(
    resources.map((r) => [r.type, new Set<string>((r.interaction ?? []).map((i) => i.code))]),
  );
  const supports = (type: string, letters: Iterable<string>) =>
    [...letters].every((l) => interactionsOf.get(type)?.has(INTERACTION[l] ?? '') ?? false);
  const supported: string[] = [];
  const unsupported: string[] = [];
  for (const scope of scopes) {
    const s = parseSmartScope(scope);
    const ok =
      s !== null &&
      (s.resource === '*' ? [...interactionsOf.keys()].some((t) => supports(t, s.interactions)) : supports(s.resource, s.interactions));
    (ok ? supported : unsupported).push(scope);
  }
  return { supported, unsupported };
}
