import { readFileSync } from 'node:fs';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { GraphQLInputType, GraphQLNamedType } from 'graphql';
import { getNamedType, isInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { CARROLL, CHET, DENNIS, FRANKIE } from '../connectors/ehr/helpers.js';
import { startHarness, type GqlResponse, type Harness } from '../support/harness.js';
import { actors, APPROVE, ok, refused, SET_WRITE_BACK, UPDATE_SETTING, type Change, type ChangeResult } from './governance-operations.js';

// Finding 6: a write authorizes against what it changes, as stored. An update of a stored record the caller may not
// read (sensitive without the grant, another department, another tenant) or of another patient than the one its
// `patientId` names is refused exactly as an unknown id: the same answer (code, message, path), no version compared
// first, nothing written, and the refusal audited as an access.denied failure event.

const NOTE = `mutation Note($p: ID!, $i: WriteBackNoteInput!) {
  writeBackNote(patientId: $p, input: $i) { resourceType id versionId created } }`;
const NOTES = `query ($id: ID!) { patient(id: $id) { notes { id kind } } }`;
const EVENTS = `query($f: AuditEventFilter) { auditEvents(filter: $f, first: 100) { edges { node { action outcome patientId detail } } } }`;
type Written = { resourceType: string; id: string; versionId: string; created: boolean };
type Stored = { id: string; versionId: string; patient: string };

let h: Harness;
let t: Record<'pc' | 'pcSens' | 'clin' | 'onco' | 'auditor' | 'eng1' | 'eng2' | 'gEng1' | 'gEng2', string>;
const fx: { sensitive?: Stored; oncology?: Stored; chet?: Stored; globex?: Stored; frankiePlain?: Stored } = {};

const repo = (tenant = 'acme') => h.running.fhir!.repository(tenant);
const storedNote = async (tenant: string, id: string) => repo(tenant).readResource<DocumentReference>('DocumentReference', id);
/** Every FHIR request that could change something (any tenant). */
const fhirWrites = () => h.running.fhir!.requests.filter((r) => r.method !== 'GET').length;

async function enableWriteBack(eng1: string, eng2: string): Promise<void> {
  const value = ['system/DocumentReference.cru'];
  ok(await h.gql(eng1, UPDATE_SETTING, { input: { key: 'integration.ehr.scopes', environment: 'STAGING', reason: 'go-live', value } }));
  const proposed = ok<{ setWriteBack: ChangeResult }>(
    await h.gql(eng1, SET_WRITE_BACK, { connectorId: 'ehr', environment: 'STAGING', enabled: true, reason: 'go-live' }),
  );
  const approved = ok<{ approveChange: Change }>(await h.gql(eng2, APPROVE, { id: proposed.setWriteBack.changeRequest.id }));
  expect(approved.approveChange.status).toBe('APPLIED');
}

/** The patient's DocumentReference notes as the caller reads them (withheld rows are reported beside the data). */
async function noteIds(token: string, patient: string) {
  const r = await h.gql<{ patient: { notes: { id: string; kind: string }[] } }>(token, NOTES, { id: patient });
  return r.body.data!.patient.notes.filter((n) => n.kind === 'DOCUMENT_REFERENCE');
}

async function stored(tenant: string, id: string): Promise<Stored> {
  const doc = await storedNote(tenant, id);
  return { id, versionId: doc.meta!.versionId!, patient: doc.subject!.reference! };
}

const update = (patientId: string, documentId: string, expectedVersion: string, key: string) => ({
  p: patientId,
  i: { idempotencyKey: key, title: 'Overwrite', text: 'Overwritten by someone who may not read it.', documentId, expectedVersion },
});

beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_ENVIRONMENT: 'STAGING' } });
  t = {
    ...(await actors(h, {
      auditor: { roles: ['auditor'] },
      eng1: { roles: ['integration-engineer'] },
      eng2: { roles: ['integration-engineer'] },
    })),
    ...(await actors(h, {
      gEng1: { roles: ['integration-engineer'], tenant: 'globex' },
      gEng2: { roles: ['integration-engineer'], tenant: 'globex' },
    })),
    pc: await h.token({ sub: 'dr-park', roles: ['clinician'], departments: ['primary-care'] }),
    pcSens: await h.token({ sub: 'dr-sens', roles: ['clinician'], departments: ['primary-care'], grants: ['sensitive'] }),
    clin: await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology'] }),
    onco: await h.token({ sub: 'dr-onc', roles: ['clinician'], departments: ['oncology'] }),
  };
  await enableWriteBack(t.eng1, t.eng2);
  await enableWriteBack(t.gEng1, t.gEng2);
  // Frankie's notes as the read path gives them: with the grant, and without (the sensitive one withheld).
  const all = await noteIds(t.pcSens, FRANKIE);
  const plain = new Set((await noteIds(t.pc, FRANKIE)).map((n) => n.id));
  const sensitive = all.find((n) => !plain.has(n.id));
  expect(sensitive, 'the seed has a sensitive progress note of Frankie').toBeDefined();
  fx.sensitive = await stored('acme', sensitive!.id);
  const written = ok<{ writeBackNote: Written }>(
    await h.gql(t.pc, NOTE, { p: FRANKIE, i: { idempotencyKey: 'fx-frankie', title: 'Follow-up', text: 'BP 120/80.' } }),
  ).writeBackNote;
  fx.frankiePlain = await stored('acme', written.id);
  const onco = ok<{ writeBackNote: Written }>(
    await h.gql(t.onco, NOTE, { p: CARROLL, i: { idempotencyKey: 'fx-carroll', title: 'Follow-up', text: 'Stable.' } }),
  ).writeBackNote;
  fx.oncology = await stored('acme', onco.id);
  const chet = ok<{ writeBackNote: Written }>(
    await h.gql(t.clin, NOTE, { p: CHET, i: { idempotencyKey: 'fx-chet', title: 'Follow-up', text: 'Stable.' } }),
  ).writeBackNote;
  fx.chet = await stored('acme', chet.id);
  const globex = await repo('globex').searchResources<DocumentReference>({ resourceType: 'DocumentReference', filters: [], count: 1 });
  fx.globex = await stored('globex', globex[0]!.id);
}, 120_000);
afterAll(() => h.stop());

