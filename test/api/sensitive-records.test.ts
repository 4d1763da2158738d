import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantSeed } from '../../connectors/ehr/seed.js';
import { defaultPolicy } from '../../rules/policy-document.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import { HANK, PLAIN_IDS, SENSITIVE_IDS, SENSITIVE_WORDS, sensitiveRecordsBundle } from '../support/sensitive-records.js';

// Issue 13, item 1: extra sensitive records, most without labels (as real EHR data comes), on every resource type the
// gateway reads, checked for every role of the policy. Only a clinician of the patient's department holding the
// sensitive grant sees them; everyone else who reads the list gets the other rows and ONE FORBIDDEN (grant) per list
// saying rows were withheld, with nothing of the withheld rows: no id, no date, no status, no word of their content.

const LISTS = {
  conditions: '{ id code display clinicalStatus onsetDate sensitive }',
  observations: '(count: 100) { id code display category value unit effectiveDate }',
  medications: '{ id medication status authoredOn dosage }',
  encounters: '{ id type status start end serviceProvider }',
  notes: '{ id kind title date text }',
  carePlans: '{ id title status start activities }',
} as const;
const QUERY = `query ($id: ID!) { patient(id: $id) { id name ${Object.entries(LISTS).map(([f, s]) => `${f} ${s}`).join(' ')} } }`;
type Row = { id: string };
type Patient = Record<keyof typeof LISTS, Row[] | null> & { id: string };

let h: Harness;
beforeAll(async () => {
  const seed = await defaultTenantSeed();
  h = await startHarness({ fhirSeed: { ...seed, acme: [...seed.acme!, sensitiveRecordsBundle()] } });
}, 60_000);
afterAll(() => h.stop());

interface Caller {
  readonly name: string;
  readonly token: () => Promise<string>;
  /** Sees the sensitive rows. */
  readonly sees: boolean;
}

