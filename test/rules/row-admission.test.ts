import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  execute, getNamedType, isAbstractType, isObjectType, parse,
  type DocumentNode, type ExecutionResult, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { compilePrincipalPolicy } from '../../rules/decide.js';
import { applyFastGuard } from '../../rules/fast-guard.js';
import { fieldRules, type FieldRule } from '../../rules/field-access.js';
import type { Rules } from '../../rules/field-decision.js';
import { PermissionCache } from '../../rules/permission-cache.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import type { Principal } from '../../rules/principal.js';
import type { RowFacts } from '../../rules/row-facts.js';
import { admitsRows, applyRowAdmission, rowAdmissions } from '../../rules/row-admission.js';
import { PhiReadCollector } from '../../src/audit/phi-read-collector.js';
import { forbidden } from '../../src/errors/forbidden.js';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { CompiledExecution } from '../../src/server/compiled-execution.js';

// Rows are admitted by the field that returns them (rules/row-admission.ts): the fields under the row rule then have
// no check of their own. So: every field of the schema that can return such a row must admit it, a denied or
// unguarded row must never reach its fields, and the PHI reads recorded must be exactly the fields the operation
// selects (fragments, type conditions, @skip/@include, aliases), on graphql-js and on the compiled path alike.

describe('every field that can return an admitted row admits it', () => {
  const admissions = rowAdmissions(fieldRules);
  const schema = applyRowAdmission(buildUnguardedSchema(), admissions, forbidden);

  const fields = Object.values(schema.getTypeMap()).flatMap((t) =>
    isObjectType(t) && !t.name.startsWith('__') ? Object.values(t.getFields()).map((f) => [t.name, f] as const) : []);
  const inAbstract = new Set(
    Object.values(schema.getTypeMap()).flatMap((t) => (isAbstractType(t) ? schema.getPossibleTypes(t) : [])).map((t) => t.name),
  );
  /**
   * A field admits its rows, or has no resolver and every field that returns its parent (never through an interface
   * or union) admits on the way: a connection's edges.node is admitted by the resolver that built the connection.
   */
  const admittedOnTheWay = (typeName: string, fieldName: string, depth = 0): boolean => {
    const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName]!;
    if (admitsRows(field.resolve)) return true;
    if (field.resolve || depth > 4 || inAbstract.has(typeName) || ['Query', 'Mutation', 'Subscription'].includes(typeName)) return false;
    // A resolver admits the rows under it only along object types (an interface or union there must admit itself).
    if (isAbstractType(getNamedType(field.type))) return false;
    const returning = fields.filter(([, f]) => getNamedType(f.type).name === typeName);
    return returning.length > 0 && returning.every(([t, f]) => admittedOnTheWay(t, f.name, depth + 1));
  };

  it('walks the whole schema', () => {
    const producers: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const possible = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
        if (!possible.some((t) => admissions.has(t.name))) continue;
        producers.push(`${type.name}.${field.name}`);
        expect(admittedOnTheWay(type.name, field.name), `${type.name}.${field.name}`).toBe(true);
      }
    }
    // The paths a patient's rows are known to come by (a new one is covered by the walk above without editing this).
    expect(producers).toEqual(expect.arrayContaining([
      'Query.patient', 'Query.node', 'PatientEdge.node', 'Patient.conditions', 'Patient.observations', 'Patient.notes',
      'Encounter.subject',
    ]));
  });

  it('admits the row types whose fields share the first field\'s row rule, and only those fields', () => {
    const patient = admissions.get('Patient')!;
    // mrn and ssn: the same data class with a mask, so never denied where the row is admitted (their outcome, masked
    // or unmasked, is decided at admission too).
    expect([...patient.fields.keys()].sort()).toEqual(['birthDate', 'department', 'gender', 'id', 'mrn', 'name', 'ssn']);
    expect(patient.masked.map((m) => m.name)).toEqual(['read:demographics/row/mask:identifiers']);
    expect([...admissions.get('Condition')!.fields.keys()]).toEqual(Object.keys(fieldRules.Condition!));
    // A type whose first field is masked or not a row rule is not admitted: each field keeps its own check.
    for (const [typeName, fields] of Object.entries(fieldRules)) {
      const first = Object.values(fields)[0]!;
      expect(admissions.has(typeName), typeName).toBe(first.kind === 'read' && first.row && !first.mask);
    }
  });
});

