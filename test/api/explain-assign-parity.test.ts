import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// A tester's finding: explain("role:assign:<role>") named fewer approvers in its message than in its approvalPath
// (the role's own function was missing from the text). For every role of the policy: explain's path and message name
// exactly the approver functions of the change assignRole then makes.

const policy = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as { roles: object };
const EXPLAIN = 'query ($a: String!) { explain(action: $a, resource: { assignee: "x-assignee" }) { decision message ' +
  'approvalPath { approverFunctions } } }';
const ASSIGN = 'mutation ($i: AssignRoleInput!) { assignRole(input: $i) { changeRequest { approverFunctions } } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

it.each(Object.keys(policy.roles))('role:assign:%s', async (role) => {
  const sec = await h.token({ sub: `sec-${role}`, roles: ['security-admin'], mfa: true });
  type Why = { decision: string; message: string; approvalPath: { approverFunctions: string[] } };
  const why = (await h.gql<{ explain: Why }>(sec, EXPLAIN, { a: `role:assign:${role}` })).body.data!.explain;
  const made = await h.gql<{ assignRole: { changeRequest: { approverFunctions: string[] } } }>(sec, ASSIGN, {
    i: { assignee: `assignee-${role}`, assignedRole: role, reason: 'parity' },
  });
  const functions = made.body.data!.assignRole.changeRequest.approverFunctions;
  expect(why.decision).toBe('NEEDS_APPROVAL');
  expect([...why.approvalPath.approverFunctions].sort()).toEqual([...functions].sort());
  expect(why.message).toContain(`approvers: ${why.approvalPath.approverFunctions.join(', ')}`);
});
