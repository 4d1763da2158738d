import { getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { FieldRule } from './field-access.js';
import type { PolicyDocument } from './policy-document.js';

// Whether every field of every object type of a schema has a rule, and the rules make sense: the check behind
// test/rules/field-coverage.test.ts and `clearance policy check`. Each problem is one line for people.

type Rules = Readonly<Record<string, Readonly<Record<string, FieldRule>>>>;

export function fieldCoverageProblems(schema: GraphQLSchema, rules: Rules, policy: PolicyDocument): string[] {
  const objectTypes = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));
  const problems: string[] = [];
  for (const type of objectTypes) {
    for (const f of Object.keys(type.getFields()))
      if (!rules[type.name]?.[f]) problems.push(`${type.name}.${f} has no rule in rules/field-access.ts`);
  }
  for (const [typeName, fields] of Object.entries(rules)) {
    const t = schema.getType(typeName);
    if (isInterfaceType(t) || isUnionType(t))
      problems.push(`${typeName} is abstract: graphql-shield ignores rules on interfaces and unions`);
    else if (!t || !isObjectType(t)) problems.push(`${typeName} is not a type of the schema`);
    else for (const f of Object.keys(fields)) if (!t.getFields()[f]) problems.push(`${typeName}.${f} is not a field of the schema`);
  }
  const classes = new Set(Object.keys(policy.dataClasses));
  for (const [typeName, fields] of Object.entries(rules)) {
    for (const [f, r] of Object.entries(fields))
      if (r.kind === 'read' && !classes.has(r.dataClass)) problems.push(`${typeName}.${f} names unknown data class "${r.dataClass}"`);
    // An inherited type must be reachable only through the fields that carry its rule, and be inherit throughout.
    const inherits = Object.values(fields).filter((r) => r.kind === 'inherit');
    if (inherits.length === 0) continue;
    const allowed = new Set(inherits.flatMap((r) => (r.kind === 'inherit' ? r.reachedFrom : [])));
    for (const t of objectTypes) {
      for (const f of Object.values(t.getFields())) {
        if (getNamedType(f.type).name === typeName && !allowed.has(`${t.name}.${f.name}`))
          problems.push(`${t.name}.${f.name} -> ${typeName} is not in its reachedFrom`);
      }
    }
    if (inherits.length !== Object.keys(fields).length) problems.push(`${typeName} mixes inherit with other rules`);
  }
  return problems;
}
