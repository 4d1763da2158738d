import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  getNamedType,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
// graphql-js's own field collection (fragments, type conditions, @skip/@include with the request's variables): the
// fields it collects are exactly the fields execution resolves on the row.
import { collectSubfields } from 'graphql/execution/collectFields.js';
import { ruleName } from './check-field.js';
import { compileFieldPlan, type FieldOutcome, type FieldPlan, type Rules } from './field-decision.js';
import type { DenialError, GuardContext } from './guard-context.js';
import { ruleId } from './permission-cache.js';
import { rowFactsOf } from './row-facts.js';

// Rows are admitted where they enter the response. A row type's fields mostly share one row rule (every field of a
// Condition is `read clinical`, sensitive-aware; Patient's id, name, gender, birthDate and department are `read
// demographics`): for one row they all get the same decision, the one the type's first field gets, which is also
// the one a list asks to withhold a row (field-decision.ts decideRow). So that decision is made once per row, by
// the field that returns the row (Query.patient, PatientEdge.node, Patient.conditions, Encounter.subject, Node):
// - allowed: the row is returned, and the PHI read of each of its fields the operation selects under that rule is
//   recorded for the row, as the field would have recorded it (graphql-js's collectSubfields: fragments, type
//   conditions, @skip/@include); those fields then resolve with no check of their own, so compiled execution
//   (graphql-jit) reads them as plain properties;
// - denied: the row is not returned (null) and one FORBIDDEN at the field that returned it carries the kernel's
//   denial (instead of one per selected field);
// - a row without row facts is denied (fails closed).
// Fields of the type under another rule (a masked identifier, contact details, the lists of the record) keep their
// own check. Both permission engines admit rows here, so the shield tree and the fast guard still compare field by
// field on everything else (test/rules/fast-guard-differential.test.ts); test/rules/row-admission.test.ts proves
// every field that can return an admitted row admits it.

type Resolver = GraphQLFieldResolver<unknown, GuardContext>;

/** How rows of one type are admitted: the type's row rule and the fields that share it. */
interface TypeAdmission {
  readonly typeName: string;
  /** The plan of the type's first field (its rule decides the row). */
  readonly plan: FieldPlan;
  /** The rule's name (metrics). */
  readonly name: string;
  /** Fields under the row rule, with their plans (their PHI-read slots). */
  readonly fields: ReadonlyMap<string, FieldPlan>;
}

/** The row types and their admitted fields: types whose first field has a row rule without a mask. */
export function rowAdmissions(rules: Rules): ReadonlyMap<string, TypeAdmission> {
  const admissions = new Map<string, TypeAdmission>();
  for (const [typeName, fields] of Object.entries(rules)) {
    const first = Object.entries(fields)[0];
    if (!first) continue;
    const [firstField, rule] = first;
    if (rule.kind !== 'read' || !rule.row || rule.mask) continue;
    const name = ruleName(rule);
    const admitted = new Map<string, FieldPlan>();
    for (const [fieldName, r] of Object.entries(fields)) {
      if (ruleName(r) === name) admitted.set(fieldName, compileFieldPlan(typeName, fieldName, r));
    }
    admissions.set(typeName, { typeName, plan: admitted.get(firstField)!, name, fields: admitted });
  }
  return admissions;
}

/** True for a field that needs no check of its own: its row was admitted by the field that returned it. */
export function isAdmittedField(admissions: ReadonlyMap<string, TypeAdmission>, typeName: string, fieldName: string): boolean {
  return admissions.get(typeName)?.fields.has(fieldName) ?? false;
}

/** The object types a field's value can be (its named type, or the possible types of an interface or union). */
function rowTypesOf(schema: GraphQLSchema, info: { readonly returnType: unknown }, admissions: ReadonlyMap<string, TypeAdmission>) {
  const named = getNamedType(info.returnType as never);
  const types = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
  return types.filter((t) => admissions.has(t.name));
}

/** graphql-js's default resolver for one known field name (a wrapper calls it directly instead of through info). */
export const propertyOf = (fieldName: string): Resolver => (parent, args, ctx, info) => {
  const value = (parent as Record<string, unknown>)[fieldName];
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).call(parent, args, ctx, info) : value;
};

