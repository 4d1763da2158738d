import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, DENNIS, FRANKIE, KARENA, LEAN } from '../connectors/ehr/helpers.js';
import { errorsAt, expectForbidden, expectMasked, expectOnlyForbidden, type GqlError } from '../support/api-assertions.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 2, "must hold": a protected field reached another way (another root, a back-reference, node(), aliases,
// fragments) is protected the same way, and nothing the caller sends can change who the caller is.

let h: Harness;
let carrollEncounterId: string;
let dennisSsn: string;

beforeAll(async () => {
  h = await startHarness();
  const oncology = await h.token({ roles: ['clinician'], departments: ['oncology'] });
  const enc = await h.gql<{ patient: { encounters: { id: string }[] } }>(oncology, `{ patient(id: "${CARROLL}") { encounters { id } } }`);
  carrollEncounterId = enc.body.data!.patient.encounters[0]!.id;
  const billing = await h.token({ roles: ['billing-manager'] });
  const ssn = await h.gql<{ patient: { ssn: string } }>(billing, `{ patient(id: "${DENNIS}") { ssn } }`);
  dennisSsn = ssn.body.data!.patient.ssn;
  expect(dennisSsn).toMatch(/^999-\d\d-\d{4}$/);
});
afterAll(() => h.stop());

/** Errors without `locations`, which legitimately differ between two spellings of the same selection. */
const withoutLocations = (errors: GqlError[] | undefined) =>
  (errors ?? []).map(({ message, path, extensions }) => ({ message, path, extensions }));

describe('(a) Claim.patient: billing reaches the patient again through a claim', () => {
  it('gets claims, but notes and conditions of the claim patient are FORBIDDEN null', async () => {
    const token = await h.token({ roles: ['billing-manager'] });
    const r = await h.gql<{ patient: { claims: { id: string; patient: { name: string; notes: unknown; conditions: unknown } }[] } }>(
      token,
      `query ($id: ID!) { patient(id: $id) { claims { id patient { name notes { text } conditions { display } } } } }`,
      { id: DENNIS },
    );
    const claims = r.body.data!.patient.claims;
    expect(claims.length).toBeGreaterThan(0);
    expectOnlyForbidden(r.body);
    claims.forEach((claim, i) => {
      expect(claim.id).toBeTruthy();
      expect(claim.patient.name).toBe('Dennis Durgan');
      expect(claim.patient.notes).toBeNull();
      expect(claim.patient.conditions).toBeNull();
      expectForbidden(r.body, ['patient', 'claims', i, 'patient', 'notes'], 'notes', 'role');
      expectForbidden(r.body, ['patient', 'claims', i, 'patient', 'conditions'], 'clinical', 'role');
    });
    expect(r.body.errors).toHaveLength(2 * claims.length);
  });
});

describe('(b) Encounter.subject: a nurse reaches notes through an encounter', () => {
  it('gets the encounters, but subject.notes is FORBIDDEN null for each, as on the direct path', async () => {
    const token = await h.token({ roles: ['nurse'], departments: ['cardiology'] });
    const direct = await h.gql<{ patient: { notes: unknown } }>(token, `{ patient(id: "${DENNIS}") { notes { text } } }`);
    expect(direct.body.data!.patient.notes).toBeNull();
    const directError = expectForbidden(direct.body, ['patient', 'notes'], 'notes', 'role');

    const r = await h.gql<{ patient: { encounters: { id: string; subject: { id: string; notes: unknown } }[] } }>(
      token,
      `{ patient(id: "${DENNIS}") { encounters { id subject { id notes { text } } } } }`,
    );
    const encounters = r.body.data!.patient.encounters;
    expect(encounters.length).toBeGreaterThan(0);
    encounters.forEach((encounter, i) => {
      expect(encounter.subject).toEqual({ id: DENNIS, notes: null });
      const error = expectForbidden(r.body, ['patient', 'encounters', i, 'subject', 'notes'], 'notes', 'role');
      expect(error.extensions).toEqual(directError.extensions);
    });
    expect(r.body.errors).toHaveLength(encounters.length);
  });
});