const policy = defaultPolicy();
const CALLERS: Caller[] = [
  ...Object.keys(policy.roles).map((role) => ({
    name: role,
    token: () =>
      h.token({ sub: `u-${role}`, roles: [role], departments: ['cardiology'], ...(role === 'ai-agent' ? { kind: 'agent' } : {}) } as never),
    sees: false,
  })),
  {
    name: 'clinician + sensitive grant',
    token: () => h.token({ sub: 'dr-yes', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] }),
    sees: true,
  },
  {
    name: 'clinician + grant, other department',
    token: () => h.token({ sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'], grants: ['sensitive'] }),
    sees: false,
  },
  {
    name: 'ai-agent + grant (not eligible)',
    token: () => h.token({ sub: 'bot', roles: ['ai-agent'], departments: ['cardiology'], grants: ['sensitive'], kind: 'agent' } as never),
    sees: false,
  },
  {
    name: 'nurse + grant (not eligible)',
    token: () => h.token({ sub: 'rn', roles: ['nurse'], departments: ['cardiology'], grants: ['sensitive'] }),
    sees: false,
  },
  {
    name: 'front-desk + grant (not eligible)',
    token: () => h.token({ sub: 'fd', roles: ['front-desk'], departments: ['cardiology'], grants: ['sensitive'] }),
    sees: false,
  },
];

const allSensitive = Object.values(SENSITIVE_IDS).flat();

function withheldErrors(body: GqlResponse['body']) {
  return (body.errors ?? []).filter((e) => e.extensions?.withheld === true);
}

describe('sensitive records without labels, on every resource type, for every role', () => {
  it.each(CALLERS.map((c) => [c.name, c] as const))('%s', async (_name, caller) => {
    const r = await h.gql<{ patient: Patient | null }>(await caller.token(), QUERY, { id: HANK });
    const text = JSON.stringify(r.body.data ?? null);
    const patient = r.body.data?.patient ?? null;
    if (caller.sees) {
      expect(r.body.errors).toBeUndefined();
      for (const [list, ids] of Object.entries(SENSITIVE_IDS))
        expect(
          patient![list as keyof typeof LISTS]!.map((x) => x.id),
          list,
        ).toEqual(expect.arrayContaining([...ids]));
      return;
    }
    // Nothing of a withheld row anywhere in the answer.
    for (const id of allSensitive) expect(text, id).not.toContain(id);
    for (const word of SENSITIVE_WORDS) expect(text.toLowerCase(), word).not.toContain(word.toLowerCase());
    for (const e of r.body.errors ?? []) for (const id of allSensitive) expect(JSON.stringify(e), id).not.toContain(id);
    // Every list the caller may read: the controls are there, and ONE error says rows were withheld.
    const withheld = withheldErrors(r.body);
    for (const list of Object.keys(LISTS) as (keyof typeof LISTS)[]) {
      const rows = patient?.[list];
      const at = withheld.filter((e) => e.path?.join('.') === `patient.${list}`);
      if (!rows) {
        expect(at, list).toHaveLength(0);
        continue;
      }
      expect(rows.map((x) => x.id), list).toEqual(expect.arrayContaining([...PLAIN_IDS[list]!]));
      expect(at, list).toHaveLength(1);
      expect(at[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', failedScope: 'grant', dataClass: 'sensitive', grant: 'sensitive' });
    }
    // An eligible clinician gets the ready access request; nobody else is offered one for a grant they cannot hold.
    for (const e of withheld) {
      if (caller.name.startsWith('clinician')) expect(e.extensions?.requestAccess).toMatchObject({ requestedGrant: 'sensitive' });
    }
    expect(withheld.length).toBeLessThanOrEqual(Object.keys(LISTS).length);
  });

  it('break-glass opens the patient but not its sensitive rows', async () => {
    const token = await h.token({ sub: 'dr-bg', roles: ['clinician'], departments: ['oncology'] });
    const bg = await h.gql(token, `mutation { breakGlass(patientId: "${HANK}", reason: "Unconscious in the ED, chart needed") { id } }`);
    expect(bg.body.errors).toBeUndefined();
    const r = await h.gql<{ patient: Patient }>(token, QUERY, { id: HANK });
    expect(r.body.data!.patient.conditions!.map((c) => c.id)).toEqual(['hank-cond-htn']);
    for (const id of allSensitive) expect(JSON.stringify(r.body), id).not.toContain(id);
    expect(withheldErrors(r.body).map((e) => e.path?.join('.')).sort()).toEqual(Object.keys(LISTS).map((l) => `patient.${l}`).sort());
  });

  it('the PHI-read audit records sensitive reads as such, and withheld rows as nothing read', async () => {
    const yes = await h.token({ sub: 'dr-audit-yes', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
    const no = await h.token({ sub: 'dr-audit-no', roles: ['clinician'], departments: ['cardiology'] });
    await h.gql(yes, QUERY, { id: HANK });
    await h.gql(no, QUERY, { id: HANK });
    const sec = await h.token({ sub: 'sec', roles: ['security-admin'] });
    const events = async (sub: string) => {
      const r = await h.gql<{ auditEvents: { edges: { node: { patientId: string; dataClasses: string[]; fields: string[] } }[] } }>(
        sec,
        'query ($f: AuditEventFilter) { auditEvents(filter: $f, first: 10) { edges { node { patientId dataClasses fields } } } }',
        { f: { actor: sub, action: 'phi.read' } },
      );
      return r.body.data!.auditEvents.edges.map((e) => e.node).filter((e) => e.patientId === HANK);
    };
    const withGrant = await events('dr-audit-yes');
    expect(withGrant).toHaveLength(1);
    expect(withGrant[0]!.dataClasses).toContain('sensitive');
    expect(withGrant[0]!.fields).toEqual(expect.arrayContaining(['Condition.display', 'ClinicalNote.text', 'Observation.value']));
    const without = await events('dr-audit-no');
    expect(without).toHaveLength(1);
    expect(without[0]!.dataClasses).not.toContain('sensitive');
  });

  it('a sensitive Encounter reached by id (node) answers as an unknown id does, for every role without the grant', async () => {
    const no = await h.token({ sub: 'dr-node-no', roles: ['clinician'], departments: ['cardiology'] });
    const yes = await h.token({ sub: 'dr-node-yes', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
    const agent = await h.token({ sub: 'bot-node', roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' } as never);
    const nurse = await h.token({ sub: 'rn-node', roles: ['nurse'], departments: ['cardiology'] });
    const bg = await h.token({ sub: 'dr-node-bg', roles: ['clinician'], departments: ['oncology'] });
    expect(
      (await h.gql(bg, `mutation { breakGlass(patientId: "${HANK}", reason: "Unconscious in the ED, chart needed") { id } }`)).body.errors,
    ).toBeUndefined();
    const Q = '{ node(id: "Encounter/hank-enc-hiv-reason") { id ... on Encounter { status start } } }';
    // No existence oracle: a withheld row answers exactly as an id that does not exist (null, no error).
    const unknown = await h.gql(no, '{ node(id: "Encounter/no-such-encounter") { id ... on Encounter { status start } } }');
    expect(unknown.body).toEqual({ data: { node: null } });
    for (const id of SENSITIVE_IDS.encounters ?? []) {
      const q = `{ node(id: "Encounter/${id}") { id ... on Encounter { status start } } }`;
      for (const token of [no, bg, agent, nurse]) expect((await h.gql(token, q)).body, id).toEqual(unknown.body);
      expect((await h.gql(yes, q)).body.data, id).toMatchObject({ node: { id } });
    }
    expect((await h.gql(yes, Q)).body.data).toMatchObject({ node: { id: 'hank-enc-hiv-reason', status: 'finished' } });
  });

  it('explainField on a sensitive row says what the read does: DENY (grant) without it, ALLOW with it', async () => {
    const Q =
      'query ($p: ID!, $r: ID) { explainField(type: "Condition", field: "display", patientId: $p, rowId: $r) { decision failedScope ' +
      'permission requestAccess { requestedGrant } } }';
    const no = await h.token({ sub: 'dr-ex-no', roles: ['clinician'], departments: ['cardiology'] });
    const yes = await h.token({ sub: 'dr-ex-yes', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
    const deny = await h.gql<{ explainField: Record<string, unknown> }>(no, Q, { p: HANK, r: 'hank-cond-hiv' });
    expect(deny.body.data!.explainField).toEqual({
      decision: 'DENY',
      failedScope: 'grant',
      permission: 'read:sensitive',
      requestAccess: { requestedGrant: 'sensitive' },
    });
    expect(
      (await h.gql<{ explainField: { decision: string } }>(no, Q, { p: HANK, r: 'hank-cond-htn' })).body.data!.explainField.decision,
    ).toBe('ALLOW');
    // No existence oracle: an id that does not exist is answered as a withheld row is.
    expect((await h.gql<{ explainField: Record<string, unknown> }>(no, Q, { p: HANK, r: 'no-such-row' })).body.data!.explainField).toEqual(
      deny.body.data!.explainField,
    );
    expect(
      (await h.gql<{ explainField: { decision: string } }>(yes, Q, { p: HANK, r: 'hank-cond-hiv' })).body.data!.explainField.decision,
    ).toBe('ALLOW');
  });
});

// A tester's finding: a clinician got the sensitive grant for a department not theirs approved, broke the glass on a
// patient there and read the HIV diagnosis. requestAccess refuses that now (test/api/access-request-checks.test.ts);
// a grant stored for a department its holder has since left covers nobody there, break-glass or not.
describe('a stored sensitive grant for a department its holder no longer belongs to', () => {
  const REQUEST = 'mutation ($input: RequestAccessInput!) { requestAccess(input: $input) { status changeRequest { id } } }';
  const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
  const OPEN = 'mutation ($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious in the ED, no history") { id } }';
  const CONDITIONS = 'query ($id: ID!) { patient(id: $id) { conditions { id } } }';
  type Conditions = { patient: { conditions: Row[] | null } | null };
  const ids = (r: GqlResponse<Conditions>) => (r.body.data?.patient?.conditions ?? []).map((c) => c.id);

  it('is withheld through break-glass; the plain rows open', async () => {
    const sub = 'dr-moved';
    const before = await h.token({ sub, roles: ['clinician'], departments: ['oncology', 'cardiology'] });
    const input = { requestedGrant: 'sensitive', scopeDepartments: ['cardiology'], justification: 'HIV clinic', durationMinutes: 120 };
    const asked = await h.gql<{ requestAccess: { status: string; changeRequest: { id: string } } }>(before, REQUEST, { input });
    expect(asked.body.data?.requestAccess.status, JSON.stringify(asked.body)).toBe('PENDING_APPROVAL');
    const id = asked.body.data!.requestAccess.changeRequest.id;
    const sec = await h.token({ sub: 'sec-moved', roles: ['security-admin'], mfa: true });
    const cad = await h.token({ sub: 'cad-moved', roles: ['clinical-admin'], mfa: true });
    expect((await h.gql(sec, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
    expect((await h.gql(cad, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'APPLIED' } });
    // While in cardiology the grant covers its patients.
    expect(ids(await h.gql(before, CONDITIONS, { id: HANK }))).toContain('hank-cond-hiv');
    // Moved to oncology only: break-glass opens the plain record of the cardiology patient, never the grant.
    const after = await h.token({ sub, roles: ['clinician'], departments: ['oncology'] });
    expect((await h.gql(after, OPEN, { id: HANK })).body.errors).toBeUndefined();
    const read = await h.gql<Conditions>(after, CONDITIONS, { id: HANK });
    expect(ids(read)).toEqual(expect.arrayContaining([...PLAIN_IDS.conditions!]));
    for (const withheld of SENSITIVE_IDS.conditions!) expect(ids(read)).not.toContain(withheld);
  });
});
