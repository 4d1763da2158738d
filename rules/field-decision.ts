import { readOf, type Decision, type PrincipalPolicy, type RowScope } from './decide.js';
import type { Denial } from './denial.js';
import { ruleName } from './check-field.js';
import { fieldRules, type FieldRule } from './field-access.js';
import { readSlot } from './read-slots.js';
import { rowFactsOf, type RowFacts } from './row-facts.js';

// The kernel's one entry point per field: for a principal's compiled policy and (for row rules) the row's facts, the
// decision, the mask and the PHI-read slot. The guard wiring (fast-guard.ts, shield-tree.ts), the row filter of list
// fields, the identifier masking of the resolvers, explainField and explain all ask here, so no two of them can
// answer differently. Pure: no I/O; the per-row cost is two map lookups (decide.ts caches per row facts object).

export type Rules = Readonly<Record<string, Readonly<Record<string, FieldRule>>>>;

/**
 * How a field comes out for one row: `plain` (returned, recorded under its data class), `sensitive` (returned from a
 * sensitive row, recorded as a sensitive read), `masked` (returned masked to the last four), `unmasked` (returned in
 * full, recorded under the unmasking class), `deny` (not returned: FORBIDDEN).
 */
export type FieldOutcome = 'plain' | 'sensitive' | 'masked' | 'unmasked' | 'deny';

type FieldMask = 'LAST_FOUR';

export interface FieldDecision {
  readonly outcome: FieldOutcome;
  /** The decision that decided: the denial for `deny`, else the allowance of the field's own data class. */
  readonly decision: Decision;
  readonly mask: FieldMask | null;
  /** For `masked`: why the value is not returned in full (what to ask for to see it). */
  readonly maskDenial: Denial | null;
  /** The PHI-read slot to record when the value is returned (row rules only; null otherwise or when denied). */
  readonly slot: number | null;
}

/** One field's rule compiled: its key, whether its answer depends on the row, and its read slots. */
export interface FieldPlan {
  readonly key: string;
  readonly rule: FieldRule;
  /** The rule's name (check-field.ts ruleName): what the guards cache its answers and count its decisions under. */
  readonly name: string;
  /** True for row rules: decided per row; false: once per request. */
  readonly perRow: boolean;
  /** The cheap answer (the guards cache it per rule name and row). */
  outcome(access: PrincipalPolicy, parent: unknown): FieldOutcome;
  /** The full answer. */
  decide(access: PrincipalPolicy, parent: unknown): FieldDecision;
  /** The PHI-read slot of an outcome (null: nothing to record). */
  slotOf(outcome: FieldOutcome): number | null;
}

const NO_ROW: RowFacts = Object.freeze({ tenant: '', patientId: '', departments: [], sensitive: false });
const SENSITIVE = readOf('sensitive');

/** The row facts a row rule decides on: the parent's, or none at all (fails closed: no tenant matches ''). */
const factsOf = (parent: unknown): RowFacts => rowFactsOf(parent) ?? NO_ROW;

/** The decisions behind an outcome, in the order they are asked. */
function decisions(
  rule: FieldRule,
  access: PrincipalPolicy,
  parent: unknown,
): { outcome: FieldOutcome; decision: Decision; maskDecision: Decision | null } {
  switch (rule.kind) {
    case 'authenticated':
    case 'inherit':
      return { outcome: 'plain', decision: ALWAYS, maskDecision: null };
    case 'read': {
      if (!rule.row) {
        const d = access.decide(readOf(rule.dataClass));
        return { outcome: d.effect === 'ALLOW' ? 'plain' : 'deny', decision: d, maskDecision: null };
      }
      const row = factsOf(parent);
      const d = access.decide(readOf(rule.dataClass), row);
      if (d.effect === 'DENY') return { outcome: 'deny', decision: d, maskDecision: null };
      if (rule.sensitiveAware && row.sensitive) {
        const s = access.decide(SENSITIVE, row);
        return s.effect === 'DENY'
          ? { outcome: 'deny', decision: s, maskDecision: null }
          : { outcome: 'sensitive', decision: d, maskDecision: null };
      }
      if (rule.mask) {
        const m = access.decide(readOf(rule.mask), row);
        return { outcome: m.effect === 'ALLOW' ? 'unmasked' : 'masked', decision: d, maskDecision: m };
      }
      return { outcome: 'plain', decision: d, maskDecision: null };
    }
    default: {
      const unreachable: never = rule;
      throw new Error(`unknown field rule ${JSON.stringify(unreachable)}`);
    }
  }
}

const ALWAYS: Decision = Object.freeze({ effect: 'ALLOW', scope: 'tenant', via: 'authenticated' });