describe('(c) node(id)', () => {
  it('node(Patient/<id>) for front-desk: name returned, notes FORBIDDEN', async () => {
    const token = await h.token({ roles: ['front-desk'] });
    const r = await h.gql(token, `{ node(id: "Patient/${DENNIS}") { id ... on Patient { name notes { text } } } }`);
    expect(r.body.data).toEqual({ node: { id: DENNIS, name: 'Dennis Durgan', notes: null } });
    expectForbidden(r.body, ['node', 'notes'], 'notes', 'role');
    expect(r.body.errors).toHaveLength(1);
  });

  it('node(Encounter/<id>) of an out-of-department patient: withheld whole, one FORBIDDEN (department)', async () => {
    const query = `{ node(id: "Encounter/${carrollEncounterId}") { ... on Encounter { type status start end serviceProvider subject { ` +
      `name notes { text } } } } }`;
    const fields = ['type', 'status', 'start', 'end', 'serviceProvider', 'subject'];

    const allowed = await h.gql<{ node: Record<string, unknown> }>(
      await h.token({ roles: ['clinician'], departments: ['oncology'] }),
      query,
    );
    // Carroll's progress note names her depression: it is withheld (said once), the rest is there.
    expect(allowed.body.errors?.map((e) => [e.path?.join('.'), e.extensions?.failedScope, e.extensions?.withheld])).toEqual([
      ['node.subject.notes', 'grant', true],
    ]);
    expect(allowed.body.data!.node.status).toBe('finished');
    expect(allowed.body.data!.node.subject).toMatchObject({ name: "Carroll471 O'Hara248" });

    // A row the caller may not read is withheld whole (rules/field-decision.ts decideRow): no field of it, one error.
    const r = await h.gql(await h.token({ roles: ['clinician'], departments: ['cardiology'] }), query);
    expect(r.body.data).toEqual({ node: null });
    const error = expectForbidden(r.body, ['node'], 'encounters', 'department');
    expect(String(error.extensions?.howToGet)).toContain('cardiology');
    expect(r.body.errors).toHaveLength(1);
    void fields;
  });

  it('node(Encounter/<id>) selecting the non-null id nulls the whole node', async () => {
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
    const r = await h.gql(token, `{ node(id: "Encounter/${carrollEncounterId}") { id ... on Encounter { type } } }`);
    expect(r.body.data).toEqual({ node: null });
    expectForbidden(r.body, ['node'], 'encounters', 'department');
    expectOnlyForbidden(r.body);
  });
});

describe('(d) aliases', () => {
  it('front-desk: notes denied under the alias path, ssn masked under its alias', async () => {
    const token = await h.token({ roles: ['front-desk'] });
    const r = await h.gql<{ a: { x: unknown; y: string } }>(
      token,
      `query ($id: ID!) { a: patient(id: $id) { x: notes { text } y: ssn } }`,
      { id: DENNIS },
    );
    expect(r.body.data!.a.x).toBeNull();
    expectMasked(r.body.data!.a.y, dennisSsn);
    expectForbidden(r.body, ['a', 'x'], 'notes', 'role');
    expect(errorsAt(r.body, ['patient', 'notes'])).toEqual([]);
    expect(r.body.errors).toHaveLength(1);
  });
});

describe('(e) fragments', () => {
  const PLAIN = `query ($id: ID!) { patient(id: $id) { name notes { text } ssn } }`;
  const FRAGMENTED = [
    // named
    `query ($id: ID!) { patient(id: $id) { ...P } } fragment P on Patient { name notes { text } ssn }`,
    // inline
    `query ($id: ID!) { patient(id: $id) { ... on Patient { name notes { text } ssn } } }`,
    // nested: named inside inline inside named, each field from a different level
    `query ($id: ID!) { patient(id: $id) { ...Outer } }
     fragment Outer on Patient { name ... on Patient { ...Inner ... { ssn } } }
     fragment Inner on Patient { notes { ...N } }
     fragment N on ClinicalNote { text }`,
    // through the Node interface
    `query ($id: ID!) { patient: node(id: $id) { ... on Node { ... on Patient { ...P } } } } fragment P on Patient { name notes { text } ` +
    `ssn }`,
  ];

  it.each(
    FRAGMENTED.map((query, i) => ({ i, query })),
  )('fragment shape #$i gives the same answer as the plain selection', async ({ i, query }) => {
    const token = await h.token({ roles: ['front-desk'] });
    const plain = await h.gql<{ patient: { name: string; notes: unknown; ssn: string } }>(token, PLAIN, { id: DENNIS });
    expect(plain.body.data!.patient.notes).toBeNull();
    expectMasked(plain.body.data!.patient.ssn, dennisSsn);
    expectForbidden(plain.body, ['patient', 'notes'], 'notes', 'role');

    const r = await h.gql(token, query, { id: i === 3 ? `Patient/${DENNIS}` : DENNIS });
    expect(r.body.data).toEqual(plain.body.data);
    expect(withoutLocations(r.body.errors)).toEqual(withoutLocations(plain.body.errors));
  });
});

describe('(f) the same forbidden field under 10 aliases', () => {
  it('gives 10 FORBIDDEN errors and no data', async () => {
    const token = await h.token({ roles: ['front-desk'] });
    const aliases = Array.from({ length: 10 }, (_, i) => `n${i}`);
    const r = await h.gql<{ patient: Record<string, unknown> }>(
      token,
      `{ patient(id: "${DENNIS}") { ${aliases.map((a) => `${a}: notes { id text }`).join(' ')} } }`,
    );
    expect(r.body.data).toEqual({ patient: Object.fromEntries(aliases.map((a) => [a, null])) });
    expect(r.body.errors).toHaveLength(10);
    for (const a of aliases) expectForbidden(r.body, ['patient', a], 'notes', 'role');
  });
});

