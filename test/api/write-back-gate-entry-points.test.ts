import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { denialsWithReason } from '../support/audit-events.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import {
  APPROVE,
  CHANGE_REQUEST,
  EMERGENCY_STOP,
  ok,
  refused,
  RESUME,
  setWriteBackApplied,
  type Change,
  type ChangeResult,
} from './governance-operations.js';

// Tester finding M5: with write-back disabled an agent's medication proposal was queued (PENDING_APPROVAL) while a
// clinician's own write was refused FORBIDDEN WRITE_BACK_DISABLED; explain said ALLOW to its approver, the approval
// answered APPROVED and the outbox failed 5 times. Every entry point that writes to the EHR (the write mutations, an
// agent's proposal, both ways of approving one) x every closed gate (write-back disabled, connector:ehr stopped):
// refused with the reason a clinician's own write gets, explain says the same, nothing written to the FHIR server,
// nothing queued or approved, and the refusal is an access.denied audit event. Opened again, the same key and the
// same proposal go through (nothing was half-applied).

const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { id versionId } }`;
const OBS = `mutation($p: ID!, $i: RecordObservationInput!) { recordObservation(patientId: $p, input: $i) { id } }`;
const PROPOSE = `mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status ` +
  `changeRequestId } }`;
const APPROVE_MED = `mutation($id: ID!) { approveMedicationProposal(changeId: $id) { status changeRequestId } }`;
const EXPLAIN = `query($a: String!, $r: ExplainResource) { explain(action: $a, resource: $r) { decision reason } }`;
const QUEUE = `{ changeRequests(first: 200) { id status approvals { sub } } }`;

let h: Harness;
let t: Record<'sec' | 'clin' | 'agent', string>;
/** A note written while the gate was open: the target of the update entry point. */
let note: { id: string; versionId: string };

const med = (key: string) => ({
  idempotencyKey: key,
  medication: 'Atorvastatin 20 MG Oral Tablet',
  rxnorm: '617310',
  dosage: '1 tablet daily',
  promptTemplateVersion: 'statin@1',
  reason: 'LDL elevated',
});
const writes = () => h.running.fhir!.requests.filter((r) => r.method !== 'GET').length;
const queue = async () => ok<{ changeRequests: { id: string; status: string; approvals: unknown[] }[] }>(await h.gql(t.sec, QUEUE));
const proposeWhileOpen = async (key: string) =>
  ok<{ proposeMedicationRequest: { status: string; changeRequestId: string } }>(await h.gql(t.agent, PROPOSE, { p: DENNIS, i: med(key) }))
    .proposeMedicationRequest.changeRequestId;

/** How the gate closes and opens again: every way the gateway has to keep writes from the EHR. */
const CLOSED: Record<'WRITE_BACK_DISABLED' | 'CONNECTOR_STOPPED', { close: () => Promise<void>; open: () => Promise<void> }> = {
  WRITE_BACK_DISABLED: { close: () => setWriteBackApplied(h, false), open: () => setWriteBackApplied(h, true) },
  CONNECTOR_STOPPED: {
    close: async () => {
      ok(await h.gql(t.sec, EMERGENCY_STOP, { target: 'connector:ehr', environment: 'STAGING', reason: 'gate test' }));
    },
    open: async () => {
      const vars = { target: 'connector:ehr', environment: 'STAGING', reason: 'over' };
      const r = ok<{ resume: ChangeResult }>(await h.gql(t.sec, RESUME, vars));
      expect(r.resume.status).toBe('APPLIED');
    },
  },
};

interface EntryPoint {
  /** Who calls it. */
  readonly actor: () => string;
  /** What is made while the gate is open for it to act on (a proposal to approve), keyed by the cell. */
  readonly prepare?: (cell: string) => Promise<string>;
  readonly explain: (prepared: string | undefined) => { a: string; r?: Record<string, unknown> };
  readonly run: (cell: string, prepared: string | undefined) => Promise<GqlResponse>;
  /** After opening again, the same call goes through. */
  readonly whenOpen: (cell: string, prepared: string | undefined) => Promise<void>;
}

const onDennis = (a: string) => () => ({ a, r: { patientId: DENNIS } });
const approveExplain = (id: string | undefined) => ({ a: `change:approve:${id!}` });
const approvedWhenOpen = (mutation: string) => async (_cell: string, id: string | undefined) => {
  const r = await h.gql<Record<string, { status: string }>>(t.clin, mutation, { id });
  expect(Object.values(ok(r))[0]!.status).toMatch(/^(WRITTEN|APPLIED)$/);
};

/** Every GraphQL entry point that writes to the EHR, by the caller who would. */
const ENTRY_POINTS: Record<string, EntryPoint> = {
  'writeBackNote (create), clinician': {
    actor: () => t.clin,
    explain: onDennis('write:notes'),
    run: (cell) => h.gql(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: `n-${cell}`, title: 'Follow-up', text: 'BP stable.' } }),
    whenOpen: async (cell) => {
      ok(await h.gql(t.clin, NOTE, { p: DENNIS, i: { idempotencyKey: `n-${cell}`, title: 'Follow-up', text: 'BP stable.' } }));
    },
  },
  'writeBackNote (update), clinician': {
    actor: () => t.clin,
    explain: onDennis('write:notes'),
    run: (cell) =>
      h.gql(t.clin, NOTE, {
        p: DENNIS,
        i: { idempotencyKey: `u-${cell}`, title: 'Follow-up', text: 'Amended.', documentId: note.id, expectedVersion: note.versionId },
      }),
    whenOpen: async (cell) => {
      const i = { idempotencyKey: `u-${cell}`, title: 'Follow-up', text: 'Amended.', documentId: note.id, expectedVersion: note.versionId };
      note = ok<{ writeBackNote: { id: string; versionId: string } }>(await h.gql(t.clin, NOTE, { p: DENNIS, i })).writeBackNote;
    },
  },
  'recordObservation, clinician': {
    actor: () => t.clin,
    explain: onDennis('write:observations'),
    run: (cell) =>
      h.gql(t.clin, OBS, { p: DENNIS, i: { idempotencyKey: `o-${cell}`, code: '8867-4', display: 'Heart rate', value: 70, unit: '/min' } }),
    whenOpen: async (cell) => {
      const i = { idempotencyKey: `o-${cell}`, code: '8867-4', display: 'Heart rate', value: 70, unit: '/min' };
      ok(await h.gql(t.clin, OBS, { p: DENNIS, i }));
    },
  },
  'proposeMedicationRequest, clinician (writes at once)': {
    actor: () => t.clin,
    explain: onDennis('medication:request'),
    run: (cell) => h.gql(t.clin, PROPOSE, { p: DENNIS, i: med(`mc-${cell}`) }),
    whenOpen: async (cell) => {
      const r = ok<{ proposeMedicationRequest: { status: string } }>(await h.gql(t.clin, PROPOSE, { p: DENNIS, i: med(`mc-${cell}`) }));
      expect(r.proposeMedicationRequest.status).toBe('WRITTEN');
    },
  },
  'proposeMedicationRequest, agent (proposes)': {
    actor: () => t.agent,
    explain: onDennis('medication:request'),
    run: (cell) => h.gql(t.agent, PROPOSE, { p: DENNIS, i: med(`ma-${cell}`) }),
    // The key was left free by the refusal: the same request now queues.
    whenOpen: async (cell) => {
      const r = ok<{ proposeMedicationRequest: { status: string } }>(await h.gql(t.agent, PROPOSE, { p: DENNIS, i: med(`ma-${cell}`) }));
      expect(r.proposeMedicationRequest.status).toBe('PENDING_APPROVAL');
    },
  },
  "approveMedicationProposal of an agent's proposal, clinician": {
    actor: () => t.clin,
    prepare: (cell) => proposeWhileOpen(`am-${cell}`),
    explain: approveExplain,
    run: (_cell, id) => h.gql(t.clin, APPROVE_MED, { id }),
    whenOpen: approvedWhenOpen(APPROVE_MED),
  },
  "approveChange of an agent's proposal, clinician": {
    actor: () => t.clin,
    prepare: (cell) => proposeWhileOpen(`ac-${cell}`),
    explain: approveExplain,
    run: (_cell, id) => h.gql(t.clin, APPROVE, { id }),
    whenOpen: approvedWhenOpen(APPROVE),
  },
};

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  t = {
    sec: await h.token({ sub: 'sec-gate', roles: ['security-admin'], mfa: true }),
    clin: await h.token({ sub: 'dr-gate', roles: ['clinician'], departments: ['cardiology'] }),
    agent: await h.token({ sub: 'statin-bot', roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' }),
  };
  await setWriteBackApplied(h, true);
  const i = { idempotencyKey: 'gate-note-0', title: 'Follow-up', text: 'BP stable.' };
  note = ok<{ writeBackNote: { id: string; versionId: string } }>(await h.gql(t.clin, NOTE, { p: DENNIS, i })).writeBackNote;
}, 120_000);
afterAll(() => h.stop());

describe('every EHR write entry point x every closed write-back gate', () => {
  const cells = Object.keys(CLOSED).flatMap((reason) => Object.keys(ENTRY_POINTS).map((entry) => [reason, entry] as const));

  it.each(cells)('%s: %s is refused with the reason, explained alike, nothing written or queued, audited', async (reason, entry) => {
    const gate = CLOSED[reason as keyof typeof CLOSED];
    const point = ENTRY_POINTS[entry]!;
    const cell = `${Object.keys(CLOSED).indexOf(reason)}-${Object.keys(ENTRY_POINTS).indexOf(entry)}`;
    const prepared = await point.prepare?.(cell);
    await gate.close();
    try {
      const [fhirWrites, before] = [writes(), await queue()];
      const denied = await denialsWithReason(h.running.audit.rawRecords('acme'), reason);
      const asked = await h.gql<{ explain: { decision: string; reason: string } }>(point.actor(), EXPLAIN, point.explain(prepared));
      const explained = ok(asked).explain;
      expect(explained).toEqual({ decision: 'DENY', reason });
      const error = refused(await point.run(cell, prepared), 'FORBIDDEN', reason);
      expect(error.extensions).toMatchObject({ connector: 'ehr', environment: 'STAGING' });
      expect(writes()).toBe(fhirWrites);
      // Nothing queued, nothing approved: the queue is as it was (a proposal still PENDING without approvals).
      expect((await queue()).changeRequests).toEqual(before.changeRequests);
      if (prepared) {
        const change = ok<{ changeRequest: Change }>(await h.gql(t.sec, CHANGE_REQUEST, { id: prepared })).changeRequest;
        expect([change.status, change.approvals]).toEqual(['PENDING', []]);
      }
      expect(await denialsWithReason(h.running.audit.rawRecords('acme'), reason)).toBe(denied + 1);
    } finally {
      await gate.open();
    }
    await point.whenOpen(cell, prepared);
  });
});
