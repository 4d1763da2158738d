import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAN } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';

// Issue 7, "must hold": identity and tenant come from the verified token only. Another tenant's patient, global id
// or change request is indistinguishable from one that does not exist; a tenant, role or requester slipped in as an
// argument, an input field or an extra variable is refused by validation and changes nothing about who the caller is.

let h: Harness;
let acmeEng: string;
let globexEng: string;
let globexChange: string;

const SET_WRITE_BACK = `mutation { setWriteBack(connectorId: "ehr", environment: PRODUCTION, enabled: true, reason: "Go-live", ticket: ` +
  `"CHG-1") {
  status changeRequest { id } } }`;

beforeAll(async () => {
  h = await startHarness();
  acmeEng = await h.token({ roles: ['integration-engineer'], sub: 'eng-acme', mfa: true });
  globexEng = await h.token({ roles: ['integration-engineer'], tenant: 'globex', sub: 'eng-globex', mfa: true });
  const r = await h.gql<{ setWriteBack: { status: string; changeRequest: { id: string } } }>(globexEng, SET_WRITE_BACK);
  expect(r.body.data?.setWriteBack.status).toBe('PENDING_APPROVAL');
  globexChange = r.body.data!.setWriteBack.changeRequest.id;
});
afterAll(() => h.stop());

async function identityUnchanged(token: string, sub: string, tenant: string, roles: string[]): Promise<void> {
  const me = await h.gql(token, '{ me { sub tenant roles } }');
  expect(me.body).toEqual({ data: { me: { sub, tenant, roles } } });
}

describe("another tenant's objects", () => {
  it("a globex change request is null for acme, exactly like an unknown id", async () => {
    const q = 'query($id: ID!) { changeRequest(id: $id) { id status } }';
    const theirs = await h.gql(acmeEng, q, { id: globexChange });
    const unknown = await h.gql(acmeEng, q, { id: '00000000-0000-4000-8000-000000000000' });
    expect(theirs.body).toEqual({ data: { changeRequest: null } });
    expect(theirs.body).toEqual(unknown.body);
    const list = await h.gql<{ changeRequests: { id: string }[] }>(acmeEng, '{ changeRequests { id } }');
    expect(list.body.data!.changeRequests.map((c) => c.id)).not.toContain(globexChange);
  });

  it.each([
    ['approveChange', 'mutation($id: ID!) { approveChange(id: $id) { id status } }'],
    ['rejectChange', 'mutation($id: ID!) { rejectChange(id: $id, reason: "no") { id status } }'],
    ['cancelChange', 'mutation($id: ID!) { cancelChange(id: $id) { id status } }'],
  ])("%s of a globex change as acme: NOT_FOUND, and the change is untouched", async (field, mutation) => {
    const r = await h.gql(acmeEng, mutation, { id: globexChange });
    expect(r.body.data?.[field] ?? null).toBeNull();
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const still = await h.gql<{ changeRequest: { status: string; approvals: unknown[] } }>(
      globexEng,
      `{ changeRequest(id: "${globexChange}") { status approvals { sub } } }`,
    );
    expect(still.body.data!.changeRequest).toEqual({ status: 'PENDING', approvals: [] });
  });

  it('a global id of a globex patient is null for acme (and not for globex: the id is real)', async () => {
    const all = ['cardiology', 'oncology', 'pediatrics', 'primary-care'];
    const q = `{ node(id: "Patient/${LEAN}") { id ... on Patient { name } } }`;
    const acme = await h.gql(await h.token({ roles: ['clinician'], departments: all }), q);
    expect(acme.body).toEqual({ data: { node: null } });
    const globex = await h.gql(await h.token({ roles: ['clinician'], departments: all, tenant: 'globex' }), q);
    expect(globex.body).toEqual({ data: { node: { id: LEAN, name: 'Lean294 Davis923' } } });
  });
});

describe('identity passed as arguments, input fields or variables', () => {
  it.each([
    ['tenant argument', `{ patient(id: "${LEAN}", tenant: "globex") { name } }`, undefined],
    ['role argument on me', '{ me(role: "system-admin") { roles } }', undefined],
    [
      'tenant in an input object literal',
      'mutation { updateSetting(input: { key: "ai.temperature", environment: STAGING, value: 0.1, tenant: "globex" }) { status } }',
      undefined,
    ],
    [
      'requester in an input object literal',
      'mutation { updateSetting(input: { key: "ai.temperature", environment: STAGING, value: 0.1, requester: "sec-sam" }) { status } }',
      undefined,
    ],
    [
      'tenant and roles in an input variable',
      'mutation($input: UpdateSettingInput!) { updateSetting(input: $input) { status } }',
      { input: { key: 'ai.temperature', environment: 'STAGING', value: 0.1, tenant: 'globex', roles: ['system-admin'] } },
    ],
  ])('%s: refused by validation (BAD_USER_INPUT), identity unchanged', async (_name, query, variables) => {
    const r = await h.gql(acmeEng, query, variables);
    expect(r.status).toBe(400);
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors!.length).toBeGreaterThan(0);
    for (const e of r.body.errors!) expect(e.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(r.body)).not.toContain('system-admin');
    await identityUnchanged(acmeEng, 'eng-acme', 'acme', ['integration-engineer']);
  });

  it('extra variables nobody declared are ignored, never read as identity', async () => {
    const r = await h.gql(acmeEng, '{ me { sub tenant roles } }', { tenant: 'globex', roles: ['system-admin'], sub: 'root' });
    expect(r.body).toEqual({ data: { me: { sub: 'eng-acme', tenant: 'acme', roles: ['integration-engineer'] } } });
  });
});
