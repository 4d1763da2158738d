import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../rules/policy-document.js';
import { startHarness, type Harness } from '../support/harness.js';

// A tester's finding: a security-admin approved a policy change giving security-admins unmasked identifiers (and so
// themselves), with an integration engineer as the second approver: "nobody approves a change that benefits them" held
// for assignments only. A holder of a role or grant the change widens is now refused SELF_BENEFIT, and explain and
// viewerCanApprove say so (the same approve transition).

const PROPOSE = 'mutation ($d: JSON!) { proposePolicy(document: $d, reason: "identifiers for the desk") { changeRequest { id } } }';
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';
const VIEW = 'query ($id: ID!, $a: String!) { changeRequest(id: $id) { viewerCanApprove viewerCannotApproveCode } ' +
  'explain(action: $a) { decision reason } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const propose = (token: string, d: object) => h.gql<{ proposePolicy: { changeRequest: { id: string } } }>(token, PROPOSE, { d });

const withRole = (version: string, role: string) => {
  const doc = JSON.parse(JSON.stringify(defaultPolicy())) as { version: string; roles: Record<string, { permissions: unknown[] }> };
  doc.version = version;
  doc.roles[role]!.permissions.push({ dataClasses: ['identifiers'], actions: ['read'], scope: 'tenant' });
  return doc;
};

describe('a policy change is not approved by those it widens', () => {
  it('a security-admin may not approve security-admin unmasked identifiers', async () => {
    const ann = await h.token({ sub: 'sec-ann', roles: ['security-admin'], mfa: true });
    const cat = await h.token({ sub: 'sec-cat', roles: ['security-admin'], mfa: true });
    const eng = await h.token({ sub: 'eng-tom', roles: ['integration-engineer'], mfa: true });
    const id = (await propose(ann, withRole('2026-12-03.1', 'security-admin'))).body.data!.proposePolicy.changeRequest.id;
    const view = await h.gql<{ changeRequest: object; explain: object }>(cat, VIEW, { id, a: `change:approve:${id}` });
    expect(view.body.data).toEqual({
      changeRequest: { viewerCanApprove: false, viewerCannotApproveCode: 'SELF_BENEFIT' },
      explain: { decision: 'DENY', reason: 'SELF_BENEFIT' },
    });
    const refused = await h.gql(cat, APPROVE, { id });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_BENEFIT' });
    // The technical approval counts; the security one it still needs cannot come from a security-admin: not applied.
    expect((await h.gql(eng, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
  });

  it('the same change for a role neither approver holds applies (security + technical)', async () => {
    const ann = await h.token({ sub: 'sec-ann2', roles: ['security-admin'], mfa: true });
    const cat = await h.token({ sub: 'sec-cat2', roles: ['security-admin'], mfa: true });
    const eng = await h.token({ sub: 'eng-tim', roles: ['integration-engineer'], mfa: true });
    const id = (await propose(ann, withRole('2026-12-03.2', 'nurse'))).body.data!.proposePolicy.changeRequest.id;
    expect((await h.gql(cat, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
    expect((await h.gql(eng, APPROVE, { id })).body.data).toEqual({ approveChange: { status: 'APPLIED' } });
  });
});

// A tester's finding: widenings outside a role's own entry were not caught. An integration-engineer approved
// integration-engineer break-glass (then broke the glass), ownership of the identifiers grant and of the audit class;
// a security-admin who is also a clinician approved longer break-glass. Each is refused SELF_BENEFIT for them, and
// explain and viewerCanApprove say so; every part of the document: test/governance/policy-widening.test.ts.
describe('a widening anywhere in the document is refused to those it gives more', () => {
  type Doc = {
    breakGlass: { eligibleRoles: string[]; maxMinutes: number };
    grants: Record<string, { owner: string }>;
    dataClasses: Record<string, { owner: string }>;
  };
  const ENGINEER = ['integration-engineer'];
  const CASES: [string, (d: Doc) => void, string[]][] = [
    ['break-glass for integration-engineer', (d) => void d.breakGlass.eligibleRoles.push('integration-engineer'), ENGINEER],
    ['identifiers grant owned by integration-engineer', (d) => (d.grants.identifiers!.owner = 'integration-engineer'), ENGINEER],
    ['audit class owned by integration-engineer', (d) => (d.dataClasses.audit!.owner = 'integration-engineer'), ENGINEER],
    ['break-glass for a day', (d) => (d.breakGlass.maxMinutes = 1440), ['security-admin', 'clinician']],
  ];
  it.each(CASES.map((c, i) => [...c, i] as const))('%s', async (_name, change, roles, i) => {
    const doc = JSON.parse(JSON.stringify(defaultPolicy())) as Doc & { version: string };
    doc.version = `2026-12-04.${i + 1}`;
    change(doc);
    const proposer = await h.token({ sub: `sec-prop-${i}`, roles: ['security-admin'], mfa: true });
    const id = (await propose(proposer, doc)).body.data!.proposePolicy.changeRequest.id;
    const gains = await h.token({ sub: `gains-${i}`, roles, mfa: true });
    const view = await h.gql<{ changeRequest: object; explain: object }>(gains, VIEW, { id, a: `change:approve:${id}` });
    expect(view.body.data).toEqual({
      changeRequest: { viewerCanApprove: false, viewerCannotApproveCode: 'SELF_BENEFIT' },
      explain: { decision: 'DENY', reason: 'SELF_BENEFIT' },
    });
    const refused = await h.gql(gains, APPROVE, { id });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SELF_BENEFIT' });
    // Someone it gives nothing approves as before (the technical half; the change still waits for security).
    const other = await h.token({ sub: `eng-other-${i}`, roles: ['system-admin'], mfa: true });
    const view2 = await h.gql<{ changeRequest: object; explain: object }>(other, VIEW, { id, a: `change:approve:${id}` });
    expect(view2.body.data).toEqual({
      changeRequest: { viewerCanApprove: true, viewerCannotApproveCode: null },
      explain: { decision: 'ALLOW', reason: null },
    });
  });
});