describe('(g) tenant isolation', () => {
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';

  it('an acme clinician asking for globex patients gets null with no error, exactly like an unknown id', async () => {
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology', 'oncology', 'pediatrics', 'primary-care'] });
    const q = `query ($id: ID!, $gid: ID!) { patient(id: $id) { id name conditions { display } } node(id: $gid) { id ... on Patient { ` +
      `name } } }`;
    const unknown = await h.gql(token, q, { id: UNKNOWN, gid: `Patient/${UNKNOWN}` });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ data: { patient: null, node: null } });
    for (const id of [LEAN, KARENA]) {
      const r = await h.gql(token, q, { id, gid: `Patient/${id}` });
      expect(r.status).toBe(200);
      expect(r.body).toEqual(unknown.body);
    }
  });

  it('a globex token sees LEAN, and gets null for an acme patient', async () => {
    const token = await h.token({ roles: ['clinician'], tenant: 'globex', departments: ['oncology'] });
    const r = await h.gql(token, `query ($id: ID!) { patient(id: $id) { id name department } }`, { id: LEAN });
    expect(r.body).toEqual({ data: { patient: { id: LEAN, name: 'Lean294 Davis923', department: 'oncology' } } });
    const acme = await h.gql(token, `query ($id: ID!) { patient(id: $id) { id name } node(id: "Patient/${DENNIS}") { id } }`, {
      id: DENNIS,
    });
    expect(acme.body).toEqual({ data: { patient: null, node: null } });
  });
});

describe('(h) sensitive conditions', () => {
  type Cond = { id: string; code: string | null; display: string | null; sensitive: boolean };
  const Q = `query ($id: ID!) { patient(id: $id) { conditions { id code display sensitive } } }`;

  async function conditionsOf(id: string, department: string, grants: string[]) {
    const token = await h.token({ roles: ['clinician'], departments: [department], grants });
    const r = await h.gql<{ patient: { conditions: Cond[] } }>(token, Q, { id });
    return { body: r.body, conditions: r.body.data!.patient.conditions };
  }

  it.each([
    { name: 'CARROLL (mental health)', id: CARROLL, department: 'oncology', code: '36923009', display: 'Major depression, single episode' },
    { name: 'FRANKIE (HIV)', id: FRANKIE, department: 'primary-care', code: '86406008', display: 'Human immunodeficiency virus infection' },
  ])(
    '$name: withheld whole without the sensitive grant (one FORBIDDEN grant on the list), visible with it',
    async ({ id, department, code, display }) => {
      const without = await conditionsOf(id, department, []);
      // Not its id, not `sensitive: true`: the row is not there at all.
      expect(without.conditions.some((c) => c.sensitive || c.id === `seed-sensitive-${id}`)).toBe(false);
      const error = expectForbidden(without.body, ['patient', 'conditions'], 'sensitive', 'grant');
      expect(error.extensions).toMatchObject({ grant: 'sensitive', withheld: true, requestAccess: { requestedGrant: 'sensitive' } });
      expect(JSON.stringify(error)).not.toContain(`seed-sensitive-${id}`);
      expect(without.body.errors).toHaveLength(1);
      // The other conditions are unaffected.
      for (const c of without.conditions) expect(c.display).toBeTruthy();

      const granted = await conditionsOf(id, department, ['sensitive']);
      expect(granted.body.errors).toBeUndefined();
      expect(granted.conditions).toContainEqual({ id: `seed-sensitive-${id}`, code, display, sensitive: true });
      expect(granted.conditions).toHaveLength(without.conditions.length + 1);
    },
  );

  it('the sensitive grant does not reach outside the departments', async () => {
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
    const direct = await h.gql(token, Q, { id: CARROLL });
    expect(direct.body.data).toEqual({ patient: { conditions: null } });
    expectForbidden(direct.body, ['patient', 'conditions'], 'clinical', 'department');
  });

  it('the sensitive grant on a role it is not meant for (nurse) gives nothing', async () => {
    const token = await h.token({ roles: ['nurse'], departments: ['oncology'], grants: ['sensitive'] });
    const r = await h.gql(token, Q, { id: CARROLL });
    expect(r.body.data).toEqual({ patient: { conditions: null } });
    expectForbidden(r.body, ['patient', 'conditions'], 'clinical', 'role');
  });
});

