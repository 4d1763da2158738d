import { afterAll, beforeAll, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';

// A tester's finding: an `identifiers` grant could be approved only by a token carrying two roles. Its path named
// security and technical, and no technical approver holds or owns identifiers (CANNOT_GRANT_UNHELD). Now a path names
// only functions one of whose roles can give what is asked (approval-path.ts accessApproverFunctions), and where that
// leaves security alone, the functions of the roles that hold it (finance: billing-manager reads identifiers), so
// single-role people can give it; a technical approver is not an approver of it.

const REQUEST = 'mutation ($i: RequestAccessInput!) { requestAccess(input: $i) { changeRequest { id approverFunctions } } }';
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it('a clinician\'s identifiers grant for cardiology is approved by security and finance, refused to technical', async () => {
  const dr = await h.token({ sub: 'dr-ident', roles: ['clinician'], departments: ['cardiology'] });
  const explained = await h.gql<{ explain: { approvalPath: { approverFunctions: string[] } } }>(
    dr,
    '{ explain(action: "access:request:identifiers") { approvalPath { approverFunctions } } }',
  );
  expect(explained.body.data!.explain.approvalPath.approverFunctions).toContain('finance');
  const asked = await h.gql<{ requestAccess: { changeRequest: { id: string; approverFunctions: string[] } } }>(dr, REQUEST, {
    i: { requestedGrant: 'identifiers', scopeDepartments: ['cardiology'], justification: 'verify identity', durationMinutes: 60 },
  });
  const change = asked.body.data!.requestAccess.changeRequest;
  expect(change.approverFunctions).toEqual(explained.body.data!.explain.approvalPath.approverFunctions);

  const eng = await h.token({ sub: 'eng-ident', roles: ['integration-engineer'], mfa: true });
  expect(change.approverFunctions).toEqual(['security', 'finance']);
  expect((await h.gql(eng, APPROVE, { id: change.id })).body.errors?.[0]?.extensions).toMatchObject({ reason: 'NOT_AN_APPROVER' });
  const sec = await h.token({ sub: 'sec-ident', roles: ['security-admin'], mfa: true });
  expect((await h.gql(sec, APPROVE, { id: change.id })).body.data).toEqual({ approveChange: { status: 'PENDING' } });
  const fin = await h.token({ sub: 'fin-ident', roles: ['billing-manager'], mfa: true });
  expect((await h.gql(fin, APPROVE, { id: change.id })).body.data).toEqual({ approveChange: { status: 'APPLIED' } });

  const ssn = await h.gql<{ patient: { ssn: string } }>(dr, 'query ($id: ID!) { patient(id: $id) { ssn } }', { id: DENNIS });
  expect(ssn.body.data!.patient.ssn).toMatch(/^\d{3}-\d{2}-\d{4}$/);
});
