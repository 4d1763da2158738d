import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { setWriteBackApplied } from './governance-operations.js';

// The tester's finding: explain("change:approve:<id>") said ALLOW to a clinician whom approveChange then answered
// FORBIDDEN read:configuration (explain asked only the approve transition, not who may reach the change), and an
// unknown id was BAD_USER_INPUT where the action says NOT_FOUND. Now both ask reachRefusal
// (src/resolvers/change-target-check.ts) and then the transition. Every role of the policy (with and without MFA) and
// the requester explain, then approve, a fresh change of each kind: ALLOW exactly when the approval is accepted, and
// a DENY names the code the action answers with.

const policy = JSON.parse(readFileSync(new URL('../../rules/default-policy.json', import.meta.url), 'utf8')) as {
  roles: Record<string, { principalKinds: string[] }>;
};
const ROLES = Object.keys(policy.roles).filter((r) => policy.roles[r]!.principalKinds.includes('user'));
const EXPLAIN = 'query ($a: String!) { explain(action: $a) { decision reason failedScope permission } }';
const APPROVE = 'mutation ($id: ID!) { approveChange(id: $id) { status } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Production write-back open, so an agent may propose a medication (the gate closes proposals as it closes writes).
  await setWriteBackApplied(h, true, 'acme', 'PRODUCTION');
});
afterAll(() => h.stop());

