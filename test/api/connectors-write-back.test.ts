import type { MedicationRequest, Provenance } from '@medplum/fhirtypes';
import { Operator } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { actors, APPROVE, ok, refused, SET_WRITE_BACK, UPDATE_SETTING, type Change, type ChangeResult } from './governance-operations.js';

// Issue 5, "must hold": against the embedded FHIR server over HTTP, write-back is refused while disabled, writes
// after the governed enable, a retried write with the same idempotency key creates one resource, a stale If-Match is
// refused, and an AI agent's medication proposal waits for a clinician.

const NOTE = `mutation($p: ID!, $i: WriteBackNoteInput!) { writeBackNote(patientId: $p, input: $i) { resourceType id versionId created } }`;
const OBS = `mutation($p: ID!, $i: RecordObservationInput!) { recordObservation(patientId: $p, input: $i) { resourceType id created } }`;
const PROPOSE = `mutation($p: ID!, $i: ProposeMedicationRequestInput!) { proposeMedicationRequest(patientId: $p, input: $i) { status ` +
  `changeRequestId write { id } } }`;
const APPROVE_MED = `mutation($id: ID!) { approveMedicationProposal(changeId: $id) { status changeRequestId } }`;

type Written = { resourceType: string; id: string; versionId: string; created: boolean };

let h: Harness;
let t: Record<'clin' | 'onco' | 'agent' | 'eng1' | 'eng2', string>;

const note = (key: string, extra: Record<string, unknown> = {}) => ({
  p: DENNIS,
  i: { idempotencyKey: key, title: 'Follow-up', text: 'BP 128/82, stable.', ...extra },
});

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  t = await actors(h, {
    clin: { roles: ['clinician'] },
    onco: { roles: ['clinician'] },
    agent: { roles: ['ai-agent'] },
    eng1: { roles: ['integration-engineer'] },
    eng2: { roles: ['integration-engineer'] },
  });
  t.clin = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] });
  t.onco = await h.token({ sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'] });
  t.agent = await h.token({ sub: 'triage-bot', roles: ['ai-agent'], departments: ['cardiology'], kind: 'agent' });
}, 60_000);
afterAll(() => h.stop());

async function enableWriteBack(): Promise<void> {
  const scopes = ok<{ updateSetting: ChangeResult }>(
    await h.gql(t.eng1, UPDATE_SETTING, {
      input: {
        key: 'integration.ehr.scopes',
        environment: 'STAGING',
        reason: 'write-back go-live',
        value: ['system/DocumentReference.cru', 'system/Observation.cr', 'system/MedicationRequest.cr'],
      },
    }),
  );
  expect(scopes.updateSetting.status).toBe('APPLIED');
  const proposed = ok<{ setWriteBack: ChangeResult }>(
    await h.gql(t.eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
  );
  expect(proposed.setWriteBack.status).toBe('PENDING_APPROVAL');
  const approved = ok<{ approveChange: Change }>(await h.gql(t.eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id }));
  expect(approved.approveChange.status).toBe('APPLIED');
}

