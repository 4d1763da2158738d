// SMART on FHIR scopes narrow what a role allows; they never widen it. The scope syntax is spec/smart-scopes.ts
// (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html); what a scope allows is decided here. Only
// `user/` and `system/` contexts count: the gateway has no SMART launch context, so a `patient/` scope cannot be tied
// to a patient and grants nothing here.
import { parseSmartScope, type SmartScope } from '../spec/smart-scopes.js';

/**
 * True when the scopes allow `interaction` (r for read) on every one of `resources`. `scopes` null means the token
 * had no scope claim: roles alone decide.
 */
export function scopesAllow(scopes: readonly string[] | null, resources: readonly string[], interaction: string): boolean {
  if (scopes === null) return true;
  const parsed = scopes.map(parseSmartScope).filter((s): s is SmartScope => s !== null && s.context !== 'patient');
  return resources.every((r) => parsed.some((s) => (s.resource === '*' || s.resource === r) && s.interactions.has(interaction)));
}
