import { readFileSync, readdirSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { applyConfigurationEnvironment } from '../../rules/configuration-environment.js';
import { fieldRules } from '../../rules/field-access.js';
import { applyFastGuard } from '../../rules/fast-guard.js';
import { applyRowAdmission, rowAdmissions } from '../../rules/row-admission.js';
import { createPermissions } from '../../rules/shield-tree.js';
import { forbidden } from '../errors/forbidden.js';
import { resolvers } from '../resolvers/index.js';
import { applyFreeTextCheck } from './free-text.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The SDL of schema/*.graphql, in file order; the single source of the API's shape. */
function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(new URL(f, SCHEMA_DIR), 'utf8'));
}

/** The executable schema without any permission layer (used by tests that compare and by the benchmark). */
export function buildUnguardedSchema(): GraphQLSchema {
  return applyFreeTextCheck(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never }));
}

export type PermissionEngine = 'fast' | 'shield';

/**
 * The schema with its permission layer, from the rules in rules/field-access.ts. `fast` (shipped): synchronous
 * wrappers, decisions cached per request (rules/fast-guard.ts). `shield`: the same rules as a graphql-shield tree,
 * kept as the reference the fast engine is tested against.
 */
export function buildGuardedSchema(engine: PermissionEngine = 'fast'): GraphQLSchema {
  // Inside every field rule (both engines wrap it): configuration is read per environment.
  const schema = applyConfigurationEnvironment(buildUnguardedSchema(), fieldRules, forbidden);
  return engine === 'fast'
    ? applyFastGuard(schema, fieldRules, forbidden)
    : applyMiddleware(applyRowAdmission(schema, rowAdmissions(fieldRules), forbidden), createPermissions(fieldRules, forbidden));
}
