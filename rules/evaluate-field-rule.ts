import { ForbiddenError } from '../src/errors/errors.js';
import type { RowGuard } from '../connectors/ehr/rows.js';
import { readOf, type Decision, type Denial, type PrincipalPolicy } from './decide.js';
import type { FieldRule } from './field-access.js';

// Applies one field rule for one principal. Shared by the graphql-shield tree and anything else that needs to know
// whether a field would be returned, so the rule is never written twice.

export type FieldVerdict = { readonly allowed: true } | { readonly allowed: false; readonly error: ForbiddenError };

const ALLOWED: FieldVerdict = { allowed: true };

export function forbidden(denial: Denial): ForbiddenError {
  const { message, ...extensions } = denial;
  return new ForbiddenError(message, extensions);
}

const verdict = (decision: Decision): FieldVerdict =>
  decision.effect === 'ALLOW' ? ALLOWED : { allowed: false, error: forbidden(decision.denial) };

export function guardOf(parent: unknown): RowGuard | null {
  const guard = (parent as { guard?: RowGuard } | null)?.guard;
  return guard && typeof guard.tenant === 'string' && Array.isArray(guard.departments) ? guard : null;
}

/** Decides a field from its rule, the caller's compiled policy and (for row rules) the parent object. */
export function evaluateFieldRule(rule: FieldRule, access: PrincipalPolicy, parent: unknown): FieldVerdict {
  switch (rule.kind) {
    case 'authenticated':
    case 'inherit':
      return ALLOWED;
    case 'read': {
      if (!rule.row) return verdict(access.decide(readOf(rule.dataClass)));
      const guard = guardOf(parent);
      // A row rule on an object without a guard is a wiring bug: fail closed rather than guess.
      if (!guard) {
        return verdict(access.decide(readOf(rule.dataClass), { tenant: '', departments: [] }));
      }
      const decision = access.decide(readOf(rule.dataClass), guard);
      if (decision.effect === 'DENY' || !rule.sensitiveAware || !guard.sensitive) return verdict(decision);
      return verdict(access.decide(readOf('sensitive'), guard));
    }
    default: {
      const unreachable: never = rule;
      throw new Error(`unknown field rule ${JSON.stringify(unreachable)}`);
    }
  }
}
