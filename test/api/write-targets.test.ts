import type { DocumentReference } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { CARROLL, CHET, DENNIS, LEAN } from '../connectors/ehr/helpers.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import { actors, APPROVE, ok, refused, SET_WRITE_BACK, UPDATE_SETTING, type Change, type ChangeResult } from './governance-operations.js';

// Issue 13 item 3: a write authorizes against what it changes, as stored, never against its arguments. Every
// mutation of the schema is listed here (a new one fails the first test until it is): either it targets a patient's
// record, and then a target of another patient, another department and another tenant is refused with nothing
// written, or it says why it has no patient target. Item 4: idempotency keys scoped by tenant, caller and
// operation, with the request fingerprinted.

const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { resourceType id versionId created } }`;
const OBS = `mutation($p: ID!, $i: RecordObservationInput!) { recordObservation(patientId: $p, input: $i) { resourceType id created } }`;
const PROPOSE = `mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status ` +
  `changeRequestId write { id created } } }`;
const APPROVE_MED = `mutation($id: ID!) { approveMedicationProposal(changeId: $id) { status changeRequestId } }`;
const REFUND = `mutation($i: ID!) { issueRefund(invoiceId: $i, amount: 1, reason: "Duplicate charge") { status } }`;
const SEND = `mutation($p: ID!) { sendPatientMessage(patientId: $p, templateId: "lab-results-ready", variables: {name: "X", test: ` +
  `"CBC"}, idempotencyKey: "msg-k1") { status } }`;
const ROUTE = `mutation($p: ID!) { routeInboundMessage(patientId: $p, text: "When is my appointment?") { queue } }`;
const BREAK_GLASS = `mutation($p: ID!) { breakGlass(patientId: $p, reason: "Unconscious patient in the ED") { id patientId } }`;

type Written = { resourceType: string; id: string; versionId: string; created: boolean };
type Tokens = Record<
  'clin' | 'both' | 'onco' | 'agent' | 'oncoAgent' | 'globexAgent' | 'bill' | 'eng1' | 'eng2' | 'globexEng1' | 'globexEng2',
  string
>;

let h: Harness;
let t: Tokens;
const fx: {
  chetNote?: Written;
  carrollNote?: Written;
  globexNoteId?: string;
  globexInvoiceId?: string;
  oncoProposal?: string;
  globexProposal?: string;
} = {};

const note = (p: string, key: string, extra: Record<string, unknown> = {}) => ({
  p,
  i: { idempotencyKey: key, title: 'Follow-up', text: 'BP 128/82, stable.', ...extra },
});
const obs = (p: string, key: string) => ({ p, i: { idempotencyKey: key, code: '8867-4', display: 'Heart rate', value: 72, unit: '/min' } });
const med = (p: string, key: string) => ({
  p,
  i: { idempotencyKey: key, medication: 'Lisinopril 10 MG Oral Tablet', dosage: 'once daily' },
});

/** FHIR requests that change something (any tenant) so far. */
const fhirWrites = () => h.running.fhir!.requests.filter((r) => r.method !== 'GET').length;

/** The refusal, with nothing written to FHIR by the refused call. */
async function refusedUnwritten(call: () => Promise<GqlResponse>, code: string, reason?: string) {
  const before = fhirWrites();
  const error = refused(await call(), code, reason);
  expect(fhirWrites()).toBe(before);
  return error;
}

async function enableWriteBack(eng1: string, eng2: string): Promise<void> {
  const scopes = ['system/DocumentReference.cru', 'system/Observation.cr', 'system/MedicationRequest.cr'];
  expect(
    ok<{ updateSetting: ChangeResult }>(
      await h.gql(eng1, UPDATE_SETTING, {
        input: { key: 'integration.ehr.scopes', environment: 'STAGING', reason: 'go-live', value: scopes },
      }),
    ).updateSetting.status,
  ).toBe('APPLIED');
  const proposed = ok<{ setWriteBack: ChangeResult }>(
    await h.gql(eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
  );
  expect(
    ok<{ approveChange: Change }>(await h.gql(eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id })).approveChange.status,
  ).toBe('APPLIED');
}

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  t = {
    ...(await actors(h, {
      eng1: { roles: ['integration-engineer'] },
      eng2: { roles: ['integration-engineer'] },
      bill: { roles: ['billing-manager'] },
    })),
    ...(await actors(h, {
      globexEng1: { roles: ['integration-engineer'], tenant: 'globex' },
      globexEng2: { roles: ['integration-engineer'], tenant: 'globex' },
    })),
    clin: await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] }),
    both: await h.token({ sub: 'dr-both', roles: ['clinician'], departments: ['cardiology', 'oncology'] }),
    onco: await h.token({ sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'] }),
    agent: await h.token({ sub: 'triage-bot', roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' }),
    oncoAgent: await h.token({ sub: 'onco-bot', roles: ['ai-agent'], departments: ['oncology'], kind: 'agent' }),
    globexAgent: await h.token({ sub: 'triage-bot', tenant: 'globex', roles: ['ai-agent'], departments: ['oncology'], kind: 'agent' }),
  };
  await enableWriteBack(t.eng1, t.eng2);
  await enableWriteBack(t.globexEng1, t.globexEng2);
  fx.chetNote = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note(CHET, 'fixture-chet'))).writeBackNote;
  fx.carrollNote = ok<{ writeBackNote: Written }>(await h.gql(t.onco, NOTE, note(CARROLL, 'fixture-carroll'))).writeBackNote;
  const globexDocs = await h.running
    .fhir!.repository('globex')
    .searchResources<DocumentReference>({ resourceType: 'DocumentReference', filters: [], count: 1 });
  fx.globexNoteId = globexDocs[0]!.id;
  const invoices = await h.running.fhir!.repository('globex').searchResources({ resourceType: 'Invoice', filters: [], count: 1 });
  fx.globexInvoiceId = invoices[0]!.id;
  fx.oncoProposal = ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
    await h.gql(t.oncoAgent, PROPOSE, med(CARROLL, 'fixture-onco')),
  ).proposeMedicationRequest.changeRequestId;
  fx.globexProposal = ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
    await h.gql(t.globexAgent, PROPOSE, med(LEAN, 'fixture-globex')),
  ).proposeMedicationRequest.changeRequestId;
}, 120_000);
afterAll(() => h.stop());

type Probe = () => Promise<void>;
/** Not applicable, and why (the mutation has no separate argument or scope of that kind). */
type Because = string;
type Target = { readonly otherPatient: Probe | Because; readonly otherDepartment: Probe | Because; readonly otherTenant: Probe } | Because;

const TARGETS: Record<string, Target> = {
  writeBackNote: {
    otherPatient: async () => {
      // dr-both may write on both patients: the note is Chet's, so patientId Dennis is refused as an unknown note
      // (test/api/write-hidden-targets.test.ts) and Chet's note stays his.
      const e = await refusedUnwritten(
        () => h.gql(t.both, NOTE, note(DENNIS, 'mismatch-1', { documentId: fx.chetNote!.id, expectedVersion: fx.chetNote!.versionId })),
        'NOT_FOUND',
      );
      expect(e.extensions).toEqual({ code: 'NOT_FOUND', resource: 'DocumentReference' });
      const stored = await h.running.fhir!.repository('acme').readResource<DocumentReference>('DocumentReference', fx.chetNote!.id);
      expect(stored.subject?.reference).toBe(`Patient/${CHET}`);
      expect(stored.meta?.versionId).toBe(fx.chetNote!.versionId);
    },
    otherDepartment: async () => {
      // The argument names a cardiology patient the caller may write on; the stored note is an oncology patient's,
      // which the caller may not read: answered as an unknown note.
      const e = await refusedUnwritten(
        () => h.gql(t.clin, NOTE, note(DENNIS, 'dept-1', { documentId: fx.carrollNote!.id, expectedVersion: fx.carrollNote!.versionId })),
        'NOT_FOUND',
      );
      expect(e.extensions).toEqual({ code: 'NOT_FOUND', resource: 'DocumentReference' });
      await refusedUnwritten(() => h.gql(t.clin, NOTE, note(CARROLL, 'dept-2')), 'FORBIDDEN');
      const stored = await h.running.fhir!.repository('acme').readResource<DocumentReference>('DocumentReference', fx.carrollNote!.id);
      expect(stored.subject?.reference).toBe(`Patient/${CARROLL}`);
    },
    otherTenant: async () => {
      await refusedUnwritten(
        () => h.gql(t.clin, NOTE, note(DENNIS, 'tenant-1', { documentId: fx.globexNoteId, expectedVersion: '1' })),
        'NOT_FOUND',
      );
      await refusedUnwritten(() => h.gql(t.clin, NOTE, note(LEAN, 'tenant-2')), 'NOT_FOUND');
    },
  },
  recordObservation: {
    otherPatient: 'creates a new resource: the patient argument is its only target',
    otherDepartment: async () => void (await refusedUnwritten(() => h.gql(t.clin, OBS, obs(CARROLL, 'dept-obs')), 'FORBIDDEN')),
    otherTenant: async () => void (await refusedUnwritten(() => h.gql(t.clin, OBS, obs(LEAN, 'tenant-obs')), 'NOT_FOUND')),
  },
  proposeMedicationRequest: {
    otherPatient: 'creates a new resource (or proposal): the patient argument is its only target',
    otherDepartment: async () => {
      await refusedUnwritten(() => h.gql(t.clin, PROPOSE, med(CARROLL, 'dept-med')), 'FORBIDDEN');
      await refusedUnwritten(() => h.gql(t.agent, PROPOSE, med(CARROLL, 'dept-med')), 'FORBIDDEN');
    },
    otherTenant: async () => {
      await refusedUnwritten(() => h.gql(t.clin, PROPOSE, med(LEAN, 'tenant-med')), 'NOT_FOUND');
      await refusedUnwritten(() => h.gql(t.agent, PROPOSE, med(LEAN, 'tenant-med')), 'NOT_FOUND');
    },
  },
  approveMedicationProposal: {
    otherPatient: 'has no patient argument: the patient is the stored proposal\'s own',
    otherDepartment: async () => void (await refusedUnwritten(() => h.gql(t.clin, APPROVE_MED, { id: fx.oncoProposal }), 'FORBIDDEN')),
    otherTenant: async () => void (await refusedUnwritten(() => h.gql(t.clin, APPROVE_MED, { id: fx.globexProposal }), 'NOT_FOUND')),
  },
  issueRefund: {
    otherPatient: 'has no patient argument: the patient is the stored invoice\'s own',
    otherDepartment: 'write:financial is tenant-wide in the policy; the decision is still asked for the stored invoice\'s patient',
    otherTenant: async () => void (await refusedUnwritten(() => h.gql(t.bill, REFUND, { i: fx.globexInvoiceId }), 'NOT_FOUND')),
  },
  sendPatientMessage: {
    otherPatient: 'sends to the patient argument, its only target',
    otherDepartment: 'write:messaging is tenant-wide in the policy (front desk, care coordination)',
    otherTenant: async () => void (await refusedUnwritten(() => h.gql(t.clin, SEND, { p: LEAN }), 'NOT_FOUND')),
  },
  routeInboundMessage: {
    otherPatient: 'records for the patient argument, its only target',
    otherDepartment: 'write:messaging is tenant-wide in the policy (front desk, care coordination)',
    otherTenant: async () => void (await refusedUnwritten(() => h.gql(t.clin, ROUTE, { p: LEAN }), 'NOT_FOUND')),
  },
  breakGlass: {
    otherPatient: 'opens the patient argument, its only target',
    otherDepartment: 'opens a patient outside the caller\'s departments by design (time-limited, flagged, reviewed)',
    otherTenant: async () => {
      await refusedUnwritten(() => h.gql(t.clin, BREAK_GLASS, { p: LEAN }), 'NOT_FOUND');
      await refusedUnwritten(() => h.gql(t.clin, BREAK_GLASS, { p: 'no-such-patient' }), 'NOT_FOUND');
      const mine = ok<{ myAccess: { kind: string }[] }>(await h.gql(t.clin, '{ myAccess { kind } }'));
      expect(mine.myAccess.filter((g) => g.kind === 'BREAK_GLASS')).toEqual([]);
    },
  },
  assignRole: 'changes a person\'s access (governed change), not a patient\'s record',
  revokeRole: 'changes a person\'s access, not a patient\'s record',
  requestAccess: 'asks for the caller\'s own access (governed change)',
  completeReview: 'records a review of a stored grant, not a patient\'s record',
  proposePolicy: 'proposes the tenant\'s policy document',
  approveChange: 'approves a stored governed change (its own checks in governance)',
  rejectChange: 'rejects a stored governed change',
  cancelChange: 'cancels the caller\'s own stored change',
  runBillingAutomation: 'acts tenant-wide and needs write:financial tenant-wide',
  configureConnector: 'a connector setting of the caller\'s tenant',
  rotateConnectorSecret: 'a connector credential of the caller\'s tenant',
  generateConnectorKey: 'a connector key pair of the caller\'s tenant (governed credential)',
  // Queue items are read from the store first and the policy is asked for the item's own patient (workItem in
  // src/resolvers/messaging.ts); another tenant's item is NOT_FOUND: test/api/message-queues.test.ts.
  claimMessage: 'acts on a stored queue item, checked against its own patient',
  replyToMessage: 'acts on a stored queue item, checked against its own patient',
  closeMessage: 'acts on a stored queue item, checked against its own patient',
  testConnector: 'probes a connector of the caller\'s tenant',
  updateSetting: 'a governed setting of the caller\'s tenant',
  setWriteBack: 'a governed setting of the caller\'s tenant',
  rollbackSetting: 'a governed setting of the caller\'s tenant',
  promoteSetting: 'a governed setting of the caller\'s tenant',
  emergencyStop: 'a stop state of the caller\'s tenant',
  resume: 'a stop state of the caller\'s tenant (governed change)',
};

describe('every write authorizes its stored target', () => {
  it('lists every mutation of the schema (a new mutation fails here until its targets are tested)', () => {
    const mutations = Object.keys(buildUnguardedSchema().getMutationType()!.getFields()).sort();
    expect(Object.keys(TARGETS).sort()).toEqual(mutations);
  });

  const cases = Object.entries(TARGETS).flatMap(([m, target]) =>
    typeof target === 'string'
      ? []
      : (['otherPatient', 'otherDepartment', 'otherTenant'] as const).map((kind) => [m, kind, target[kind]] as const),
  );
  it.each(cases)('%s: a target of %s', async (_m, _kind, probe) => {
    if (typeof probe === 'string') expect(probe.length).toBeGreaterThan(10);
    else await probe();
  });
});

describe('idempotency keys of EHR writes', () => {
  it('the same key for another patient is CONFLICT IDEMPOTENCY_KEY_REUSED and nothing is lost', async () => {
    const first = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note(DENNIS, 'shared-key-1'))).writeBackNote;
    expect(first.created).toBe(true);
    await refusedUnwritten(() => h.gql(t.clin, NOTE, note(CHET, 'shared-key-1')), 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
    await refusedUnwritten(
      () => h.gql(t.clin, NOTE, note(DENNIS, 'shared-key-1', { text: 'Another text.' })),
      'CONFLICT',
      'IDEMPOTENCY_KEY_REUSED',
    );
    // The refused note is written with its own key; the first stays Dennis's.
    const second = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note(CHET, 'shared-key-2'))).writeBackNote;
    expect(second).toMatchObject({ created: true });
    expect(second.id).not.toBe(first.id);
    const repo = h.running.fhir!.repository('acme');
    expect((await repo.readResource<DocumentReference>('DocumentReference', first.id)).subject?.reference).toBe(`Patient/${DENNIS}`);
    expect((await repo.readResource<DocumentReference>('DocumentReference', second.id)).subject?.reference).toBe(`Patient/${CHET}`);
  });

  it('the same request replays the first answer without writing', async () => {
    const first = ok<{ recordObservation: Written }>(await h.gql(t.clin, OBS, obs(DENNIS, 'replay-1'))).recordObservation;
    const before = fhirWrites();
    const again = ok<{ recordObservation: Written }>(await h.gql(t.clin, OBS, obs(DENNIS, 'replay-1'))).recordObservation;
    expect(again).toEqual({ ...first, created: false });
    expect(fhirWrites()).toBe(before);
  });

  it('keys are scoped by caller and operation: the same key of another caller or operation is its own', async () => {
    const mine = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note(DENNIS, 'scoped-1'))).writeBackNote;
    const theirs = ok<{ writeBackNote: Written }>(await h.gql(t.both, NOTE, note(DENNIS, 'scoped-1'))).writeBackNote;
    expect(theirs.created).toBe(true);
    expect(theirs.id).not.toBe(mine.id);
    expect(ok<{ recordObservation: Written }>(await h.gql(t.clin, OBS, obs(DENNIS, 'scoped-1'))).recordObservation.created).toBe(true);
  });

  it('a replayed agent proposal answers its change as it stands now; another patient with the key is CONFLICT', async () => {
    const first = ok<{ proposeMedicationRequest: { status: string; changeRequestId: string } }>(
      await h.gql(t.agent, PROPOSE, med(DENNIS, 'prop-1')),
    ).proposeMedicationRequest;
    expect(first.status).toBe('PENDING_APPROVAL');
    refused(await h.gql(t.agent, PROPOSE, med(CHET, 'prop-1')), 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
    expect(
      ok<{ approveMedicationProposal: { status: string } }>(await h.gql(t.clin, APPROVE_MED, { id: first.changeRequestId }))
        .approveMedicationProposal.status,
    ).toBe('WRITTEN');
    const again = ok<{ proposeMedicationRequest: { status: string; changeRequestId: string } }>(
      await h.gql(t.agent, PROPOSE, med(DENNIS, 'prop-1')),
    ).proposeMedicationRequest;
    expect(again).toMatchObject({ status: 'WRITTEN', changeRequestId: first.changeRequestId });
  });

  it('states the key rules in the schema', () => {
    const input = buildUnguardedSchema().getType('WriteBackNoteInput') as { getFields(): Record<string, { description?: string | null }> };
    expect(input.getFields().idempotencyKey!.description).toMatch(/1-200 .* 24 h per tenant, caller and operation/s);
  });
});