describe('EHR write-back over HTTP', () => {
  it('is refused while disabled, and nothing reaches the FHIR server', async () => {
    const before = h.running.fhir!.requests.filter((r) => r.method !== 'GET').length;
    const e = refused(await h.gql(t.clin, NOTE, note('note-key-0001')), 'FORBIDDEN', 'WRITE_BACK_DISABLED');
    expect(e.message).toMatch(/disabled in STAGING/);
    expect(h.running.fhir!.requests.filter((r) => r.method !== 'GET').length).toBe(before);
  });

  it('writes after the governed enable; a retry with the same key creates one resource', async () => {
    await enableWriteBack();
    const first = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note('note-key-0002'))).writeBackNote;
    const again = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note('note-key-0002'))).writeBackNote;
    expect(first).toMatchObject({ resourceType: 'DocumentReference', created: true });
    expect(again).toMatchObject({ id: first.id, created: false });
    const docs = await h.running.fhir!.repository('acme').searchResources({ resourceType: 'DocumentReference', filters: [], count: 1000 });
    expect(docs.filter((d) => d.id === first.id)).toHaveLength(1);
    const sameKey = docs.filter((d) =>
      JSON.stringify(d).includes((docs.find((x) => x.id === first.id) as { identifier?: { value?: string }[] }).identifier!.at(-1)!.value!),
    );
    expect(sameKey).toHaveLength(1);
    const obs = ok<{ recordObservation: Written }>(
      await h.gql(t.clin, OBS, {
        p: DENNIS,
        i: { idempotencyKey: 'obs-key-0001', code: '8867-4', display: 'Heart rate', value: 72, unit: '/min' },
      }),
    );
    expect(obs.recordObservation.created).toBe(true);
  });

  it('refuses a stale If-Match with CONFLICT', async () => {
    const created = ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note('note-key-0003'))).writeBackNote;
    const v1 = created.versionId;
    const amended = ok<{ writeBackNote: Written }>(
      await h.gql(t.clin, NOTE, note('note-key-0004', { documentId: created.id, expectedVersion: v1, final: true })),
    );
    expect(amended.writeBackNote.versionId).not.toBe(v1);
    const stale = refused(
      await h.gql(t.clin, NOTE, note('note-key-0005', { documentId: created.id, expectedVersion: v1 })),
      'CONFLICT',
      'STALE_VERSION',
    );
    expect(stale.message).toMatch(/no longer at version/);
  });

  it('asks the policy who may write: another department and an agent are refused', async () => {
    const e = refused(await h.gql(t.onco, NOTE, note('note-key-0006')), 'FORBIDDEN');
    expect(e.extensions).toMatchObject({ permission: 'write:notes', failedScope: 'department' });
    const a = refused(await h.gql(t.agent, NOTE, note('note-key-0007')), 'FORBIDDEN');
    expect(a.extensions).toMatchObject({ permission: 'write:notes' });
  });

  it("queues an agent's medication proposal until a clinician of the department approves it", async () => {
    const input = {
      idempotencyKey: 'med-key-0001',
      medication: 'Lisinopril 10 MG Oral Tablet',
      rxnorm: '314076',
      dosage: 'once daily',
      promptTemplateVersion: 'triage@3',
    };
    const proposed = ok<{ proposeMedicationRequest: { status: string; changeRequestId: string } }>(
      await h.gql(t.agent, PROPOSE, { p: DENNIS, i: input }),
    ).proposeMedicationRequest;
    expect(proposed.status).toBe('PENDING_APPROVAL');
    const repo = h.running.fhir!.repository('acme');
    const meds = async () =>
      (await repo.searchResources({
        resourceType: 'MedicationRequest',
        filters: [{ code: 'intent', operator: Operator.EQUALS, value: 'proposal' }],
      })) as MedicationRequest[];
    expect(await meds()).toHaveLength(0);
    // An oncology clinician may not approve a cardiology patient's medication; the agent never approves.
    refused(await h.gql(t.onco, APPROVE_MED, { id: proposed.changeRequestId }), 'FORBIDDEN');
    const done = ok<{ approveMedicationProposal: { status: string } }>(await h.gql(t.clin, APPROVE_MED, { id: proposed.changeRequestId }));
    expect(done.approveMedicationProposal.status).toBe('WRITTEN');
    const written = await meds();
    expect(written).toHaveLength(1);
    const prov = ((await repo.searchResources({ resourceType: 'Provenance', filters: [], count: 1000 })) as Provenance[]).find((p) =>
      p.target[0]?.reference?.startsWith(`MedicationRequest/${written[0]!.id}`),
    );
    expect(prov?.agent.map((a) => a.who?.identifier?.value)).toEqual(['triage-bot', 'dr-grey']);
    expect(prov?.entity?.[0]?.what.identifier?.value).toBe('triage@3');
  });
  // Issue 13 item 8: integration.ehr.writeBackMappings has an effect. Applied, only mapped (resourceType, mode)
  // pairs are written; the rest is refused NOT_MAPPED before anything reaches the FHIR server. Empty again: as before.
  it('writeBackMappings, once applied, limits what is written; emptied, everything the scopes allow is written again', async () => {
    const setMappings = async (value: unknown[]) =>
      ok<{ updateSetting: ChangeResult }>(
        await h.gql(t.eng1, UPDATE_SETTING, {
          input: { key: 'integration.ehr.writeBackMappings', environment: 'STAGING', value, reason: 'mapping test' },
        }),
      );
    const applied = await setMappings([{ source: 'visit-summary', resourceType: 'DocumentReference', mode: 'create' }]);
    let change = applied.updateSetting.changeRequest;
    if (change.status === 'PENDING') change = ok<{ approveChange: Change }>(await h.gql(t.eng2, APPROVE, { id: change.id })).approveChange;
    expect(change.status).toBe('APPLIED');
    expect(ok<{ writeBackNote: Written }>(await h.gql(t.clin, NOTE, note('note-key-map1'))).writeBackNote.created).toBe(true);
    const before = h.running.fhir!.requests.filter((r) => r.method !== 'GET').length;
    const e = refused(
      await h.gql(t.clin, OBS, {
        p: DENNIS,
        i: { idempotencyKey: 'obs-key-map1', code: '8867-4', display: 'Heart rate', value: 70, unit: '/min' },
      }),
      'FORBIDDEN',
      'NOT_MAPPED',
    );
    expect(e.message).toContain('Observation');
    expect(h.running.fhir!.requests.filter((r) => r.method !== 'GET').length).toBe(before);
    let cleared = (await setMappings([])).updateSetting.changeRequest;
    if (cleared.status === 'PENDING')
      cleared = ok<{ approveChange: Change }>(await h.gql(t.eng2, APPROVE, { id: cleared.id })).approveChange;
    expect(cleared.status).toBe('APPLIED');
    expect(
      ok<{ recordObservation: Written }>(
        await h.gql(t.clin, OBS, {
          p: DENNIS,
          i: { idempotencyKey: 'obs-key-map2', code: '8867-4', display: 'Heart rate', value: 70, unit: '/min' },
        }),
      ).recordObservation.created,
    ).toBe(true);
  });
  // Issue 13 item 10: clinical changes reach clinicians, through one approval path with the target's own check.
  it('a clinician lists the proposals they can act on without configuration read; a clinical-admin without the patient cannot ' +
    'approve', async () => {
    const ACTIONABLE = `{ changeRequests(actionable: true) { id targetType } }`;
    const input = {
      idempotencyKey: 'med-key-act1',
      medication: 'Metoprolol 25 MG Oral Tablet',
      rxnorm: '866924',
      dosage: 'twice daily',
      promptTemplateVersion: 'triage@3',
    };
    const proposed = ok<{ proposeMedicationRequest: { changeRequestId: string } }>(
      await h.gql(t.agent, PROPOSE, { p: DENNIS, i: input }),
    ).proposeMedicationRequest;
    const ids = async (token: string) =>
      ok<{ changeRequests: { id: string }[] }>(await h.gql(token, ACTIONABLE)).changeRequests.map((c) => c.id);
    expect(await ids(t.clin)).toContain(proposed.changeRequestId);
    expect(await ids(t.onco)).not.toContain(proposed.changeRequestId);
    expect(await ids(t.agent)).not.toContain(proposed.changeRequestId);
    // The whole queue stays configuration: a clinician without configuration read is refused it.
    refused(await h.gql(t.clin, `{ changeRequests { id } }`), 'FORBIDDEN');
    // A clinical-admin (clinical function, configuration read, no patient rights) neither sees it as actionable nor
    // approves it through the generic approveChange.
    const director = await h.token({ sub: 'dr-director', roles: ['clinical-admin'], mfa: true });
    expect(await ids(director)).not.toContain(proposed.changeRequestId);
    refused(await h.gql(director, APPROVE, { id: proposed.changeRequestId }), 'FORBIDDEN');
    refused(
      await h.gql(director, `mutation ($id: ID!) { rejectChange(id: $id, reason: "no") { id } }`, { id: proposed.changeRequestId }),
      'FORBIDDEN',
    );
    const done = ok<{ approveMedicationProposal: { status: string } }>(await h.gql(t.clin, APPROVE_MED, { id: proposed.changeRequestId }));
    expect(done.approveMedicationProposal.status).toBe('WRITTEN');
    expect(await ids(t.clin)).not.toContain(proposed.changeRequestId);
  });
});