const ADMITTING = new WeakSet<object>();
/** True for a resolver that admits the rows it returns (test/rules/row-admission.test.ts walks the schema with it). */
export const admitsRows = (resolve: unknown): boolean => typeof resolve === 'function' && ADMITTING.has(resolve);

const isPromise = (v: unknown): v is PromiseLike<unknown> => typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Wraps every field whose value can be a row of an admitted type (the row type itself, a list of it, an interface
 * or union one of whose types it is) so that it admits each row it returns.
 */
export function applyRowAdmission(
  schema: GraphQLSchema,
  admissions: ReadonlyMap<string, TypeAdmission>,
  toError: DenialError,
): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      const named = getNamedType(field.type);
      const possible = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
      if (!possible.some((t) => admissions.has(t.name))) return field;
      const resolve = (field.resolve as Resolver | undefined) ?? propertyOf(fieldName);
      const admitted: Resolver = (parent, args, ctx, info) => {
        const value = resolve(parent, args, ctx, info);
        return isPromise(value) ? Promise.resolve(value).then((v) => admitValue(v, ctx, info)) : admitValue(value, ctx, info);
      };
      ADMITTING.add(admitted);
      return { ...field, resolve: admitted };
    },
  });

  function admitValue(value: unknown, ctx: GuardContext, info: GraphQLResolveInfo): unknown {
    if (value === null || value === undefined || value instanceof Error) return value;
    if (Array.isArray(value)) {
      for (const row of value) admitOne(row, ctx, info);
      return value;
    }
    admitOne(value, ctx, info);
    return value;
  }

  /** Admits one row or throws its denial; records the PHI reads of the fields selected under the row rule. */
  function admitOne(row: unknown, ctx: GuardContext, info: GraphQLResolveInfo): void {
    if (row === null || row === undefined || row instanceof Error) return;
    const type = concreteType(row, ctx, info);
    const admission = type ? admissions.get(type.name) : undefined;
    if (!type || !admission) return;
    const guard = (row as { guard?: unknown }).guard;
    const answers = guard === undefined ? null : ctx.permissionCache.forRow(guard, ctx.access);
    const id = ruleId(admission.name);
    let outcome: FieldOutcome | undefined = answers?.[id];
    if (outcome === undefined) {
      outcome = admission.plan.outcome(ctx.access, row);
      if (answers) answers[id] = outcome;
      ctx.decisions?.decided(admission.name, outcome);
    }
    if (outcome === 'deny' || answers === null) {
      // The full decision, for the denial's text (a row without row facts is decided as no row: denied).
      const d = admission.plan.decide(ctx.access, row);
      if (d.decision.effect === 'DENY') throw toError(d.decision.denial);
      throw new Error(`row admission: ${admission.typeName} decided ${outcome} and then allowed`);
    }
    const patientId = rowFactsOf(row)!.patientId;
    for (const slot of ctx.permissionCache.selectionSlots(info.fieldNodes, type.name, outcome, () =>
      selectedSlots(info, type, admission, outcome))) {
      ctx.phiReads.record(patientId, slot);
    }
  }

  /** The row's object type: the field's own, or the one an interface or union resolves it to. */
  function concreteType(row: unknown, ctx: GuardContext, info: GraphQLResolveInfo): GraphQLObjectType | null {
    const named = getNamedType(info.returnType);
    if (isObjectType(named)) return named;
    if (!isAbstractType(named)) return null;
    const resolved = named.resolveType?.(row, ctx, info, named);
    const name = typeof resolved === 'string' ? resolved : null;
    const type = name ? info.schema.getType(name) : null;
    // A row whose type is not known at once (no synchronous resolveType) is checked as the strictest possible type.
    return type && isObjectType(type) ? type : rowTypesOf(info.schema, info, admissions)[0] ?? null;
  }
}

/** The PHI-read slots of the fields the operation selects on the row under its row rule, for an outcome. */
function selectedSlots(info: GraphQLResolveInfo, type: GraphQLObjectType, admission: TypeAdmission, outcome: FieldOutcome): number[] {
  const slots = new Set<number>();
  const selected = collectSubfields(info.schema, info.fragments, info.variableValues, type, info.fieldNodes as FieldNode[]);
  for (const nodes of selected.values()) {
    const plan = admission.fields.get(nodes[0]!.name.value);
    const slot = plan?.slotOf(outcome);
    if (slot !== null && slot !== undefined) slots.add(slot);
  }
  return [...slots];
}
