import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { checkField } from './check-field.js';
import { compileFieldPlan, NO_RULE_DENIAL, type FieldOutcome, type FieldPlan, type Rules } from './field-decision.js';
import type { DenialError, GuardContext } from './guard-context.js';
import { ruleId } from './permission-cache.js';
import { applyRowAdmission, isAdmittedField, propertyOf, rowAdmissions } from './row-admission.js';
import type { RowFacts } from './row-facts.js';

// The permission layer as shipped: the same field rules as the graphql-shield tree, applied by synchronous wrappers.
// graphql-shield (through graphql-middleware) turns every field into a promise (its issues 812 and 1522): 2x slower
// at 100 rows, 10x at 1000. Here:
// - fields whose rule cannot deny (inherit, authenticated: the token was verified before execution) are not wrapped;
// - rules that do not depend on the row are decided once per request, then it is an array lookup
//   (rules/permission-cache.ts); row rules (department, sensitivity, tenant of the row) once per row guard, which the
//   rows of one patient share (a nested list's child rows are decided once per patient and sensitivity);
// - the PHI read a row field makes is recorded as a bit (src/audit/read-slots.ts numbers each field once, here).
// Every answer is the kernel's (field-decision.ts); no wrapper returns a promise of its own, so resolvers that answer
// synchronously stay synchronous. Anything off the allowed path (a denial, a row without a guard) goes through
// checkField, the check the shield tree runs.
// test/rules/fast-guard-differential.test.ts proves it denies and records exactly what the shield tree does.

type Resolver = GraphQLFieldResolver<unknown, GuardContext>;

function wrap(plan: FieldPlan, id: number, name: string, resolve: Resolver, toError: DenialError): Resolver {
  const slow: Resolver = (parent, args, ctx, info) => {
    const v = checkField(plan, ctx, parent, toError);
    return v === true ? resolve(parent, args, ctx, info) : v;
  };
  if (!plan.perRow) {
    return (parent, args, ctx, info) => {
      const answers = ctx.permissionCache.request;
      let allowed = answers[id];
      if (allowed === undefined) {
        allowed = answers[id] = plan.outcome(ctx.access, parent) !== 'deny';
        ctx.decisions?.decided(name, allowed ? 'allow' : 'deny');
      }
      return allowed ? resolve(parent, args, ctx, info) : slow(parent, args, ctx, info);
    };
  }
  // The outcome (plain, sensitive, masked, unmasked) is cached per rule and row class (permission-cache.ts); the slot
  // is this field's own.
  const slots = Object.fromEntries((['plain', 'sensitive', 'masked', 'unmasked'] as const).map((o) => [o, plan.slotOf(o)])) as Record<
    FieldOutcome,
    number
  >;
  return (parent, args, ctx, info) => {
    const guard = (parent as { guard?: RowFacts } | null)?.guard;
    const answers = guard === undefined ? null : ctx.permissionCache.forRow(guard, ctx.access);
    if (answers === null || guard === undefined) return slow(parent, args, ctx, info);
    let outcome = answers[id];
    if (outcome === undefined) {
      outcome = answers[id] = plan.outcome(ctx.access, parent);
      ctx.decisions?.decided(name, outcome);
    }
    if (outcome === 'deny') return slow(parent, args, ctx, info);
    // The same record checkField makes: every row field let through is a PHI read.
    ctx.phiReads.record(guard.patientId, slots[outcome]);
    return resolve(parent, args, ctx, info);
  };
}

export function applyFastGuard(schema: GraphQLSchema, rules: Rules, toError: DenialError): GraphQLSchema {
  const admissions = rowAdmissions(rules);
  return mapSchema(applyRowAdmission(schema, admissions, toError), {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      // Its row was admitted by the field that returned it (row-admission.ts), which recorded the PHI read.
      if (isAdmittedField(admissions, typeName, fieldName)) return field;
      const rule = rules[typeName]?.[fieldName];
      // Deny by default, like the shield tree's fallbackRule: a field without a rule never resolves.
      if (!rule) return { ...field, resolve: () => toError(NO_RULE_DENIAL) };
      if (rule.kind === 'inherit' || rule.kind === 'authenticated') return field;
      const plan = compileFieldPlan(typeName, fieldName, rule);
      const resolve = (field.resolve as Resolver | undefined) ?? propertyOf(fieldName);
      return { ...field, resolve: wrap(plan, ruleId(plan.name), plan.name, resolve, toError) };
    },
  });
}
