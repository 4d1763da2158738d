import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldCoverageProblems } from '../../rules/field-coverage.js';
import { fieldRules } from '../../rules/field-access.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';

// The check itself lives in rules/field-coverage.ts (`clearance policy check` runs it too).

describe('every field of every object type has a rule', () => {
  it('the served schema and rules/field-access.ts agree, with no stale, abstract or half-inherited entry', () => {
    expect(fieldCoverageProblems(buildUnguardedSchema(), fieldRules, defaultPolicy())).toEqual([]);
  });

  it('reports a field without a rule, a stale entry, an unknown data class and a leaking inherited type', () => {
    const Secret = new GraphQLObjectType({ name: 'Secret', fields: { value: { type: GraphQLString } } });
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { open: { type: GraphQLString }, secret: { type: Secret }, leak: { type: Secret } },
      }),
    });
    const rules = {
      Query: {
        secret: { kind: 'read', dataClass: 'nonsense', row: false },
        leak: { kind: 'authenticated' },
        gone: { kind: 'authenticated' },
      },
      Secret: { value: { kind: 'inherit', reachedFrom: ['Query.secret'] } },
    } as const;
    expect(fieldCoverageProblems(schema, rules, defaultPolicy())).toEqual([
      'Query.open has no rule in rules/field-access.ts',
      'Query.gone is not a field of the schema',
      'Query.secret names unknown data class "nonsense"',
      'Query.leak -> Secret is not in its reachedFrom',
    ]);
  });
});