describe('(i) principal kind', () => {
  it('an agent token holding the clinician role gets nothing (failedScope principal-kind)', async () => {
    const token = await h.token({ roles: ['clinician'], kind: 'agent', departments: ['cardiology'] });
    const r = await h.gql(
      token,
      `{ patient(id: "${DENNIS}") { id name notes { text } } node(id: "Patient/${DENNIS}") { id } patients(first: 5) { edges { cursor } ` +
      `} }`,
    );
    expect(r.body.data).toEqual({ patient: null, node: null, patients: null });
    for (const root of ['patient', 'node', 'patients']) expectForbidden(r.body, [root], 'demographics', 'principal-kind');
    expect(r.body.errors).toHaveLength(3);

    const user = await h.gql(
      await h.token({ roles: ['clinician'], kind: 'user', departments: ['cardiology'] }),
      `{ patient(id: "${DENNIS}") { name } }`,
    );
    expect(user.body).toEqual({ data: { patient: { name: 'Dennis Durgan' } } });
  });
});

describe('(j) SMART scopes narrow a role', () => {
  it('clinician with user/Patient.rs user/Observation.rs gets observations but not notes or conditions', async () => {
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'], scope: 'user/Patient.rs user/Observation.rs' });
    const r = await h.gql<{ patient: { name: string; observations: { code: string }[]; notes: unknown; conditions: unknown } }>(
      token,
      `{ patient(id: "${DENNIS}") { name observations(count: 3) { code value } notes { text } conditions { display } } }`,
    );
    const p = r.body.data!.patient;
    expect(p.name).toBe('Dennis Durgan');
    expect(p.observations).toHaveLength(3);
    expect(p.notes).toBeNull();
    expect(p.conditions).toBeNull();
    expectForbidden(r.body, ['patient', 'notes'], 'notes', 'smart-scope');
    expectForbidden(r.body, ['patient', 'conditions'], 'clinical', 'smart-scope');
    expect(r.body.errors).toHaveLength(2);

    const unscoped = await h.gql(
      await h.token({ roles: ['clinician'], departments: ['cardiology'] }),
      `{ patient(id: "${DENNIS}") { notes { text } } }`,
    );
    expect(unscoped.body.errors).toBeUndefined();
  });
});

describe('(k) identity never comes from arguments', () => {
  // Claims that make up the caller's identity (a `department` or `kind` filter would be data, not identity).
  const IDENTITY_NAMES = ['tenant', 'tenantid', 'role', 'roles', 'sub', 'departments', 'grants', 'mfa', 'principal'];

  interface IntrospectedType {
    name: string;
    kind: string;
    fields: { name: string; args: { name: string }[] }[] | null;
    inputFields: { name: string }[] | null;
  }

  it('no argument and no input field of the served schema is named like an identity claim', async () => {
    const token = await h.token({ roles: ['front-desk'] });
    const r = await h.gql<{ __schema: { types: IntrospectedType[]; directives: { name: string; args: { name: string }[] }[] } }>(
      token,
      `{ __schema { types { name kind fields(includeDeprecated: true) { name args { name } } inputFields { name } } directives { name ` +
      `args { name } } } }`,
    );
    expect(r.body.errors).toBeUndefined();
    const { types, directives } = r.body.data!.__schema;
    const inputs: string[] = [];
    for (const type of types.filter((t) => !t.name.startsWith('__'))) {
      for (const field of type.fields ?? []) for (const arg of field.args) inputs.push(`${type.name}.${field.name}(${arg.name})`);
      for (const inputField of type.inputFields ?? []) inputs.push(`${type.name}.${inputField.name}`);
    }
    // The walk sees the arguments that do exist (so an empty walk cannot pass by accident).
    expect(inputs).toEqual(
      expect.arrayContaining(['Query.patient(id)', 'Query.node(id)', 'Query.patients(first)', 'Patient.observations(count)']),
    );
    const named = (entry: string) => (/[.(]([A-Za-z_]+)\)?$/.exec(entry)?.[1] ?? '').toLowerCase();
    expect(inputs.filter((entry) => IDENTITY_NAMES.includes(named(entry)))).toEqual([]);
    // Custom directives could smuggle it too; only the built-in ones exist.
    const custom = directives.filter((d) => !['include', 'skip', 'deprecated', 'specifiedBy', 'oneOf'].includes(d.name));
    expect(custom.flatMap((d) => d.args.map((a) => `@${d.name}(${a.name})`)).filter((a) => IDENTITY_NAMES.includes(named(a)))).toEqual([]);
  });

  it('me reflects the token, and a tenant argument is refused rather than honoured', async () => {
    const token = await h.token({ roles: ['clinician'], departments: ['cardiology'], sub: 'dr-a' });
    const me = await h.gql(token, '{ me { sub tenant roles } }');
    expect(me.body).toEqual({ data: { me: { sub: 'dr-a', tenant: 'acme', roles: ['clinician'] } } });
    const r = await h.gql(token, `{ patient(id: "${LEAN}", tenant: "globex") { name } }`);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