// A small schema over the default policy: rows carry their facts (`guard`) as the EHR connector's rows do.
// `clinical` is department-scoped for a clinician (default policy): a row of another department is denied.
const clinical: FieldRule = { kind: 'read', dataClass: 'clinical', row: true };
const RULES: Rules = {
  Query: {
    person: { kind: 'authenticated' },
    other: { kind: 'authenticated' },
    connection: { kind: 'authenticated' },
    people: { kind: 'authenticated' },
    thing: { kind: 'authenticated' },
  },
  PersonConnection: { edges: { kind: 'authenticated' }, total: { kind: 'authenticated' } },
  PersonEdge: { cursor: { kind: 'authenticated' }, node: { kind: 'authenticated' } },
  Person: {
    id: clinical, name: clinical, gender: clinical, contact: { kind: 'read', dataClass: 'contact', row: true },
    // Admitted with the row (it only masks what the row rule allows): recorded under the class of its outcome.
    mrn: { ...clinical, mask: 'identifiers' },
  },
};
const SDL = `
  interface Thing { id: ID! }
  interface Other { id: ID! }
  type Person implements Thing & Other { id: ID! name: String gender: String contact: String mrn: String }
  type PersonEdge { cursor: String! node: Person }
  type PersonConnection { edges: [PersonEdge!] total: Int! }
  type Query {
    person(id: ID!): Person people: [Person!]! thing(id: ID!): Thing other(id: ID!): Other connection(ids: [ID!]!): PersonConnection
  }
`;
const guardOf = (id: string, departments: string[]): RowFacts => ({ tenant: 'acme', patientId: id, departments, sensitive: false });
const PEOPLE: Record<string, Record<string, unknown>> = {
  a: { id: 'a', name: 'Ann', gender: 'female', contact: '555', guard: guardOf('a', ['cardiology']) },
  b: { id: 'b', name: 'Bob', gender: 'male', contact: '556', guard: guardOf('b', ['oncology']) },
  // A row that lost its facts (a wiring bug): never returned.
  bare: { id: 'bare', name: 'Bare', gender: 'other', contact: '557' },
};
function smallSchema(): GraphQLSchema {
  const base = makeExecutableSchema({
    typeDefs: SDL,
    resolvers: {
      Query: {
        person: (_p: unknown, { id }: { id: string }) => PEOPLE[id] ?? null,
        people: () => [PEOPLE.a],
        thing: async (_p: unknown, { id }: { id: string }) => PEOPLE[id] ?? null,
        other: (_p: unknown, { id }: { id: string }) => PEOPLE[id] ?? null,
        connection: (_p: unknown, { ids }: { ids: string[] }) => ({ edges: ids.map((id) => ({ cursor: id, node: PEOPLE[id] })), total: 1 }),
      },
      Thing: { __resolveType: () => 'Person' },
      // A type resolver that answers later: the row's rule is not known when it is returned.
      Other: { __resolveType: async () => 'Person' },
    },
  });
  return applyFastGuard(base, RULES, forbidden);
}

const clinician: Principal = {
  sub: 'u', tenant: 'acme', kind: 'user', roles: ['clinician'], departments: ['cardiology'], mfa: false, scopes: null, grants: [],
};

async function run(
  on: GraphQLSchema | CompiledExecution, query: string | DocumentNode, variables: Record<string, unknown> = {}, as = clinician,
) {
  const ctx = {
    access: compilePrincipalPolicy(defaultPolicy(), as),
    permissionCache: new PermissionCache(),
    phiReads: new PhiReadCollector(),
  };
  const document = typeof query === 'string' ? parse(query) : query;
  const r = on instanceof CompiledExecution
    ? await on.execute({ document, contextValue: ctx, variableValues: variables })
    : ((await execute({ schema: on, document, contextValue: ctx, variableValues: variables })) as ExecutionResult);
  const phi = ctx.phiReads.events({ tenant: 'acme', actor: { sub: 'u' }, operation: null, requestId: 'r', at: 'now' });
  return {
    data: r.data,
    errors: (r.errors ?? []).map((e) => `${JSON.stringify(e.path)} ${String(e.extensions.code)}`).sort(),
    phi: phi.map((e) => ({ patientId: e.patientId, fields: e.fields })),
    classes: phi.map((e) => e.dataClasses),
  };
}

