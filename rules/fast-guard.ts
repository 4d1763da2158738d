import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../src/context/context.js';
import type { PrincipalPolicy } from './decide.js';
import { checkField, ruleName } from './check-field.js';
import type { FieldRule } from './field-access.js';
import { noRuleError } from './shield-tree.js';

// The permission layer as shipped: the same field rules as the graphql-shield tree, applied by synchronous wrappers.
// graphql-shield (through graphql-middleware) turns every field into a promise (its issues 812 and 1522): 2x slower
// at 100 rows, 10x at 1000 (STACK.md). Here:
// - fields whose rule cannot deny (inherit, authenticated: the token was verified before execution) are not wrapped;
// - rules that do not depend on the row are decided once per request and rule, then it is a map lookup;
// - row rules (department, sensitivity, tenant of the row) run synchronously per row.
// No wrapper returns a promise of its own, so resolvers that answer synchronously stay synchronous.
// test/rules/fast-guard-differential.test.ts proves it denies exactly what the shield tree denies.

type Rules = Readonly<Record<string, Readonly<Record<string, FieldRule>>>>;

const perRequest = new WeakMap<PrincipalPolicy, Map<string, true | Error>>();

function wrap(rule: FieldRule, resolve: GraphQLFieldResolver<unknown, GatewayContext>, fieldKey: string): GraphQLFieldResolver<unknown, GatewayContext> {
  if (rule.kind === 'read' && rule.row) {
    return (parent, args, ctx, info) => {
      const v = checkField(rule, ctx, parent, info, fieldKey);
      return v === true ? resolve(parent, args, ctx, info) : v;
    };
  }
  const name = ruleName(rule);
  return (parent, args, ctx, info) => {
    let cache = perRequest.get(ctx.access);
    if (!cache) {
      cache = new Map();
      perRequest.set(ctx.access, cache);
    }
    let v = cache.get(name);
    if (v === undefined) {
      v = checkField(rule, ctx, parent, info);
      cache.set(name, v);
    }
    // Denied: decide again for a fresh error (denials are rare), located at this field's path.
    return v === true ? resolve(parent, args, ctx, info) : checkField(rule, ctx, parent, info);
  };
}

export function applyFastGuard(schema: GraphQLSchema, rules: Rules): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      const rule = rules[typeName]?.[fieldName];
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, GatewayContext>;
      // Deny by default, like the shield tree's fallbackRule: a field without a rule never resolves.
      if (!rule) return { ...field, resolve: () => noRuleError() };
      if (rule.kind === 'inherit' || rule.kind === 'authenticated') return field;
      return { ...field, resolve: wrap(rule, resolve, `${typeName}.${fieldName}`) };
    },
  });
}