/** The answer to an update of an id nobody has, for the same caller and patient. */
const unknownAnswer = (token: string, patient: string, key: string) => h.gql(token, NOTE, update(patient, 'no-such-note-404', '1', key));

/** The answer with everything but the request itself. */
const answerOf = (r: GqlResponse) => ({ status: r.status, body: r.body });

interface Kind {
  readonly token: () => string;
  /** The patientId argument the caller sends (one it may write on). */
  readonly patient: string;
  readonly target: () => Stored;
  readonly tenant: string;
  /** The reason recorded in the audit log. */
  readonly reason: string;
}

// One row per kind of "may not read / may not act on": the argument patient is always one the caller may write on.
const KINDS: Record<string, Kind> = {
  'sensitive without the grant': {
    token: () => t.pc,
    patient: FRANKIE,
    target: () => fx.sensitive!,
    tenant: 'acme',
    reason: 'TARGET_NOT_READABLE',
  },
  'another department': { token: () => t.clin, patient: DENNIS, target: () => fx.oncology!, tenant: 'acme', reason: 'TARGET_NOT_READABLE' },
  'another tenant': { token: () => t.clin, patient: DENNIS, target: () => fx.globex!, tenant: 'globex', reason: '' },
  'patientId naming another patient': {
    token: () => t.clin,
    patient: DENNIS,
    target: () => fx.chet!,
    tenant: 'acme',
    reason: 'TARGET_PATIENT_MISMATCH',
  },
};

describe('writeBackNote(documentId:) of a stored note the caller may not act on', () => {
  it.each(Object.entries(KINDS))('%s: answered exactly as an unknown id, nothing written, note unchanged', async (_name, kind) => {
    const target = kind.target();
    const before = await storedNote(kind.tenant, target.id);
    const writes = fhirWrites();
    const unknown = answerOf(await unknownAnswer(kind.token(), kind.patient, `unknown-${target.id}`));
    refused({ body: unknown.body }, 'NOT_FOUND');
    // At the stored version and at a stale one: the version is never compared for a target the caller may not act on.
    for (const version of [target.versionId, '1', '999']) {
      const r = await h.gql(kind.token(), NOTE, update(kind.patient, target.id, version, `hidden-${target.id}-${version}`));
      expect(answerOf(r)).toEqual(unknown);
    }
    expect(fhirWrites()).toBe(writes);
    const after = await storedNote(kind.tenant, target.id);
    expect(after.meta?.versionId).toBe(before.meta?.versionId);
    expect(after.subject).toEqual(before.subject);
    expect(after.content).toEqual(before.content);
  });

  it('each refusal of a stored note is audited as an access.denied failure event naming why, never a value', async () => {
    type Event = { action: string; outcome: string; patientId: string | null; detail: Record<string, unknown> };
    const nodes = ok<{ auditEvents: { edges: { node: Event }[] } }>(
      await h.gql(t.auditor, EVENTS, { f: { outcome: 'FAILURE' } }),
    ).auditEvents.edges.map((e) => e.node);
    const denied = nodes.filter((n) => n.action === 'access.denied' && n.detail['target'] !== undefined);
    for (const kind of Object.values(KINDS).filter((k) => k.reason)) {
      const target = kind.target();
      const events = denied.filter((n) => n.detail['target'] === `ehr:DocumentReference/${target.id}`);
      expect(events.length, target.id).toBeGreaterThanOrEqual(3);
      expect(events[0]!.detail['reasons']).toEqual([kind.reason]);
      expect(events[0]!.patientId).toBe(target.patient.replace('Patient/', ''));
      expect(JSON.stringify(events)).not.toContain('Overwritten');
    }
    // Another tenant's note is never read (it is not there for this tenant): that is an unknown id, with nothing to audit.
    expect(denied.some((n) => n.detail['target'] === `ehr:DocumentReference/${fx.globex!.id}`)).toBe(false);
  });

  it('a caller who may act on the stored note gets the version check (STALE_VERSION) and then writes', async () => {
    const target = fx.sensitive!;
    refused(await h.gql(t.pcSens, NOTE, update(FRANKIE, target.id, '999', 'allowed-stale')), 'CONFLICT', 'STALE_VERSION');
    const written = ok<{ writeBackNote: Written }>(await h.gql(t.pcSens, NOTE, update(FRANKIE, target.id, target.versionId, 'allowed-1')));
    expect(written.writeBackNote).toMatchObject({ id: target.id, created: false });
    expect(written.writeBackNote.versionId).not.toBe(target.versionId);
    // The plain note of the same patient stays writable by the clinician without the grant.
    const plain = fx.frankiePlain!;
    const again = ok<{ writeBackNote: Written }>(await h.gql(t.pc, NOTE, update(FRANKIE, plain.id, plain.versionId, 'plain-1')));
    expect(again.writeBackNote.id).toBe(plain.id);
  });
});

