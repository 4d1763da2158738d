import { readFileSync, readdirSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { fieldRules } from '../../rules/field-access.js';
import { createPermissions } from '../../rules/shield-tree.js';
import { resolvers } from '../resolvers/index.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The SDL of schema/*.graphql, in file order; the single source of the API's shape. */
export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(new URL(f, SCHEMA_DIR), 'utf8'));
}

/** The executable schema without any permission layer (used by tests that compare and by the benchmark). */
export function buildUnguardedSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never });
}

/** The schema as shipped: every field wrapped by the shield tree generated from rules/field-access.ts. */
export function buildGuardedSchema(): GraphQLSchema {
  return applyMiddleware(buildUnguardedSchema(), createPermissions(fieldRules));
}
