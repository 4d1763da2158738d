import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARROLL, DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LiveSocket } from '../support/live-socket.js';
import { ok, refused, setWriteBackApplied } from './governance-operations.js';

// Issue 13 item 10: a clinical write's change shows its approver the full proposed resource (drug, RxNorm code,
// dosage), as far as the caller's own field rules allow (rules/field-decision.ts, the same decision as reading
// Patient.medications), and clinicians open the proposals they can act on without configuration read. Each role
// below sees what it would see of the same MedicationRequest on the patient's record: all of it, none of it, or
// the whole resource withheld when the drug is sensitive (an antiretroviral) and the caller lacks the grant.

const PROPOSE = `mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status ` +
  `changeRequestId } }`;
const OPEN = `query($id: ID!) { changeRequest(id: $id) { id targetType after diff { path op after } withheldPaths viewerCanApprove } }`;
const MINE = `{ changeRequests(mine: true) { id after withheldPaths } }`;
type View = {
  id: string;
  targetType: string;
  after: Record<string, unknown> | null;
  diff: { path: string; op: string; after: unknown }[];
  withheldPaths: string[];
  viewerCanApprove: boolean;
};

let h: Harness;
let plainId: string;
let sensitiveId: string;
const tokens: Record<string, string> = {};

const open = async (who: string, id: string) => h.gql<{ changeRequest: View }>(tokens[who]!, OPEN, { id });
const view = async (who: string, id: string) => ok(await open(who, id)).changeRequest;
const ELEMENTS = ['/authoredOn', '/dosageInstruction', '/intent', '/medicationCodeableConcept', '/resourceType', '/status', '/subject'];

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  const specs: Record<string, Parameters<Harness['token']>[0]> = {
    agent: { sub: 'triage-bot', roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' },
    clinician: { sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] },
    clinicianSensitive: { sub: 'dr-grey-s', roles: ['clinician'], departments: ['cardiology'], grants: ['sensitive'] },
    oncologist: { sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'] },
    nurse: { sub: 'rn-ray', roles: ['nurse'], departments: ['cardiology'] },
    clinicalAdmin: { sub: 'dr-director', roles: ['clinical-admin'], mfa: true },
    billing: { sub: 'bill-lee', roles: ['billing-manager'] },
  };
  for (const [name, claims] of Object.entries(specs)) tokens[name] = await h.token(claims);
  // A proposal meets the write-back gate its write will meet: open it first.
  await setWriteBackApplied(h, true);
  const propose = async (key: string, medication: string, rxnorm: string) =>
    ok<{ proposeMedicationRequest: { status: string; changeRequestId: string } }>(
      await h.gql(tokens.agent!, PROPOSE, {
        p: DENNIS,
        i: { idempotencyKey: key, medication, rxnorm, dosage: 'one tablet daily', promptTemplateVersion: 'triage@3' },
      }),
    ).proposeMedicationRequest;
  plainId = (await propose('view-key-plain1', 'Lisinopril 10 MG Oral Tablet', '314076')).changeRequestId;
  sensitiveId = (await propose('view-key-arv001', 'Biktarvy 50/200/25 MG Oral Tablet', '1999563')).changeRequestId;
}, 60_000);
afterAll(() => h.stop());

