import { isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { PATIENT_ROW_FIELDS, rowFieldsOf } from '../../src/resolvers/patients.js';
import { selectedFields } from '../../src/resolvers/selection.js';

// The map from Patient fields to the PatientRow fields they read decides which FHIR elements a list asks for. It must
// name every Patient field of the schema and no other, so a new field is a decision, not a silent null.

describe('PATIENT_ROW_FIELDS', () => {
  it('covers exactly the schema\'s Patient fields', () => {
    const patient = buildUnguardedSchema().getType('Patient');
    if (!isObjectType(patient)) throw new Error('no Patient type');
    expect(Object.keys(PATIENT_ROW_FIELDS).filter((f) => f !== '__typename').sort()).toEqual(Object.keys(patient.getFields()).sort());
  });

  it('reads whole resources for a field it does not know', () => {
    expect(rowFieldsOf(['name', 'mrn'])).toEqual(['name', 'mrn']);
    expect(rowFieldsOf(['name', 'somethingNew'])).toBeNull();
    expect(rowFieldsOf([])).toEqual([]);
  });
});

describe('selectedFields', () => {
  const infoOf = (query: string) => {
    const doc = parse(query);
    const op = doc.definitions.find((d) => d.kind === 'OperationDefinition')!;
    const fragments = Object.fromEntries(doc.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])));
    const top = op.selectionSet.selections.filter((s) => s.kind === 'Field');
    return { fieldNodes: top, fragments } as unknown as Parameters<typeof selectedFields>[0];
  };

  it('collects names under a path through aliases, fragments (also nested and repeated) and inline fragments', () => {
    const info = infoOf(`{ patients { edges { node { a: id ...F } } edges { node { ... on Patient { gender } } } } }
      fragment F on Patient { name ...G } fragment G on Patient { birthDate ...F }`);
    expect([...selectedFields(info, ['edges', 'node'])].sort()).toEqual(['birthDate', 'gender', 'id', 'name']);
    expect([...selectedFields(info, ['edges'])]).toEqual(['node']);
    expect([...selectedFields(info, ['pageInfo'])]).toEqual([]);
  });
});
