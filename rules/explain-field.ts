import { readOf, type PrincipalPolicy } from './decide.js';
import { explainDecision, explanation, type Explanation } from './explanation.js';
import { fieldRules, type FieldRule } from './field-access.js';

// What `explainField` answers for a field without a particular patient: the field's rule (rules/field-access.ts) and
// the caller's compiled policy. One function for the `explainField` query and `clearance operations check`, so a
// frontend's build-time check and the gateway's answer cannot drift apart.

export interface FieldExplanation {
  readonly explanation: Explanation;
  readonly rule: FieldRule | null;
  /** True when the answer can differ per row (department-scoped access to a row-guarded field). */
  readonly dependsOnRow: boolean;
}

export function explainFieldAccess(type: string, field: string, access: PrincipalPolicy, at: string): FieldExplanation {
  // Names come from a client (the operations check's documents): never an inherited property of the rule table.
  const rule = (Object.hasOwn(fieldRules, type) && Object.hasOwn(fieldRules[type]!, field) ? fieldRules[type]![field] : null) ?? null;
  const action = `${type}.${field}`;
  const base = { action, policyVersion: access.policyVersion, at };
  if (!rule) {
    const message = 'This field has no permission rule, so it is denied.';
    return {
      rule,
      dependsOnRow: false,
      explanation: explanation({
        ...base,
        decision: 'DENY',
        rule: 'field-access:none',
        ownerRole: 'security-admin',
        ownerFunction: 'security',
        message,
      }),
    };
  }
  switch (rule.kind) {
    case 'authenticated':
      return {
        rule,
        dependsOnRow: false,
        explanation: explanation({ ...base, decision: 'ALLOW', rule: 'field-access:authenticated', message: 'Any verified caller.' }),
      };
    case 'inherit': {
      const message = `Guarded where it is reached from: ${rule.reachedFrom.join(', ')}.`;
      return { rule, dependsOnRow: false, explanation: explanation({ ...base, decision: 'ALLOW', rule: 'field-access:inherit', message }) };
    }
    case 'read': {
      const request = readOf(rule.dataClass);
      const decided = explainDecision(`read:${rule.dataClass}`, access.decide(request), access.policyVersion, at);
      return {
        rule,
        dependsOnRow: rule.row && decided.decision === 'ALLOW' && access.dependsOnRow(request),
        explanation: { ...decided, action },
      };
    }
    default: {
      const unreachable: never = rule;
      throw new Error(`unknown field rule ${JSON.stringify(unreachable)}`);
    }
  }
}