describe('a medication proposal as its approvers see it', () => {
  it('the clinician of the patient sees the full proposed MedicationRequest: drug, RxNorm code, dosage', async () => {
    const v = await view('clinician', plainId);
    expect(v).toMatchObject({ targetType: 'EHR_WRITE', withheldPaths: [], viewerCanApprove: true });
    expect(v.after).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: 'proposal',
      subject: { reference: `Patient/${DENNIS}` },
      medicationCodeableConcept: {
        text: 'Lisinopril 10 MG Oral Tablet',
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }],
      },
      dosageInstruction: [{ text: 'one tablet daily' }],
    });
    expect(v.diff.map((d) => [d.path, d.op])).toEqual(ELEMENTS.map((p) => [p, 'ADD']));
    expect(v.diff.find((d) => d.path === '/dosageInstruction')?.after).toEqual([{ text: 'one tablet daily' }]);
  });

  it('the requesting agent opens its own proposal; an oncologist with no right on the patient cannot open it', async () => {
    const mine = ok<{ changeRequests: { id: string; withheldPaths: string[] }[] }>(await h.gql(tokens.agent!, MINE)).changeRequests;
    expect(mine.map((c) => c.id).sort()).toEqual([plainId, sensitiveId].sort());
    expect(refused(await open('oncologist', plainId), 'FORBIDDEN').extensions).toMatchObject({ dataClass: 'configuration' });
  });

  it('a nurse, a clinical-admin and a billing-manager each see only what their field rules give them', async () => {
    // Each either cannot open the change at all (no configuration read, cannot act on it) or opens it and sees the
    // resource as their medication rules on this patient allow; never the drug without a right to read it.
    const seen: Record<string, unknown> = {};
    for (const who of ['nurse', 'clinicalAdmin', 'billing']) {
      const r = await open(who, plainId);
      if (r.body.errors) {
        refused(r, 'FORBIDDEN');
        seen[who] = 'FORBIDDEN';
        continue;
      }
      const v = r.body.data!.changeRequest;
      seen[who] = v.withheldPaths.includes('') ? 'WITHHELD' : v.withheldPaths.length ? 'PARTIAL' : 'FULL';
      if (v.withheldPaths.includes('')) {
        expect(v.after).toBeNull();
        expect(v.diff).toEqual([]);
        expect(JSON.stringify(r.body)).not.toMatch(/Lisinopril|314076|one tablet daily/);
      }
    }
    expect(seen).toEqual(EXPECTED_ROLE_VIEWS);
  });

  it('an antiretroviral is withheld whole from an approver without the `sensitive` grant, shown to one with it', async () => {
    // Nobody approves what they may not see: without the grant the clinician can neither act on it nor open it, and
    // the refusal names the grant, never the drug.
    const opened = await open('clinician', sensitiveId);
    expect(opened.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(opened.body)).not.toMatch(/Biktarvy|1999563|one tablet daily/);
    const approve = await h.gql(tokens.clinician!, 'mutation($id: ID!) { approveMedicationProposal(changeId: $id) { status } }', {
      id: sensitiveId,
    });
    expect(approve.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', failedScope: 'grant' });
    const actionable = ok<{ changeRequests: { id: string }[] }>(
      await h.gql(tokens.clinician!, '{ changeRequests(actionable: true) { id } }'),
    );
    expect(actionable.changeRequests.map((c) => c.id)).not.toContain(sensitiveId);
    // A configuration reader opens it and sees it withheld whole.
    const admin = await view('clinicalAdmin', sensitiveId);
    expect(admin).toMatchObject({ after: null, diff: [], withheldPaths: [''] });
    const withGrant = await view('clinicianSensitive', sensitiveId);
    expect(withGrant.withheldPaths).toEqual([]);
    expect(withGrant.after).toMatchObject({ medicationCodeableConcept: { text: 'Biktarvy 50/200/25 MG Oral Tablet' } });
    expect(withGrant.viewerCanApprove).toBe(true);
  });

  it('the clinician who can act on a proposal approves or rejects it through the one path (approveChange, rejectChange); others ' +
    'cannot', async () => {
    const propose = async (key: string) =>
      ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
        await h.gql(tokens.agent!, PROPOSE, {
          p: DENNIS,
          i: { idempotencyKey: key, medication: 'Metoprolol 25 MG Oral Tablet', dosage: 'twice daily', promptTemplateVersion: 'triage@3' },
        }),
      ).proposeMedicationRequest.changeRequestId;
    const toReject = await propose('view-key-reject1');
    const REJECT = 'mutation($id: ID!) { rejectChange(id: $id, reason: "wrong drug") { status } }';
    const refused = await h.gql(tokens.oncologist!, REJECT, { id: toReject });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(ok<{ rejectChange: { status: string } }>(await h.gql(tokens.clinician!, REJECT, { id: toReject })).rejectChange.status).toBe(
      'REJECTED',
    );
    const toApprove = await propose('view-key-approve1');
    const approved = ok<{ approveChange: { status: string } }>(
      await h.gql(tokens.clinician!, 'mutation($id: ID!) { approveChange(id: $id) { status } }', { id: toApprove }),
    );
    expect(['APPROVED', 'APPLIED']).toContain(approved.approveChange.status);
    // Not a configuration reader: a setting change stays out of reach.
    const nurse = await h.gql(tokens.nurse!, REJECT, { id: toApprove });
    expect(nurse.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe("a clinician's inbox is live (actionableChanges needs no configuration read, as changeRequests(actionable: true))", () => {
  it('a clinician of the patient gets the proposal as actionable; one of another department gets nothing', async () => {
    const ACTIONABLE = 'subscription { actionableChanges { kind changeId actionable change { id targetType } } }';
    const open = async (who: string) => {
      const s = await LiveSocket.open(h.url.replace(/\/graphql$/, '/graphql/ws'), { authorization: `Bearer ${tokens[who]}` });
      expect(await s.acked()).toBe(true);
      s.subscribe('a', ACTIONABLE);
      return s;
    };
    const [mine, other] = [await open('clinician'), await open('oncologist')];
    const agent = await h.token({ sub: 'triage-bot-2', roles: ['ai-agent'], departments: ['cardiology', 'oncology'], kind: 'agent' });
    let n = 0;
    const propose = async (patient: string) =>
      ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
        await h.gql(agent, PROPOSE, {
          p: patient,
          i: { idempotencyKey: `live-inbox-${++n}`, medication: 'Amlodipine 5 MG', dosage: 'daily' },
        }),
      ).proposeMedicationRequest.changeRequestId;
    const received = (s: LiveSocket) =>
      s.of('a')
        .filter((x) => x.type === 'next')
        .map((x) => (x.payload!.data as { actionableChanges: { changeId: string } }).actionableChanges);
    const arrives = (s: LiveSocket, id: string) =>
      s.waitFor((x) => x.id === 'a' && x.type === 'next' && JSON.stringify(x.payload).includes(id));
    try {
      // No wait on the clock: each stream is known to be listening once an event of its own arrived, and events reach a
      // stream in order, so one that arrived later proves the earlier ones were passed on or dropped.
      await arrives(other, await propose(CARROLL)); // the oncologist's stream listens
      await arrives(mine, await propose(DENNIS)); // the clinician's stream listens
      const cardiology = await propose(DENNIS);
      const oncology = await propose(CARROLL);
      const m = await arrives(mine, cardiology);
      expect(m.payload!.errors).toBeUndefined();
      expect(m.payload!.data).toEqual({
        actionableChanges: {
          kind: 'PROPOSED', changeId: cardiology, actionable: true, change: { id: cardiology, targetType: 'EHR_WRITE' },
        },
      });
      await arrives(other, oncology);
      // The oncologist cannot act on a cardiology proposal, nor the cardiologist on an oncology one: never offered.
      expect(received(other).map((e) => e.changeId)).not.toContain(cardiology);
      const later = await propose(DENNIS);
      await arrives(mine, later);
      expect(received(mine).map((e) => e.changeId)).not.toContain(oncology);
    } finally {
      mine.close();
      other.close();
    }
  });
});

describe("a clinical change carries no free text of its own (the tester's HIV reason)", () => {
  const REASON = 'HIV viral load rising';
  const CHANGE_TEXT = 'query($id: ID!) { changeRequest(id: $id) { reason after withheldPaths approvals { comment } ' +
    'rejection { reason } } }';
  let id: string;

  beforeAll(async () => {
    id = ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
      await h.gql(tokens.agent!, PROPOSE, {
        p: DENNIS,
        i: { idempotencyKey: 'view-key-reason1', medication: 'Lisinopril 10 MG Oral Tablet', dosage: 'daily', reason: REASON },
      }),
    ).proposeMedicationRequest.changeRequestId;
  });

  it("the proposal's reason is in the proposed resource (reasonCode), which it makes sensitive: withheld whole without the " +
    'grant', async () => {
    for (const who of ['clinicalAdmin', 'billing']) {
      type Opened = { changeRequest: { reason: string | null; after: unknown; withheldPaths: string[] } };
      const r = await h.gql<Opened>(tokens[who]!, CHANGE_TEXT, { id });
      expect(ok(r).changeRequest).toMatchObject({ reason: null, after: null, withheldPaths: [''] });
      expect(JSON.stringify(r.body)).not.toContain('viral load');
    }
    expect(JSON.stringify((await open('clinician', id)).body)).not.toContain('viral load');
    const withGrant = ok<{ changeRequest: { reason: string | null; after: { reasonCode?: unknown } } }>(
      await h.gql(tokens.clinicianSensitive!, CHANGE_TEXT, { id }),
    ).changeRequest;
    expect(withGrant.reason).toBeNull();
    expect(withGrant.after.reasonCode).toEqual([{ text: REASON }]);
  });

  it('a prompt template version is an id (triage@3), never prose: refused before anything is proposed', async () => {
    for (const version of ['HIV viral load rising v2', 'triage@3 HIV', 'triage', 'a@b\nc', `${'x'.repeat(61)}@1`]) {
      const r = await h.gql(tokens.agent!, PROPOSE, {
        p: DENNIS,
        i: { idempotencyKey: `view-key-ptv-${version.length}`, medication: 'Aspirin', dosage: 'daily', promptTemplateVersion: version },
      });
      expect(r.body.errors?.[0]?.extensions, version).toMatchObject({ code: 'BAD_USER_INPUT', field: 'promptTemplateVersion' });
    }
    for await (const raw of h.running.audit.rawRecords('acme')) expect(raw).not.toMatch(/viral load rising v2|triage@3 HIV/);
  });

  it('neither the stored change nor any audit record holds the reason: every channel built from them is clean', async () => {
    const stored = await h.running.governance.store.getChange('acme', id);
    expect(JSON.stringify(stored)).not.toContain('viral load');
    // The class: every string of a clinical change's snapshot is an id of ours, never words (the draft holds those).
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    for (const s of strings([stored!.change.before, stored!.change.after, stored!.change.reason]))
      expect(s).toMatch(/^(MedicationRequest|[A-Za-z0-9.-]{1,64}|[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9._-]+)$/);
    for await (const raw of h.running.audit.rawRecords('acme')) expect(raw).not.toContain('viral load');
  });

  it('an approval comment or a free-text rejection of a clinical change is refused (CLINICAL_TEXT), nothing recorded; the listed ' +
    'rejection reasons are taken', async () => {
    const APPROVE = 'mutation($id: ID!, $c: String) { approveChange(id: $id, comment: $c) { status } }';
    const APPROVE_PROPOSAL = 'mutation($id: ID!, $c: String) { approveMedicationProposal(changeId: $id, comment: $c) { status } }';
    const REJECT = 'mutation($id: ID!, $r: String!) { rejectChange(id: $id, reason: $r) { status } }';
    const other = ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
      await h.gql(tokens.agent!, PROPOSE, {
        p: DENNIS,
        i: { idempotencyKey: 'view-key-text01', medication: 'Atorvastatin 20 MG', dosage: 'nightly' },
      }),
    ).proposeMedicationRequest.changeRequestId;
    const before = JSON.stringify(await h.running.governance.store.getChange('acme', other));
    for (const [q, v] of [
      [APPROVE, { id: other, c: 'patient has HIV, ok' }],
      [APPROVE_PROPOSAL, { id: other, c: 'patient has HIV, ok' }],
      [REJECT, { id: other, r: 'patient has HIV' }],
      [REJECT, { id: other, r: 'wrong dose: HIV' }],
    ] as const) {
      const r = await h.gql(tokens.clinician!, q, v);
      expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CLINICAL_TEXT' });
    }
    expect(JSON.stringify(await h.running.governance.store.getChange('acme', other))).toBe(before);
    expect(ok<{ rejectChange: { status: string } }>(await h.gql(tokens.clinician!, REJECT, { id: other, r: ' Wrong Dose ' }))).toEqual({
      rejectChange: { status: 'REJECTED' },
    });
    const rejected = ok<{ changeRequest: { rejection: { reason: string } } }>(
      await h.gql(tokens.clinicalAdmin!, CHANGE_TEXT, { id: other }),
    );
    expect(rejected.changeRequest.rejection.reason).toBe('wrong dose');
  });
});

/** What each role gets of a cardiology patient's non-sensitive medication proposal (rules/default-policy.json). */
const EXPECTED_ROLE_VIEWS = { nurse: 'FORBIDDEN', clinicalAdmin: 'WITHHELD', billing: 'WITHHELD' };
