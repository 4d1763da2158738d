import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHET, DENNIS } from '../connectors/ehr/helpers.js';
import { errorAt, type ErrorsBody } from '../support/api-assertions.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';

// Issue 2, "must hold": bad input is answered with BAD_USER_INPUT naming the argument, an unknown id is simply not
// there, paging is capped and consistent, and values the client sent (which can be PHI) are never echoed back in an
// error message or written to the log.

const ALL_DEPARTMENTS = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await h.token({ roles: ['clinician'], departments: ALL_DEPARTMENTS });
});
afterAll(() => h.stop());

interface Page {
  patients: {
    edges: { cursor: string; node: { id: string; name: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}
const PAGE = `query ($first: Int, $after: String, $name: String) {
  patients(first: $first, after: $after, name: $name) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } }
}`;

function expectBadInput(body: ErrorsBody, path: (string | number)[], field: string): void {
  const error = errorAt(body, path);
  expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(body.errors).toHaveLength(1);
}

describe('patient ids', () => {
  it('an unknown (well-formed) id is null with no error', async () => {
    const r = await h.gql(token, `query ($id: ID!) { patient(id: $id) { id name } }`, { id: 'no-such-patient-123' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { patient: null } });
  });

  it.each(
    ['../Patient', 'a b', 'x'.repeat(65), '', 'Patient/abc', 'abc?_id=1'],
  )('malformed id %j → BAD_USER_INPUT on field id', async (id) => {
    const r = await h.gql(token, `query ($id: ID!) { patient(id: $id) { id name } }`, { id });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ patient: null });
    expectBadInput(r.body, ['patient'], 'id');
  });

  it('64 characters is still a valid id shape (the limit is exactly 64)', async () => {
    const r = await h.gql(token, `query ($id: ID!) { patient(id: $id) { id } }`, { id: 'x'.repeat(64) });
    expect(r.body).toEqual({ data: { patient: null } });
  });

  it.each(
    ['Patient', 'Observation/abc', `Patient/${DENNIS}/x`, 'Patient/../x', `Encounter/a b`],
  )('malformed global id %j → BAD_USER_INPUT on field id', async (id) => {
    const r = await h.gql(token, `query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(r.body.data).toEqual({ node: null });
    expectBadInput(r.body, ['node'], 'id');
  });
});

describe('patients paging', () => {
  it('rejects first above the cap (100), zero and negative; accepts 100', async () => {
    for (const first of [101, 0, -1]) {
      const r = await h.gql<Page>(token, PAGE, { first });
      expect(r.body.data).toEqual({ patients: null });
      expectBadInput(r.body, ['patients'], 'first');
      expect(r.body.errors![0]!.message).toContain('100');
    }
    const ok = await h.gql<Page>(token, PAGE, { first: 100 });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.patients!.edges).toHaveLength(8);
  });

  it.each([
    ['not a cursor', 'not-a-cursor'],
    ['negative offset', Buffer.from('offset:-1').toString('base64url')],
    ['non-numeric offset', Buffer.from('offset:abc').toString('base64url')],
    ['empty', ''],
  ])('a bad after cursor (%s) → BAD_USER_INPUT on field after', async (_label, after) => {
    const r = await h.gql<Page>(token, PAGE, { first: 3, after });
    expect(r.body.data).toEqual({ patients: null });
    expectBadInput(r.body, ['patients'], 'after');
  });

  it('pages of 3 follow endCursor without overlap and cover the tenant, hasNextPage false at the end', async () => {
    const all = await h.gql<Page>(token, PAGE, { first: 100 });
    const everyone = all.body.data!.patients!.edges.map((e) => e.node.id);
    expect(everyone).toHaveLength(8);
    expect(all.body.data!.patients!.pageInfo.hasNextPage).toBe(false);

    const seen: string[] = [];
    const sizes: number[] = [];
    const hasNext: boolean[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r: GqlResponse<Page> = await h.gql<Page>(token, PAGE, { first: 3, after });
      expect(r.body.errors).toBeUndefined();
      const page = r.body.data!.patients!;
      seen.push(...page.edges.map((e) => e.node.id));
      sizes.push(page.edges.length);
      hasNext.push(page.pageInfo.hasNextPage);
      if (page.edges.length > 0) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(sizes).toEqual([3, 3, 2]);
    expect(hasNext).toEqual([true, true, false]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(everyone); // same order as one big page
  });

  it('name filters the search', async () => {
    const dennis = await h.gql<Page>(token, PAGE, { name: 'Durgan' });
    expect(dennis.body.data!.patients!.edges.map((e) => e.node)).toEqual([{ id: DENNIS, name: 'Dennis Durgan' }]);
    const chet = await h.gql<Page>(token, PAGE, { name: 'Chet' });
    expect(chet.body.data!.patients!.edges.map((e) => e.node.id)).toEqual([CHET]);
    const nobody = await h.gql<Page>(token, PAGE, { name: 'Zzyzxnobody' });
    expect(nobody.body.data!.patients).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('the page cap is configurable (MAX_PAGE_SIZE)', () => {
  let small: Harness;
  beforeAll(async () => {
    small = await startHarness({ env: { MAX_PAGE_SIZE: '5', DEFAULT_PAGE_SIZE: '3' } });
  });
  afterAll(() => small.stop());

  it('caps at 5; an explicit first: null takes DEFAULT_PAGE_SIZE (3)', async () => {
    const t = await small.token({ roles: ['front-desk'] });
    const over = await small.gql<Page>(t, PAGE, { first: 6 });
    expect(over.body.data).toEqual({ patients: null });
    expectBadInput(over.body, ['patients'], 'first');
    expect(over.body.errors![0]!.message).toBe('first must be between 1 and 5');
    const max = await small.gql<Page>(t, PAGE, { first: 5 });
    expect(max.body.data!.patients!.edges).toHaveLength(5);
    const explicitNull = await small.gql<Page>(t, `{ patients(first: null) { edges { cursor } pageInfo { hasNextPage } } }`);
    expect(explicitNull.body.errors).toBeUndefined();
    expect(explicitNull.body.data!.patients!.edges).toHaveLength(3);
  });

  // BUG (schema/patients.graphql): `patients(first: Int = 20, ...)` has an SDL default, so an omitted `first` arrives
  // as 20 and DEFAULT_PAGE_SIZE never applies; with MAX_PAGE_SIZE below 20 a plain `patients { ... }` is refused.
  // Expected: omitted first = DEFAULT_PAGE_SIZE. Remove `.fails` once the SDL default is dropped.
  it('an omitted first takes DEFAULT_PAGE_SIZE (3), not the SDL default 20', async () => {
    const t = await small.token({ roles: ['front-desk'] });
    const byDefault = await small.gql<Page>(t, `{ patients { edges { cursor } pageInfo { hasNextPage } } }`);
    expect(byDefault.body.errors).toBeUndefined();
    expect(byDefault.body.data!.patients!.edges).toHaveLength(3);
  });
});

describe('observations count', () => {
  it.each([1000, 101, 0])('count %i → BAD_USER_INPUT on field count; the rest of the patient still answers', async (count) => {
    const r = await h.gql(token, `query ($id: ID!, $count: Int) { patient(id: $id) { name observations(count: $count) { id } } }`, {
      id: DENNIS,
      count,
    });
    expect(r.body.data).toEqual({ patient: { name: 'Dennis Durgan', observations: null } });
    expectBadInput(r.body, ['patient', 'observations'], 'count');
  });

  it('count 100 is allowed', async () => {
    const r = await h.gql<{ patient: { observations: unknown[] } }>(
      token,
      `{ patient(id: "${DENNIS}") { observations(count: 100) { id } } }`,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.patient.observations).toHaveLength(100);
  });
});

describe('malformed documents', () => {
  it('a syntax error → HTTP 400, BAD_USER_INPUT with reason GRAPHQL_PARSE_FAILED, no data', async () => {
    const r = await h.gql(token, `{ patient(id: "${DENNIS}") { name `);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
  });

  it.each([
    ['an unknown field', `{ patient(id: "${DENNIS}") { nam } }`, 'Cannot query field "nam" on type "Patient".'],
    ['an unknown argument', `{ patient(idd: "${DENNIS}") { name } }`, 'Unknown argument "idd" on field "Query.patient".'],
    ['an unknown type in a fragment', `{ node(id: "Patient/${DENNIS}") { ... on Patien { name } } }`, 'Unknown type "Patien".'],
  ])('%s → HTTP 400 BAD_USER_INPUT with no "Did you mean" suggestion', async (_label, query, message) => {
    const r = await h.gql(token, query);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
    expect(r.body.errors![0]!.message).toBe(message);
    expect(JSON.stringify(r.body)).not.toMatch(/did you mean/i);
  });
});

describe('values the client sent are never echoed', () => {
  const cases: { name: string; canary: string; query: string; variables?: Record<string, unknown> }[] = [
    {
      name: 'an object for $id: ID!',
      canary: 'Zyx-CANARY-123',
      query: `query ($id: ID!) { patient(id: $id) { name } }`,
      variables: { id: { canary: 'Zyx-CANARY-123' } },
    },
    {
      name: 'a string for an Int variable',
      canary: 'Zyx-CANARY-456',
      query: `query ($n: Int) { patients(first: $n) { edges { cursor } } }`,
      variables: { n: 'Zyx-CANARY-456' },
    },
    {
      name: 'a list for a String variable',
      canary: 'Zyx-CANARY-457',
      query: `query ($s: String) { patients(name: $s) { edges { cursor } } }`,
      variables: { s: ['Zyx-CANARY-457'] },
    },
    {
      name: 'a string literal for an Int argument',
      canary: 'Zyx-CANARY-789',
      query: `{ patients(first: "Zyx-CANARY-789") { edges { cursor } } }`,
    },
    {
      name: 'an object literal for an ID argument',
      canary: 'Zyx-CANARY-790',
      query: `{ patient(id: { ssn: "Zyx-CANARY-790" }) { name } }`,
    },
    { name: 'a string in a syntax error', canary: 'Zyx-CANARY-791', query: `{ patient(id: "Zyx-CANARY-791" { name } }` },
    { name: 'a string in an invalid id', canary: 'Zyx CANARY 792', query: `{ patient(id: "Zyx CANARY 792") { name } }` },
  ];

  it.each(cases)('$name: BAD_USER_INPUT, and the canary is in no message and no log line', async ({ canary, query, variables }) => {
    const logFrom = h.logLines.length;
    const r = await h.gql(token, query, variables);
    expect(r.body.errors!.length).toBeGreaterThan(0);
    for (const e of r.body.errors!) expect(e.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(r.body)).not.toContain(canary);
    expect(JSON.stringify(r.body)).not.toContain('CANARY');
    const logs = h.logLines.slice(logFrom).join('\n');
    expect(logs).not.toContain('CANARY');
  });
});