export function compileFieldPlan(typeName: string, fieldName: string, rule: FieldRule): FieldPlan {
  const key = `${typeName}.${fieldName}`;
  const perRow = rule.kind === 'read' && rule.row;
  const slots: Record<FieldOutcome, number | null> = { plain: null, sensitive: null, masked: null, unmasked: null, deny: null };
  if (rule.kind === 'read' && rule.row) {
    slots.plain = slots.masked = readSlot(rule.dataClass, key);
    slots.sensitive = readSlot('sensitive', key);
    if (rule.mask) slots.unmasked = readSlot(rule.mask, key);
  }
  return {
    key,
    rule,
    name: ruleName(rule),
    perRow,
    outcome: (access, parent) => decisions(rule, access, parent).outcome,
    decide: (access, parent) => {
      const { outcome, decision, maskDecision } = decisions(rule, access, parent);
      return {
        outcome,
        decision,
        mask: outcome === 'masked' ? 'LAST_FOUR' : null,
        // Built only when read (explain): masking an identifier per row needs the mask, not the denial's text
        // (building it per patient cost a list of 1000 rows 1000 denials).
        get maskDenial() {
          return outcome === 'masked' && maskDecision?.effect === 'DENY' ? maskDecision.denial : null;
        },
        slot: slots[outcome],
      };
    },
    slotOf: (outcome) => slots[outcome],
  };
}

const PLANS = new Map<string, FieldPlan | null>();

/** The plan of a field of the shipped rules (rules/field-access.ts); null when the field has no rule (denied). */
function fieldPlan(typeName: string, fieldName: string): FieldPlan | null {
  const key = `${typeName}.${fieldName}`;
  let plan = PLANS.get(key);
  if (plan === undefined) {
    const rule = Object.hasOwn(fieldRules, typeName) ? fieldRules[typeName]?.[fieldName] : undefined;
    plan = rule && Object.hasOwn(fieldRules[typeName]!, fieldName) ? compileFieldPlan(typeName, fieldName, rule) : null;
    PLANS.set(key, plan);
  }
  return plan;
}

/** A field without a rule: denied (the guards' fallback says the same). */
export const NO_RULE_DENIAL: Denial = Object.freeze({
  permission: 'none',
  dataClass: 'unknown',
  failedScope: 'role',
  ownerRole: 'security-admin',
  ownerFunction: 'security',
  rolesWithPermission: [],
  grant: null,
  howToGet: 'Ask security-admin to add a rule for this field to the policy.',
  approvalPath: null,
  requestAccess: null,
  policyVersion: 'n/a',
  message: 'This field has no permission rule, so it is denied.',
});

const NO_RULE: FieldDecision = Object.freeze({
  outcome: 'deny',
  decision: Object.freeze({ effect: 'DENY', denial: NO_RULE_DENIAL }),
  mask: null,
  maskDenial: null,
  slot: null,
});

/**
 * THE field decision. `row`: the row the field is read on (its facts, or an object carrying them as `guard`); absent
 * for fields that do not depend on the row, or to ask about "some row" of a row rule (a row without facts is denied).
 */
export function decideField(
  access: PrincipalPolicy,
  typeName: string,
  fieldName: string,
  row?: RowFacts | { readonly guard: RowFacts } | null,
): FieldDecision {
  const plan = fieldPlan(typeName, fieldName);
  if (!plan) return NO_RULE;
  const parent = row && 'guard' in row ? row : row ? { guard: row } : null;
  return plan.decide(access, parent);
}

/**
 * Whether a row of a type may be returned at all: the decision of its first field (`id`; every field of a sensitive row is
 * denied alike, so one field stands for the row). List fields drop the rows this denies (src/resolvers/withheld.ts).
 */
export function decideRow(access: PrincipalPolicy, typeName: string, row: RowFacts): FieldDecision {
  const plan = rowPlan(typeName);
  return plan ? plan.decide(access, { guard: row }) : NO_RULE;
}

/** Whether decideRow allows the row, without building the decision (lists ask per row; a denial then asks decideRow). */
export function rowAllowed(access: PrincipalPolicy, typeName: string, row: RowFacts): boolean {
  const plan = rowPlan(typeName);
  return plan !== null && plan.outcome(access, { guard: row }) !== 'deny';
}

/** The rule a type's rows are decided by, by name (the decision metrics), or null when the type has none. */
export function rowRuleName(typeName: string): string | null {
  return rowPlan(typeName)?.name ?? null;
}

const ROW_PLANS = new Map<string, FieldPlan | null>();

/** The plan of a type's first field, the rule its rows are decided by (null: the type has no rule, so none is shown). */
function rowPlan(typeName: string): FieldPlan | null {
  let plan = ROW_PLANS.get(typeName);
  if (plan === undefined) {
    const first = Object.hasOwn(fieldRules, typeName) ? Object.keys(fieldRules[typeName]!)[0] : undefined;
    plan = fieldPlan(typeName, first ?? 'id');
    ROW_PLANS.set(typeName, plan);
  }
  return plan;
}

/**
 * The rows of a type the principal may see at all, by the rule decideRow decides them with (a search asks only for
 * these). Sensitivity is not in it: a sensitive row in scope is still withheld row by row without the grant.
 */
export function rowReadScope(access: PrincipalPolicy, typeName: string): RowScope {
  const first = rowPlan(typeName)?.rule;
  if (!first || first.kind !== 'read') return first ? { kind: 'tenant' } : { kind: 'none' };
  return first.row ? access.readScope(readOf(first.dataClass)) : { kind: 'tenant' };
}