// Every mutation of the schema that takes the id of an existing stored record (an ID argument, or an ID field of its
// input, other than the patient a new record is created for). The table must list exactly these: a new one fails here.
// Each says how a record its caller may not act on is answered and which test asserts it (none is left as a todo: a
// skipped test hides the gap). Those answering FORBIDDEN where writeBackNote answers NOT_FOUND name a record by an
// unguessable id (a change, a grant) or are refused for the caller's own rights before the record: README, "Left".
type Coverage = { readonly answer: string; readonly assertedIn: string };
const W = 'test/api/write-targets.test.ts';
const STORED_ID_MUTATIONS: Record<string, Coverage> = {
  'writeBackNote.input.documentId': {
    answer: 'NOT_FOUND as an unknown id, for every kind above',
    assertedIn: 'test/api/write-hidden-targets.test.ts',
  },
  'approveMedicationProposal.changeId': {
    answer: 'another tenant NOT_FOUND; another department or a sensitive drug FORBIDDEN, as changeRequest(id) answers',
    assertedIn: 'test/api/proposal-view.test.ts',
  },
  'approveChange.id': { answer: 'FORBIDDEN by the target check (change-target-check.ts), as changeRequest(id)', assertedIn: W },
  'rejectChange.id': { answer: 'as approveChange', assertedIn: W },
  'cancelChange.id': { answer: 'the requester\'s own: FORBIDDEN NOT_REQUESTER', assertedIn: W },
  'issueRefund.invoiceId': { answer: 'another tenant NOT_FOUND; write:financial is tenant-wide in the policy', assertedIn: W },
  'claimMessage.id': {
    answer: 'FORBIDDEN with the kernel\'s denial for the item\'s patient and words',
    assertedIn: 'test/api/sensitive-messages.test.ts',
  },
  'replyToMessage.id': { answer: 'as claimMessage', assertedIn: 'test/api/sensitive-messages.test.ts' },
  'closeMessage.id': { answer: 'as claimMessage', assertedIn: 'test/api/sensitive-messages.test.ts' },
  'completeReview.grantId': { answer: 'an access grant of a person, not a patient record', assertedIn: W },
  'revokeRole.grantId': { answer: 'an access grant of a person, not a patient record', assertedIn: W },
};
/** ID arguments that name the patient a new record is created for (its only target), not a stored record to change. */
const CREATE_FOR_PATIENT = new Set([
  'writeBackNote.patientId',
  'recordObservation.patientId',
  'proposeMedicationRequest.patientId',
  'sendPatientMessage.patientId',
  'routeInboundMessage.patientId',
  'breakGlass.patientId',
]);

function idPaths(prefix: string, type: GraphQLInputType, seen = new Set<GraphQLNamedType>()): string[] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [prefix];
  if (!isInputObjectType(named) || seen.has(named)) return [];
  seen.add(named);
  return Object.values(named.getFields()).flatMap((f) => idPaths(`${prefix}.${f.name}`, f.type, seen));
}

describe('the class: every write that takes a stored record\'s id', () => {
  it('is listed (a new one fails here until it says how a record its caller may not read is answered)', () => {
    const fields = Object.values(buildUnguardedSchema().getMutationType()!.getFields());
    const ids = fields
      .flatMap((m) => m.args.flatMap((a) => idPaths(`${m.name}.${a.name}`, a.type)))
      .filter((p) => !CREATE_FOR_PATIENT.has(p));
    expect(ids.sort()).toEqual(Object.keys(STORED_ID_MUTATIONS).sort());
  });
  it.each(Object.entries(STORED_ID_MUTATIONS))('%s: its answer is asserted where the table says', (path, coverage) => {
    expect(readFileSync(coverage.assertedIn, 'utf8')).toContain(path.split('.')[0]!);
  });
});
