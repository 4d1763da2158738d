import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { CARROLL, CHET, DENNIS, FRANKIE, LEAN } from '../connectors/ehr/helpers.js';

// Issue 17, compiled execution: the gateway as shipped (EXECUTION_ENGINE unset: graphql-jit) and the same gateway with
// EXECUTION_ENGINE=graphql-js answer every request of a set byte for byte alike (status and JSON body), errors
// included: FORBIDDEN at a field, withheld rows, NOT_FOUND from a mutation, BAD_USER_INPUT from a resolver, from
// variables and from validation, abstract types, fragments, @skip/@include; on jit both the first (cold, graphql-js)
// and the second (compiled) use of each document. The engine in use shows in
// clearance_graphql_executions_total (by path), which is how an operator sees it too.

let jit: Harness;
let js: Harness;

beforeAll(async () => {
  [jit, js] = await Promise.all([startHarness(), startHarness({ env: { EXECUTION_ENGINE: 'graphql-js' } })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([jit?.stop(), js?.stop()]);
});

interface Case {
  readonly name: string;
  readonly as: { roles: string[]; departments?: string[]; grants?: string[]; mfa?: boolean };
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  /** What the answer must hold (so a case cannot pass by both engines failing the same dull way). */
  readonly expect: (body: Body, status: number) => void;
}

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

const clinician = { roles: ['clinician'], departments: ['cardiology'] };
const codes = (b: Body) => (b.errors ?? []).map((e) => String(e.extensions?.code));
const CHART = '{ id name gender birthDate department mrn ssn conditions { code display sensitive } '
  + 'observations(count: 3) { code value unit } }';

const CASES: Case[] = [
  {
    name: 'a chart in the caller\'s department',
    as: clinician,
    query: `{ patient(id: "${CHET}") ${CHART} }`,
    expect: (b) => expect((b.data?.patient as { id: string }).id).toBe(CHET),
  },
  {
    name: 'FORBIDDEN fields of a role without clinical access (billing reads notes and ssn)',
    as: { roles: ['billing'] },
    query: `{ patient(id: "${DENNIS}") { id name ssn notes { title } coverage { payer } } }`,
    expect: (b) => expect(codes(b)).toContain('FORBIDDEN'),
  },
  {
    name: 'an out-of-department patient',
    as: clinician,
    query: `{ patient(id: "${CARROLL}") { id name conditions { code } } }`,
    expect: (b) => expect(codes(b)).toContain('FORBIDDEN'),
  },
  {
    name: 'withheld rows (a sensitive condition without the grant)',
    as: { roles: ['clinician'], departments: ['oncology', 'primary-care'] },
    query: `{ a: patient(id: "${CARROLL}") { conditions { code sensitive } } b: patient(id: "${FRANKIE}") { conditions { code } } }`,
    expect: (b) => expect((b.errors ?? []).some((e) => e.extensions?.withheld === true)).toBe(true),
  },
  {
    name: 'a list with fragments, aliases and @skip/@include from variables',
    as: { roles: ['clinician'], departments: ['cardiology', 'oncology', 'primary-care'], grants: ['sensitive'] },
    query: `query List($with: Boolean!, $without: Boolean!) {
      patients(first: 5) { edges { cursor node { ...P n: name mrn @include(if: $with) ssn @skip(if: $without) } } pageInfo { hasNextPage } }
    } fragment P on Patient { id __typename conditions { display } }`,
    variables: { with: true, without: true },
    expect: (b) => expect((b.data?.patients as { edges: unknown[] }).edges.length).toBe(5),
  },
  {
    name: 'the Node interface: a patient, an encounter, another tenant\'s patient',
    as: { roles: ['clinician'], departments: ['cardiology'] },
    query: `{ a: node(id: "Patient/${CHET}") { __typename id ... on Patient { name } } b: node(id: "Patient/${LEAN}") { id }
      me { sub roles } }`,
    expect: (b) => expect((b.data?.a as { __typename: string }).__typename).toBe('Patient'),
  },
  {
    name: 'BAD_USER_INPUT from a resolver (an invalid FHIR id)',
    as: clinician,
    query: '{ patient(id: "not a valid id!") { id } }',
    expect: (b) => expect(codes(b)).toEqual(['BAD_USER_INPUT']),
  },
  {
    name: 'BAD_USER_INPUT from variables that do not coerce (graphql-js reports them on both paths)',
    as: clinician,
    query: 'query Page($n: Int) { patients(first: $n) { edges { node { id } } } }',
    variables: { n: 'twenty' },
    expect: (b, status) => {
      expect(codes(b)).toEqual(['BAD_USER_INPUT']);
      expect(status).toBe(400);
    },
  },
  {
    name: 'BAD_USER_INPUT from validation (an unknown field)',
    as: clinician,
    query: `{ patient(id: "${CHET}") { id shoeSize } }`,
    expect: (b) => expect(codes(b)).toEqual(['BAD_USER_INPUT']),
  },
  {
    name: 'NOT_FOUND from a mutation (break-glass to a patient that does not exist)',
    as: clinician,
    query: 'mutation { breakGlass(patientId: "no-such-patient", reason: "differential test of the two engines") { id } }',
    expect: (b) => expect(codes(b)).toEqual(['NOT_FOUND']),
  },
  {
    name: 'one operation of several, by name',
    as: clinician,
    query: `query A { me { sub } } query B { patient(id: "${CHET}") { name } }`,
    operationName: 'B',
    expect: (b) => expect(b.data?.patient).toBeTruthy(),
  },
  {
    name: 'several operations and no name (graphql-js\'s own refusal on both paths)',
    as: clinician,
    query: 'query A { me { sub } } query B { me { tenant } }',
    expect: (b) => expect(codes(b)).toEqual(['BAD_USER_INPUT']),
  },
  {
    name: 'introspection',
    as: clinician,
    query: '{ __type(name: "Patient") { name kind interfaces { name } fields { name type { kind name ofType { name } } } } }',
    expect: (b) => expect((b.data?.__type as { name: string }).name).toBe('Patient'),
  },
];

async function ask(h: Harness, c: Case): Promise<{ status: number; body: Body }> {
  const token = await h.token({ sub: 'engine-diff', ...c.as });
  const res = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: c.query, variables: c.variables, operationName: c.operationName }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

async function executions(h: Harness): Promise<Record<string, number>> {
  const text = await (await fetch(h.url.replace(/\/graphql$/, '/metrics'))).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^clearance_graphql_executions_total\{path="([^"]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

describe('EXECUTION_ENGINE=jit and graphql-js answer alike', () => {
  it.each(CASES)('$name', async (c) => {
    // Twice on jit: the first use of a document runs on graphql-js (COLD), the second compiled.
    const [cold, compiled, b] = [await ask(jit, c), await ask(jit, c), await ask(js, c)];
    c.expect(compiled.body, compiled.status);
    expect(compiled).toEqual(b);
    expect(cold).toEqual(b);
  });

  it('the engine in use: jit compiles, and falls back to graphql-js per operation only where it says why', async () => {
    const [onJit, onJs] = [await executions(jit), await executions(js)];
    expect(onJit.jit).toBeGreaterThanOrEqual(8);
    expect(onJit['fallback:REQUEST_ERROR']).toBe(1);
    expect(onJit['fallback:NOT_COMPILABLE']).toBe(1);
    expect(onJit['fallback:COLD']).toBeGreaterThanOrEqual(10);
    expect(onJit['graphql-js']).toBeUndefined();
    expect(onJs['graphql-js']).toBeGreaterThanOrEqual(10);
    expect(Object.keys(onJs)).toEqual(['graphql-js']);
  });
});