describe('a row is admitted once, where it enters the response', () => {
  const schema = smallSchema();
  const engines = { 'graphql-js': schema, jit: new CompiledExecution(schema, { engine: 'jit', compileAfter: 1 }) };

  for (const [engine, on] of Object.entries(engines)) {
    it(`records exactly the selected fields (fragments, type conditions, @skip/@include, aliases) on ${engine}`, async () => {
      const q = `query($skip: Boolean!, $with: Boolean!) {
        person(id: "a") { id n: name name @skip(if: $skip) ...F }
        thing(id: "a") { ... on Person { gender @include(if: $with) } }
      } fragment F on Person { contact }`;
      for (const [skip, withGender] of [[false, false], [true, true]] as const) {
        const r = await run(on, q, { skip, with: withGender });
        expect(r.errors).toEqual([]);
        expect(r.phi).toEqual([
          {
            patientId: 'a',
            // contact is under its own rule (not admitted): still recorded, by its own check.
            fields: ['Person.contact', 'Person.id', 'Person.name', ...(withGender ? ['Person.gender'] : [])].sort(),
          },
        ]);
      }
    });

    it(`a denied row is null with one FORBIDDEN where it entered, and nothing of it is recorded, on ${engine}`, async () => {
      for (const field of ['person', 'thing']) {
        const r = await run(on, `{ ${field}(id: "b") { id ... on Person { name gender } } }`);
        expect(r.data).toEqual({ [field]: null });
        expect(r.errors).toEqual([`["${field}"] FORBIDDEN`]);
        expect(r.phi).toEqual([]);
      }
    });

    it(`a row without row facts is denied (fails closed) on ${engine}`, async () => {
      const r = await run(on, '{ person(id: "bare") { name } }');
      expect(r.data).toEqual({ person: null });
      expect(r.errors).toEqual(['["person"] FORBIDDEN']);
      expect(r.phi).toEqual([]);
    });

    it(`a row whose type is not known at once fails its field (closed) on ${engine}`, async () => {
      const r = await run(on, '{ other(id: "a") { id ... on Person { name } } }');
      expect(r.data).toEqual({ other: null });
      expect(r.errors).toHaveLength(1);
      expect(r.phi).toEqual([]);
    });

    it(`rows of a list are admitted each on ${engine}`, async () => {
      const r = await run(on, '{ people { id name } }');
      expect(r.data).toEqual({ people: [{ id: 'a', name: 'Ann' }] });
      expect(r.phi).toEqual([{ patientId: 'a', fields: ['Person.id', 'Person.name'] }]);
    });

    it(`a masked field is admitted with its row and recorded under its outcome's class on ${engine}`, async () => {
      // masked for the clinician (clinical), unmasked with the identifiers grant (identifiers); on a denied row, nothing.
      for (const [grants, cls] of [[[], 'clinical'], [['identifiers'], 'identifiers']] as const) {
        for (const q of ['{ person(id: "a") { id mrn } }', '{ connection(ids: ["a"]) { edges { node { mrn } } } }']) {
          const r = await run(on, q, {}, { ...clinician, grants: [...grants] });
          expect(r.errors).toEqual([]);
          expect(r.phi.map((e) => e.fields.filter((f) => f === 'Person.mrn'))).toEqual([['Person.mrn']]);
          // mrn alone: exactly its outcome's class (id, when selected, adds the row rule's).
          expect(r.classes[0]).toEqual(q.includes(' id ') ? [...new Set(['clinical', cls])].sort() : [cls]);
        }
        const denied = await run(on, '{ person(id: "b") { mrn } }', {}, { ...clinician, grants: [...grants] });
        expect(denied.errors).toEqual(['["person"] FORBIDDEN']);
        expect(denied.phi).toEqual([]);
      }
    });

    it(`one document run again and again (its slots kept past the request) records by each request's outcome on ${engine}`, async () => {
      // graphql-jit keeps a compiled document's field nodes, and an operation no variable changes keeps its slots with
      // them: the next request, by someone whose identifier reads are unmasked, records under its own outcome.
      const kept = parse('{ person(id: "a") { mrn } connection(ids: ["a"]) { edges { node { mrn } } } }');
      const skipping = parse('query($s: Boolean!) { person(id: "a") { mrn @skip(if: $s) name } }');
      for (const grants of [[], ['identifiers'], [], ['identifiers']]) {
        const r = await run(on, kept, {}, { ...clinician, grants });
        expect(r.classes).toEqual([grants.length ? ['identifiers'] : ['clinical']]);
        for (const s of [false, true]) {
          const v = await run(on, skipping, { s }, { ...clinician, grants });
          expect(v.phi).toEqual([{ patientId: 'a', fields: s ? ['Person.name'] : ['Person.mrn', 'Person.name'] }]);
        }
      }
    });

    it(`rows inside a structure the resolver built (a connection's edges.node) are admitted by it on ${engine}`, async () => {
      const q = '{ connection(ids: ["a"]) { total x: edges { n: node { id } } edges { node { name } cursor } } }';
      const r = await run(on, q);
      expect(r.errors).toEqual([]);
      expect(r.phi).toEqual([{ patientId: 'a', fields: ['Person.id', 'Person.name'] }]);
      // Only the count selected: no row in the response, nothing recorded.
      expect((await run(on, '{ connection(ids: ["a"]) { total } }')).phi).toEqual([]);
      // A denied row inside (its resolver did not withhold it): the whole field fails closed.
      for (const id of ['b', 'bare']) {
        const denied = await run(on, `{ connection(ids: ["a", "${id}"]) { edges { node { id } } } }`);
        expect(denied.data).toEqual({ connection: null });
        expect(denied.errors).toEqual(['["connection"] FORBIDDEN']);
        expect(denied.phi).toEqual([]);
      }
    });
  }
});