let n = 0;
/** A fresh pending change of each kind, by its own requester. */
const KINDS: Record<string, () => Promise<{ id: string; requester: string }>> = {
  'access request': async () => {
    const requester = await h.token({ sub: `dr-asks-${n++}`, roles: ['clinician'], departments: ['cardiology'] });
    const r = await h.gql<{ requestAccess: { changeRequest: { id: string } } }>(
      requester,
      'mutation ($i: RequestAccessInput!) { requestAccess(input: $i) { changeRequest { id } } }',
      { i: { requestedRole: 'clinician', scopeDepartments: ['oncology'], justification: 'Covering oncology', durationMinutes: 60 } },
    );
    return { id: r.body.data!.requestAccess.changeRequest.id, requester };
  },
  'production setting': async () => {
    const requester = await h.token({ sub: `cadm-asks-${n++}`, roles: ['clinical-admin'], mfa: true } as never);
    const r = await h.gql<{ updateSetting: { changeRequest: { id: string } } }>(
      requester,
      'mutation ($v: JSON!) { updateSetting(input: { key: "ai.model", environment: PRODUCTION, value: $v, reason: "parity" }) { ' +
        'changeRequest { id } } }',
      { v: { provider: 'default', model: `clinical-assistant-v${n}`, temperature: 0.1 } },
    );
    return { id: r.body.data!.updateSetting.changeRequest.id, requester };
  },
  // A clinician of the patient's department acts on it; a configuration reader reaches it but has no write on it.
  'agent medication proposal': async () => {
    const requester = await h.token({ sub: `agent-asks-${n++}`, roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' } as never);
    const r = await h.gql<{ proposeMedicationRequest: { changeRequestId: string } }>(
      requester,
      'mutation ($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { changeRequestId } }',
      { p: DENNIS, i: { idempotencyKey: `parity-${n++}`, medication: 'Lisinopril 10 MG Oral Tablet', dosage: 'once daily' } },
    );
    expect(r.body.errors).toBeUndefined();
    return { id: r.body.data!.proposeMedicationRequest.changeRequestId, requester };
  },
};

/** Who acts on a fresh change: its requester, and every role of the policy with and without MFA. */
const CASES: [string, (requester: string) => Promise<string>][] = [
  ['the requester', async (requester) => requester],
  ...ROLES.flatMap((role): [string, () => Promise<string>][] => [
    [role, () => h.token({ sub: `${role}-x-${n++}`, roles: [role], departments: ['cardiology'], mfa: true } as never)],
    [`${role} without MFA`, () => h.token({ sub: `${role}-y-${n++}`, roles: [role], departments: ['cardiology'] })],
  ]),
  // Outside the patient's department: the target's own denial (department), not a configuration role to ask for.
  ['a clinician of another department', () =>
    h.token({ sub: `dr-onc-${n++}`, roles: ['clinician'], departments: ['oncology'], mfa: true } as never)],
];

describe.each(Object.keys(KINDS))('explain("change:approve") agrees with approveChange: %s', (kind) => {
  it.each(CASES)('%s', async (_who, tokenOf) => {
    const change = await KINDS[kind]!();
    const t = await tokenOf(change.requester);
    const action = `change:approve:${change.id}`;
    type Why = { decision: string; reason: string | null; permission: string | null };
    const explained = await h.gql<{ explain: Why }>(t, EXPLAIN, { a: action });
    expect(explained.body.errors).toBeUndefined();
    const approved = await h.gql(t, APPROVE, { id: change.id });
    const decision = explained.body.data!.explain.decision;
    expect(decision, JSON.stringify(approved.body.errors?.[0]?.extensions)).toBe(approved.body.errors ? 'DENY' : 'ALLOW');
    if (approved.body.errors) {
      const ext = approved.body.errors[0]!.extensions as { reason?: string; permission?: string };
      const why = explained.body.data!.explain;
      // A transition's refusal carries its reason; a reach refusal its permission (read:configuration).
      expect(ext.reason ?? ext.permission, JSON.stringify(ext)).toBe(ext.reason ? why.reason : why.permission);
    }
  });
});

it('an unknown change id is NOT_FOUND, as approveChange answers', async () => {
  const t = await h.token({ sub: 'sec-unknown', roles: ['security-admin'], mfa: true } as never);
  const missing = '00000000-0000-4000-8000-000000000000';
  const explained = await h.gql(t, EXPLAIN, { a: `change:approve:${missing}` });
  const approved = await h.gql(t, APPROVE, { id: missing });
  expect(explained.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(approved.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

// viewerCanReject (the console offers Reject by it) asks what rejectChange asks: the reach check, then the reject
// transition. For every role with and without MFA and the requester: true exactly when the rejection is accepted.
const CAN_REJECT = 'query ($id: ID!) { changeRequest(id: $id) { viewerCanReject } }';
const REJECT = 'mutation ($id: ID!) { rejectChange(id: $id, reason: "other") { status } }';
describe.each(Object.keys(KINDS))('viewerCanReject agrees with rejectChange: %s', (kind) => {
  it.each(CASES)('%s', async (_who, tokenOf) => {
    const change = await KINDS[kind]!();
    const t = await tokenOf(change.requester);
    const seen = await h.gql<{ changeRequest: { viewerCanReject: boolean } | null }>(t, CAN_REJECT, { id: change.id });
    const rejected = await h.gql(t, REJECT, { id: change.id });
    const canReject = seen.body.data?.changeRequest?.viewerCanReject ?? false;
    expect(canReject, JSON.stringify(rejected.body.errors?.[0]?.extensions)).toBe(!rejected.body.errors);
  });
});

// viewerCanApprove (the inbox's "You can approve", the console's Approve) asks what approveChange asks: a tester found a
// clinical-admin told "you can" on an agent's medication proposal that approveChange refused (write:medications).
const CAN_APPROVE = 'query ($id: ID!) { changeRequest(id: $id) { viewerCanApprove viewerCannotApproveCode } }';
describe.each(Object.keys(KINDS))('viewerCanApprove agrees with approveChange: %s', (kind) => {
  it.each(CASES)('%s', async (_who, tokenOf) => {
    const change = await KINDS[kind]!();
    const t = await tokenOf(change.requester);
    const seen = await h.gql<{ changeRequest: { viewerCanApprove: boolean; viewerCannotApproveCode: string | null } | null }>(
      t, CAN_APPROVE, { id: change.id },
    );
    const approved = await h.gql(t, APPROVE, { id: change.id });
    const view = seen.body.data?.changeRequest;
    const ext = approved.body.errors?.[0]?.extensions as { code?: string; reason?: string } | undefined;
    expect(view?.viewerCanApprove ?? false, JSON.stringify(ext)).toBe(!approved.body.errors);
    if (view && ext) expect(view.viewerCannotApproveCode).toBe(ext.reason ?? ext.code);
  });
});

// approveMedicationProposal is the clinicians' door to the same decision: a tester found it answering write:medications
// where approveChange answered read:configuration (oncology clinician), read:demographics where approveChange answered
// write:medications (clinical-admin). Both now ask assertMayReach: the same refusal, or both accept.
const APPROVE_PROPOSAL = 'mutation ($id: ID!) { approveMedicationProposal(changeId: $id) { status } }';
describe('approveMedicationProposal answers as approveChange does', () => {
  it.each(CASES)('%s', async (_who, tokenOf) => {
    const [one, other] = [await KINDS['agent medication proposal']!(), await KINDS['agent medication proposal']!()];
    const asRequester = (c: { requester: string }) => (_who === 'the requester' ? c.requester : null);
    const t1 = asRequester(one) ?? (await tokenOf(one.requester));
    const t2 = asRequester(other) ?? t1;
    const viaChange = await h.gql(t1, APPROVE, { id: one.id });
    const viaProposal = await h.gql(t2, APPROVE_PROPOSAL, { id: other.id });
    type Ext = { code?: string; reason?: string; permission?: string; failedScope?: string };
    const why = (r: typeof viaChange) => {
      const ext = r.body.errors?.[0]?.extensions as Ext | undefined;
      return ext && { code: ext.code, reason: ext.reason ?? null, permission: ext.permission ?? null, scope: ext.failedScope ?? null };
    };
    expect(why(viaProposal)).toEqual(why(viaChange));
  });
});

it('the requester is told it is their own change (SELF_APPROVAL, SELF_REJECTION), whoever they are', async () => {
  for (const kind of Object.keys(KINDS)) {
    const change = await KINDS[kind]!();
    const seen = await h.gql<{ changeRequest: { viewerCannotApproveCode: string | null } | null }>(change.requester, CAN_APPROVE, {
      id: change.id,
    });
    expect(seen.body.data?.changeRequest?.viewerCannotApproveCode, kind).toBe('SELF_APPROVAL');
    const approved = await h.gql(change.requester, APPROVE, { id: change.id });
    expect(approved.body.errors?.[0]?.extensions?.reason, kind).toBe('SELF_APPROVAL');
    const rejected = await h.gql(change.requester, REJECT, { id: change.id });
    expect(rejected.body.errors?.[0]?.extensions?.reason, kind).toBe('SELF_REJECTION');
  }
});

// A tester's finding: once a colleague had decided a proposal, a clinician of its department was told FORBIDDEN
// read:configuration (and to ask for integration-engineer) by every door, where the change says NOT_PENDING. The right
// on the target reaches a clinical write whatever its status. And a proposal names as approvers only the function
// that can approve it (clinical): technical and security hold no write on medications.
it('a decided medication proposal is NOT_PENDING on every door to a clinician of its department; approvers: clinical', async () => {
  const change = await KINDS['agent medication proposal']!();
  const first = await h.token({ sub: `dr-first-${n++}`, roles: ['clinician'], departments: ['cardiology'], mfa: true } as never);
  const second = await h.token({ sub: `dr-second-${n++}`, roles: ['clinician'], departments: ['cardiology'], mfa: true } as never);
  const APPROVERS = 'query ($id: ID!) { changeRequest(id: $id) { approverFunctions } }';
  const seen = await h.gql<{ changeRequest: { approverFunctions: string[] } }>(first, APPROVERS, { id: change.id });
  expect(seen.body.data?.changeRequest.approverFunctions).toEqual(['clinical']);
  expect((await h.gql(first, REJECT, { id: change.id })).body.errors).toBeUndefined();
  const doors = [
    await h.gql(second, APPROVE, { id: change.id }),
    await h.gql(second, REJECT, { id: change.id }),
    await h.gql(second, APPROVE_PROPOSAL, { id: change.id }),
  ];
  for (const d of doors) expect(d.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_PENDING' });
  const explained = await h.gql<{ explain: { decision: string; reason: string } }>(second, EXPLAIN, { a: `change:approve:${change.id}` });
  expect(explained.body.data?.explain).toMatchObject({ decision: 'DENY', reason: 'NOT_PENDING' });
});
