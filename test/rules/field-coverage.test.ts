import { getNamedType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { fieldRules } from '../../rules/field-access.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';

const schema = buildUnguardedSchema();
const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !t.name.startsWith('__'));

describe('every field of every object type has a rule', () => {
  for (const type of objectTypes) {
    if (!isObjectType(type)) continue;
    it(`${type.name}: each field is in rules/field-access.ts`, () => {
      const rules = fieldRules[type.name] ?? {};
      const missing = Object.keys(type.getFields()).filter((f) => !rules[f]);
      expect(missing, `fields of ${type.name} without a rule`).toEqual([]);
    });
  }

  it('names no type or field that is not in the schema', () => {
    const stale = Object.entries(fieldRules).flatMap(([type, fields]) => {
      const t = schema.getType(type);
      if (!t || !isObjectType(t)) return [type];
      return Object.keys(fields).filter((f) => !t.getFields()[f]).map((f) => `${type}.${f}`);
    });
    expect(stale).toEqual([]);
  });

  it('puts no rule on an interface or union (graphql-shield silently ignores those)', () => {
    const abstract = Object.keys(fieldRules).filter((n) => {
      const t = schema.getType(n);
      return isInterfaceType(t) || isUnionType(t);
    });
    expect(abstract).toEqual([]);
  });

  it('names only data classes of the policy document', () => {
    const classes = new Set(Object.keys(defaultPolicy().dataClasses));
    const unknown = Object.values(fieldRules)
      .flatMap((fields) => Object.values(fields))
      .filter((r) => r.kind === 'read' && !classes.has(r.dataClass));
    expect(unknown).toEqual([]);
  });

  it('an inherited type is reachable only through the fields that carry its rule', () => {
    const problems: string[] = [];
    for (const [typeName, fields] of Object.entries(fieldRules)) {
      const inherits = Object.values(fields).filter((r) => r.kind === 'inherit');
      if (inherits.length === 0) continue;
      const allowed = new Set(inherits.flatMap((r) => (r.kind === 'inherit' ? r.reachedFrom : [])));
      for (const t of objectTypes) {
        if (!isObjectType(t)) continue;
        for (const f of Object.values(t.getFields())) {
          if (getNamedType(f.type).name === typeName && !allowed.has(`${t.name}.${f.name}`)) problems.push(`${t.name}.${f.name} -> ${typeName}`);
        }
      }
      // Every field of an inherited type must be inherit: half-guarded value objects are a mistake.
      if (inherits.length !== Object.keys(fields).length) problems.push(`${typeName} mixes inherit with other rules`);
    }
    expect(problems).toEqual([]);
  });
});
