import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import type { Rules } from './field-decision.js';
import type { DenialError, GuardContext } from './guard-context.js';
import { propertyOf } from './row-admission.js';

// Configuration is an environment's: a role assigned for STAGING only reads STAGING's settings, stops and connectors,
// never PRODUCTION's (rules/stored-access.ts: an assignment's environments decide where its role counts). The field
// rule `read configuration` asks whether the caller reads configuration somewhere (decide.ts); every query field
// under that rule that names an environment (its `environment` argument) then asks readsConfigurationIn for that one.
// Both permission engines apply it, inside the field's own rule: a caller who reads no configuration at all gets the
// rule's denial, one whose roles count elsewhere FORBIDDEN with failedScope `environment` and reason
// ROLE_NOT_IN_ENVIRONMENT. Change requests carry their environment on the row: changeRequests and changeRequest ask
// readsConfigurationIn for it themselves (src/resolvers/approvals.ts, change-target-check.ts). Mutations check the
// roles of their environment in the governance layer (src/governance/environment-roles.ts).

type Resolver = GraphQLFieldResolver<unknown, GuardContext>;

/** The root query fields read per environment: `read configuration` with an `environment` argument. */
export function configurationEnvironmentFields(schema: GraphQLSchema, rules: Rules): readonly string[] {
  const query = schema.getQueryType();
  if (!query) return [];
  return Object.values(query.getFields())
    .filter((f) => {
      const rule = rules[query.name]?.[f.name];
      return rule?.kind === 'read' && rule.dataClass === 'configuration' && f.args.some((a) => a.name === 'environment');
    })
    .map((f) => f.name);
}

export function applyConfigurationEnvironment(schema: GraphQLSchema, rules: Rules, toError: DenialError): GraphQLSchema {
  const fields = new Set(configurationEnvironmentFields(schema, rules));
  const queryName = schema.getQueryType()?.name;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName !== queryName || !fields.has(fieldName)) return field;
      const resolve = (field.resolve as Resolver | undefined) ?? propertyOf(fieldName);
      const scoped: Resolver = (parent, args, ctx, info) => {
        const decision = ctx.access.readsConfigurationIn(String((args as { environment: unknown }).environment));
        return decision.effect === 'ALLOW' ? resolve(parent, args, ctx, info) : toError(decision.denial);
      };
      return { ...field, resolve: scoped };
    },
  });
}
