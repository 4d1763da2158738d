import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 8: a patient list asks the FHIR server only for the elements its nodes select (`_elements`,
// https://hl7.org/fhir/R4/search.html#elements), measured at the embedded FHIR server over HTTP, and answers exactly
// what the same query over whole resources answers: same values, same denials, the guard never thinner.

const ALL_DEPARTMENTS = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];
let h: Harness;
let everywhere: string;
let cardiology: string;

beforeAll(async () => {
  h = await startHarness();
  everywhere = await h.token({ roles: ['clinician'], departments: ALL_DEPARTMENTS, grants: ['sensitive', 'identifiers'] });
  cardiology = await h.token({ roles: ['clinician'], departments: ['cardiology'] });
}, 60_000);
afterAll(() => h.stop());

/** The query's result and the `_elements` of the Patient searches it sent (null: whole resources). */
async function run(token: string, query: string) {
  const from = h.running.fhir!.requests.length;
  const r = await h.gql<{ patients: { edges: { cursor: string; node?: Record<string, unknown> | null }[] } }>(token, query);
  const searches = h.running.fhir!.requests.slice(from).filter((q) => q.url.startsWith('Patient?'));
  const elements = searches.map((q) => new URLSearchParams(q.url.split('?')[1]).get('_elements'));
  return { body: r.body, elements };
}

const errorsOf = (body: { errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] }) =>
  (body.errors ?? [])
    .map((e) => `${JSON.stringify(e.path)} ${String(e.extensions?.code)} ${String(e.extensions?.failedScope ?? '')}`)
    .sort();

describe('_elements on patient lists', () => {
  it('asks for the selected elements and the guard\'s, and answers as whole resources would', async () => {
    const few = await run(everywhere, '{ patients(first: 20) { edges { node { id name department mrn } } } }');
    expect(few.elements).toEqual(['id,meta,managingOrganization,name,identifier']);
    // A list selecting a field outside the mapping's reach cannot exist (the schema test keeps the map complete), so
    // the whole-resource reference is the same list with every scalar field selected.
    const all = await run(
      everywhere,
      '{ patients(first: 20) { edges { node { id name department mrn gender birthDate ssn address { city } telecom { value } } } } }',
    );
    expect(all.elements).toEqual(['id,meta,managingOrganization,name,identifier,gender,birthDate,address,telecom']);
    const pick = (n: Record<string, unknown> | null | undefined) => ({ id: n?.id, name: n?.name, department: n?.department, mrn: n?.mrn });
    expect(few.body.data!.patients.edges.map((e) => pick(e.node))).toEqual(all.body.data!.patients.edges.map((e) => pick(e.node)));
    expect(few.body.data!.patients.edges.length).toBeGreaterThan(5);
  });

  it('denies the same rows for a clinician of one department (the guard comes whole)', async () => {
    const few = await run(cardiology, '{ patients(first: 20) { edges { node { id conditions { display } } } } }');
    const more = await run(
      cardiology,
      '{ patients(first: 20) { edges { node { id name gender telecom { value } conditions { display } } } } }',
    );
    expect(few.elements).toEqual(['id,meta,managingOrganization']);
    const conditionErrors = (b: typeof few.body) => errorsOf(b).filter((e) => e.includes('"conditions"'));
    expect(conditionErrors(few.body).length).toBeGreaterThan(0);
    expect(conditionErrors(few.body)).toEqual(conditionErrors(more.body));
    expect(few.body.data!.patients.edges.map((e) => e.node?.conditions ?? null)).toEqual(
      more.body.data!.patients.edges.map((e) => e.node?.conditions ?? null),
    );
  });

  it('follows aliases, fragments and inline fragments; a page of cursors asks for the guard only', async () => {
    const q = `{ patients(first: 5) { edges { node { who: name ...F ... on Patient { birthDate } } } } }
      fragment F on Patient { gender conditions { display } }`;
    const r = await run(everywhere, q);
    expect(r.elements[0]!.split(',').sort()).toEqual(['birthDate', 'gender', 'id', 'managingOrganization', 'meta', 'name']);
    expect(r.body.data!.patients.edges.every((e) => typeof e.node!.who === 'string' && typeof e.node!.gender === 'string')).toBe(true);
    expect((await run(everywhere, '{ patients(first: 3) { edges { cursor } } }')).elements).toEqual(['id,meta,managingOrganization']);
  });

  it('never serves a subset row to another path: Encounter.subject of a listed patient has its whole record', async () => {
    const r = await run(
      everywhere,
      '{ patients(first: 10) { edges { node { id encounters { subject { id address { city } telecom { value } } } } } } }',
    );
    expect(r.body.errors).toBeUndefined();
    const subjects = r.body.data!.patients.edges.flatMap((e) =>
      (e.node!.encounters as { subject: { id: string; address: { city: string }[]; telecom: unknown[] } }[]).map((x) => x.subject),
    );
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects.slice(0, 5)) {
      const direct = await h.gql<{ patient: { address: unknown; telecom: unknown } }>(
        everywhere,
        `{ patient(id: "${s.id}") { address { city } telecom { value } } }`,
      );
      expect({ address: s.address, telecom: s.telecom }).toEqual(direct.body.data!.patient);
      expect(s.address.length).toBeGreaterThan(0);
    }
  });
});
