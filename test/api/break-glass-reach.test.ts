import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, DENNIS, FRANKIE } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';

// Two tester findings about break-glass, over HTTP:
// - it widened grants: a cardiology clinician holding the `sensitive` grant opened FRANKIE (primary care) and read
//   the HIV diagnosis and note; a grant is approved for a scope (sensitive: patients of one's departments), and an
//   emergency opening of another department's patient is not that approval (rules/decide.ts; the kernel test
//   enumerates every grant held every way: test/rules/decide-stored-access.test.ts);
// - its entries (patient, the clinician's words about the emergency, reviews) sit in the person's access document,
//   which every change of it (an access request, an assignment) showed in before/after/diff to any configuration
//   reader (support...), who may not read accessOf. Every user role of the policy reading configuration asks every
//   way a change is shown.

const REASON = 'Collapsed in the cardiology waiting room, chart needed';
const policy = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
  roles: Record<string, { principalKinds: string[]; permissions: { dataClasses: string[]; actions: string[] }[] }>;
};
const reads = (role: string, dataClass: string) =>
  policy.roles[role]!.permissions.some((p) => p.dataClasses.includes(dataClass) && p.actions.includes('read'));
const READERS = Object.keys(policy.roles).filter((r) => reads(r, 'configuration') && policy.roles[r]!.principalKinds.includes('user'));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

describe('break-glass opens what roles give, never a grant', () => {
  it('a clinician with the sensitive grant opens another department\'s patient: no sensitive row, note or condition', async () => {
    const dr = await h.token({ sub: 'dr-bg-sens', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] });
    const opened = await h.gql(dr, `mutation { breakGlass(patientId: "${FRANKIE}", reason: "${REASON}") { id } }`);
    expect(opened.body.errors).toBeUndefined();
    const Q = 'query ($id: ID!) { patient(id: $id) { conditions { display sensitive } notes { title text } } }';
    const frankie = await h.gql<{ patient: { conditions: { display: string; sensitive: boolean }[]; notes: { text: string }[] } }>(dr, Q, {
      id: FRANKIE,
    });
    const p = frankie.body.data!.patient;
    expect(p.conditions.length).toBeGreaterThan(0); // opened: the role's clinical reads
    expect(p.conditions.some((c) => c.sensitive)).toBe(false);
    expect(JSON.stringify(frankie.body.data)).not.toMatch(/HIV|immunodeficiency/i);
    expect(frankie.body.errors?.every((e) => e.extensions?.withheld === true)).toBe(true);
    // The grant still counts in the clinician's own department.
    const own = await h.gql(dr, Q, { id: DENNIS });
    expect(own.body.errors).toBeUndefined();
  });
});

describe('a change of a person\'s access shows their break-glass entries only to those who may read accessOf', () => {
  let changeId: string;
  beforeAll(async () => {
    const dr = await h.token({ sub: 'dr-bg-doc', roles: ['clinician'], departments: ['cardiology'] });
    expect((await h.gql(dr, `mutation { breakGlass(patientId: "${CARROLL}", reason: "${REASON}") { id } }`)).body.errors).toBeUndefined();
    const asked = await h.gql<{ requestAccess: { changeRequest: { id: string } } }>(
      dr,
      'mutation ($i: RequestAccessInput!) { requestAccess(input: $i) { changeRequest { id } } }',
      { i: { requestedRole: 'clinician', scopeDepartments: ['pediatrics'], justification: 'Covering pediatrics', durationMinutes: 60 } },
    );
    changeId = asked.body.data!.requestAccess.changeRequest.id;
  });

  const FIELDS = 'id before after diff { path op before after } withheldPaths';
  it.each(READERS)('%s', async (role) => {
    const t = await h.token({ sub: `viewer-${role}`, roles: [role], mfa: true } as never);
    const mayReadAccess = reads(role, 'audit');
    const answers = [
      await h.gql(t, `query ($id: ID!) { changeRequest(id: $id) { ${FIELDS} } }`, { id: changeId }),
      await h.gql(t, `{ changeRequests(category: ACCESS) { ${FIELDS} } }`),
      await h.gql(t, `{ changeRequestsConnection(first: 50) { edges { node { ${FIELDS} } } } }`),
    ];
    for (const a of answers) {
      expect(a.body.errors, role).toBeUndefined();
      const text = JSON.stringify(a.body.data);
      expect(text, role).toContain(changeId);
      // The requested entry is shown to every reader; the break-glass one only with read:audit.
      expect(text, role).toContain('Covering pediatrics');
      expect(text.includes(CARROLL) || text.includes(REASON), role).toBe(mayReadAccess);
    }
    const one = answers[0]!.body.data as { changeRequest: { withheldPaths: string[]; before: { entries: unknown[] } } };
    expect(one.changeRequest.withheldPaths, role).toEqual(mayReadAccess ? [] : ['/entries/0']);
    expect(one.changeRequest.before.entries[0] === null, role).toBe(!mayReadAccess);
  });

  it('covers roles with and without read:audit', () => {
    expect(READERS.filter((r) => reads(r, 'audit')).length).toBeGreaterThan(0);
    expect(READERS.filter((r) => !reads(r, 'audit')).length).toBeGreaterThan(2);
  });
});
