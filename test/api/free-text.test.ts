import { getDirective } from '@graphql-tools/utils';
import { getNamedType, isInputObjectType, type GraphQLInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/server/build-schema.js';
import { startHarness, type Harness } from '../support/harness.js';

// Reasons, tickets, justifications and comments are shown to approvers and kept in the audit: a requester who could put
// a bidirectional override in a reason would show approvers one text and record another ("Trojan Source"), an ANSI
// escape would re-colour the terminal of whoever reads `clearance audit`. Every argument and input field the SDL marks
// @freeText is enumerated from the schema, each is sent every refused class of character and refused BAD_USER_INPUT
// naming it, and text with tabs, line breaks, emoji and right-to-left scripts is not refused for it. And every
// argument or input field of a mutation with such a name carries the mark, so a new one cannot slip past.

const FREE_TEXT_NAMES = /^(reason|ticket|justification|comment)$/;
const schema = buildUnguardedSchema();
const mutation = schema.getMutationType()!;

/** `field.arg` or `field.arg.inputField` for every marked place (and every place that should be). */
function places(mark: 'marked' | 'named'): string[] {
  const hit = (node: Parameters<typeof getDirective>[1], name: string) =>
    mark === 'marked' ? !!getDirective(schema, node, 'freeText')?.length : FREE_TEXT_NAMES.test(name);
  const out: string[] = [];
  for (const field of Object.values(mutation.getFields())) {
    for (const arg of field.args) {
      if (hit(arg, arg.name)) out.push(`${field.name}.${arg.name}`);
      const type = getNamedType(arg.type);
      if (isInputObjectType(type)) {
        for (const f of Object.values((type as GraphQLInputObjectType).getFields())) {
          if (hit(f, f.name)) out.push(`${field.name}.${arg.name}.${f.name}`);
        }
      }
    }
  }
  return out.sort();
}

const q = (s: string) => JSON.stringify(s);
/** One call per place: `$t` is the text; the other arguments are well typed (the check runs before anything is read). */
const CALLS: Record<string, (t: string) => string> = {
  'approveChange.comment': () => 'mutation ($t: String) { approveChange(id: "chg-x", comment: $t) { id } }',
  'rejectChange.reason': () => 'mutation ($t: String!) { rejectChange(id: "chg-x", reason: $t) { id } }',
  'revokeRole.reason': () => 'mutation ($t: String!) { revokeRole(assignee: "dr-x", assignedRole: "nurse", reason: $t) { status } }',
  'breakGlass.reason': () => 'mutation ($t: String!) { breakGlass(patientId: "p-x", reason: $t) { id } }',
  'completeReview.comment': () =>
    'mutation ($t: String) { completeReview(assignee: "dr-x", grantId: "g1", decision: KEEP, comment: $t) { id } }',
  'proposePolicy.reason': () => 'mutation ($t: String!) { proposePolicy(document: {}, reason: $t) { status } }',
  'proposePolicy.ticket': () => 'mutation ($t: String) { proposePolicy(document: {}, reason: "ok", ticket: $t) { status } }',
  'issueRefund.reason': () => 'mutation ($t: String!) { issueRefund(invoiceId: "inv-x", amount: 1, reason: $t) { status } }',
  'rotateConnectorSecret.reason': () =>
    'mutation ($t: String) { rotateConnectorSecret(connectorId: "ehr", environment: STAGING, clientSecret: "s3cret-value", ' +
    'reason: $t) { configured } }',
  'rotateConnectorSecret.ticket': () =>
    'mutation ($t: String) { rotateConnectorSecret(connectorId: "ehr", environment: STAGING, clientSecret: "s3cret-value", ' +
    'ticket: $t) { configured } }',
  'generateConnectorKey.reason': () =>
    'mutation ($t: String) { generateConnectorKey(connectorId: "ehr", environment: STAGING, reason: $t) { jwks } }',
  'generateConnectorKey.ticket': () =>
    'mutation ($t: String) { generateConnectorKey(connectorId: "ehr", environment: STAGING, ticket: $t) { jwks } }',
  'approveMedicationProposal.comment': () =>
    'mutation ($t: String) { approveMedicationProposal(changeId: "chg-x", comment: $t) { status } }',
  'closeMessage.reason': () => 'mutation ($t: String!) { closeMessage(id: "msg-x", reason: $t) { id } }',
  'setWriteBack.reason': () =>
    'mutation ($t: String) { setWriteBack(connectorId: "ehr", environment: STAGING, enabled: true, reason: $t) { status } }',
  'setWriteBack.ticket': () =>
    'mutation ($t: String) { setWriteBack(connectorId: "ehr", environment: STAGING, enabled: true, ticket: $t) { status } }',
  'rollbackSetting.reason': () =>
    'mutation ($t: String) { rollbackSetting(key: "ai.model", environment: STAGING, toVersion: 1, reason: $t) { status } }',
  'rollbackSetting.ticket': () =>
    'mutation ($t: String) { rollbackSetting(key: "ai.model", environment: STAGING, toVersion: 1, ticket: $t) { status } }',
  'promoteSetting.reason': () => 'mutation ($t: String) { promoteSetting(key: "ai.model", reason: $t) { status } }',
  'promoteSetting.ticket': () => 'mutation ($t: String) { promoteSetting(key: "ai.model", ticket: $t) { status } }',
  'emergencyStop.reason': () => 'mutation ($t: String!) { emergencyStop(target: "agent:x", environment: STAGING, reason: $t) { target } }',
  'resume.reason': () => 'mutation ($t: String) { resume(target: "agent:x", environment: STAGING, reason: $t) { status } }',
  'resume.ticket': () => 'mutation ($t: String) { resume(target: "agent:x", environment: STAGING, ticket: $t) { status } }',
  'assignRole.input.reason': () =>
    'mutation ($t: String!) { assignRole(input: { assignee: "dr-x", assignedRole: "nurse", reason: $t }) { status } }',
  'assignRole.input.ticket': () =>
    'mutation ($t: String) { assignRole(input: { assignee: "dr-x", assignedRole: "nurse", reason: "hire", ticket: $t }) { status } }',
  'requestAccess.input.justification': () =>
    'mutation ($t: String!) { requestAccess(input: { requestedRole: "nurse", justification: $t, durationMinutes: 60 }) { status } }',
  'requestAccess.input.ticket': () =>
    'mutation ($t: String) { requestAccess(input: { requestedRole: "nurse", justification: "cover", ticket: $t, ' +
    'durationMinutes: 60 }) { status } }',
  'configureConnector.input.reason': () =>
    'mutation ($t: String) { configureConnector(input: { connectorId: "ehr", environment: STAGING, reason: $t }) { credentialsChanged } }',
  'configureConnector.input.ticket': () =>
    'mutation ($t: String) { configureConnector(input: { connectorId: "ehr", environment: STAGING, ticket: $t }) { credentialsChanged } }',
  'proposeMedicationRequest.input.reason': () =>
    'mutation ($t: String) { proposeMedicationRequest(patientId: "p-x", input: { idempotencyKey: "k-1", medication: "m", dosage: "d", ' +
    'reason: $t }) { status } }',
  'proposeMedicationRequest.input.medication': () =>
    'mutation ($t: String!) { proposeMedicationRequest(patientId: "p-x", input: { idempotencyKey: "k-2", medication: $t, dosage: "d" }) ' +
    '{ status } }',
  'proposeMedicationRequest.input.dosage': () =>
    'mutation ($t: String!) { proposeMedicationRequest(patientId: "p-x", input: { idempotencyKey: "k-3", medication: "m", dosage: $t }) ' +
    '{ status } }',
  'writeBackNote.input.title': () =>
    'mutation ($t: String!) { writeBackNote(patientId: "p-x", input: { idempotencyKey: "k-4", title: $t, text: "x" }) { id } }',
  'writeBackNote.input.text': () =>
    'mutation ($t: String!) { writeBackNote(patientId: "p-x", input: { idempotencyKey: "k-5", title: "x", text: $t }) { id } }',
  'recordObservation.input.display': () =>
    'mutation ($t: String!) { recordObservation(patientId: "p-x", input: { idempotencyKey: "k-6", code: "8867-4", display: $t, ' +
    'value: 70, unit: "/min" }) { id } }',
  'recordObservation.input.unit': () =>
    'mutation ($t: String!) { recordObservation(patientId: "p-x", input: { idempotencyKey: "k-7", code: "8867-4", display: "HR", ' +
    'value: 70, unit: $t }) { id } }',
  'replyToMessage.text': () => 'mutation ($t: String!) { replyToMessage(id: "msg-x", text: $t) { status } }',
  'updateSetting.input.reason': () =>
    'mutation ($t: String) { updateSetting(input: { key: "ai.model", environment: STAGING, value: {}, reason: $t }) { status } }',
  'updateSetting.input.ticket': () =>
    'mutation ($t: String) { updateSetting(input: { key: "ai.model", environment: STAGING, value: {}, ticket: $t }) { status } }',
};

/** Every class the check refuses, by a representative or two. */
const REFUSED: [string, string][] = [
  ['NUL', '\u0000'], ['BEL', '\u0007'], ['ESC (an ANSI colour)', '\u001b[31m'], ['vertical tab', '\u000b'], ['form feed', '\u000c'],
  ['DEL', '\u007f'], ['C1 NEL', '\u0085'], ['C1 CSI', '\u009b'],
  ['LRE', '\u202a'], ['RLE', '\u202b'], ['PDF', '\u202c'], ['LRO', '\u202d'], ['RLO', '\u202e'],
  ['LRI', '\u2066'], ['RLI', '\u2067'], ['FSI', '\u2068'], ['PDI', '\u2069'],
  ['a lone high surrogate', '\ud800'], ['a lone low surrogate', '\udfff'],
  ['a tag character (invisible text)', '\u{E0041}'], ['an interlinear annotation', '\ufff9'],
];
const ACCEPTED = 'Line one,\tline two\r\nfamily emoji 👨‍👩‍👧, Arabic سبب, Hebrew סיבה, 中文, e\u0301, a zero-width joiner in हिन्दी';

/** Marked beyond the names: text clinicians, approvers or patients read (a tester's finding: an agent's proposed dose). */
const READ_BY_OTHERS = [
  'proposeMedicationRequest.input.medication', 'proposeMedicationRequest.input.dosage', 'writeBackNote.input.title',
  'writeBackNote.input.text', 'recordObservation.input.display', 'recordObservation.input.unit', 'replyToMessage.text',
];

it('every mutation argument or input field named reason, ticket, justification or comment is marked @freeText', () => {
  expect(places('marked')).toEqual([...places('named'), ...READ_BY_OTHERS].sort());
});

it('the calls below cover every marked place, and only those', () => {
  expect(Object.keys(CALLS).sort()).toEqual(places('marked'));
});

let h: Harness;
let everyone: string;
beforeAll(async () => {
  // Rate limits off: some 650 mutations from one caller (test/attacks/rate-limits.test.ts tests the limits).
  h = await startHarness({ env: { RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_TENANT: '0', RATE_LIMIT_MUTATIONS_PER_PRINCIPAL: '0' } });
  // Every field rule of these mutations passes for this caller: the check under test is what refuses.
  everyone = await h.token({
    sub: 'free-text-writer',
    roles: [
      'security-admin', 'system-admin', 'integration-engineer', 'clinical-admin', 'clinician', 'billing-manager', 'ops-manager', 'nurse',
    ],
    departments: ['cardiology'],
    mfa: true,
  });
});
afterAll(() => h.stop());

describe.each(Object.keys(CALLS).sort())('%s', (place) => {
  const field = place.split('.').slice(place.split('.').length === 3 ? 2 : 1).join('.');
  it.each(REFUSED)('refuses %s, naming the field', async (_what, bad) => {
    const body = (await h.gql(everyone, CALLS[place]!(bad), { t: `Duplicate charge ${bad} (see ticket)` })).body;
    const e = body.errors?.[0];
    expect(e?.extensions, `${q(bad)}: ${e?.message}`).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(e?.message).toMatch(/must not contain control characters, bidirectional overrides or isolates, invisible tags, or lone surrogates/);
  });
  it('accepts tabs, line breaks, emoji and right-to-left scripts', async () => {
    const body = (await h.gql(everyone, CALLS[place]!(ACCEPTED), { t: ACCEPTED })).body;
    for (const e of body.errors ?? []) expect(e.extensions?.field, e.message).not.toBe(field);
  });
});

// A tester's finding: the strings of a governed value reached approvers as sent (a connector URL whose path an override
// showed as another tenant's, a patient-facing template with NUL). Every string of a proposed value is held to the same
// rule, after the editor check (src/governance/propose-change.ts), whichever mutation proposes it.
const TEMPLATE =
  'mutation ($v: JSON!) { updateSetting(input: { key: "messaging.templates", environment: STAGING, value: $v, reason: "x" }) { status } }';
const template = (body: string) => ({ 'appointment-reminder': { locale: 'en', channel: 'sms', body } });
const BASE_URL = 'mutation ($u: String!) { configureConnector(input: { connectorId: "ehr", environment: STAGING, baseUrl: $u, ' +
  'reason: "x" }) { credentialsChanged } }';
describe('governed values', () => {
  it.each(REFUSED)('a template body or a connector URL with %s is refused, nothing proposed', async (_what, bad) => {
    for (const [doc, variables] of [
      [TEMPLATE, { v: template(`Reminder ${bad} [<id>]: {{date}}.`) }],
      [BASE_URL, { u: `http://127.0.0.1:1/fhir/acme/${bad}x` }],
    ] as const) {
      const e = (await h.gql(everyone, doc, variables)).body.errors?.[0];
      expect(e?.extensions, `${q(bad)}: ${e?.message}`).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(e?.message).toMatch(/must not contain control characters/);
    }
  });
  it('a template with line breaks and right-to-left text is proposed', async () => {
    const body = (await h.gql(everyone, TEMPLATE, { v: template('Reminder [<id>]:\nموعدك {{date}}.') })).body;
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  });
});
