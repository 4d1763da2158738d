import type { Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationEvent } from '../../src/services/messaging/message-queue-service.js';
import { DENNIS } from '../connectors/ehr/helpers.js';
import { startMessagingHarness, type MessagingHarness } from '../support/messaging-harness.js';
import type { Harness } from '../support/harness.js';
import { UPDATE_SETTING, ok, refused, type ChangeResult } from './governance-operations.js';

// Inbound messages over HTTP with roles, on a gateway wired to a real SMTP server and SMS provider, with an injected
// clock: the immediate emergency answer (in the patient's language, the crisis line for self-harm), the work queues
// (list with field rules, claim, reply, close) and the escalation of an emergency nobody claimed.

const GLORIA = '7aa15a43-3a41-4d3d-a9c5-7ef941757531'; // acme, primary care, Spanish-speaking
const ROUTE = `mutation($p: ID!, $t: String!) { routeInboundMessage(patientId: $p, text: $t) {
  queue rule emergency triageLevel explanation communicationId findings { concept status cue words }
  emergencyReply { status channel templateId locale communicationId failure } } }`;
const LIST = `query($q: String!) { messageQueue(queue: $q) { id queue patientId status priority dueAt overdue claimedBy escalationLevel ` +
  `triageLevel concept text } }`;
const CLAIM = `mutation($id: ID!) { claimMessage(id: $id) { id status claimedBy } }`;
const REPLY = `mutation($id: ID!, $t: String!) { replyToMessage(id: $id, text: $t) { status channel communicationId } }`;
const CLOSE = `mutation($id: ID!, $r: String!) { closeMessage(id: $id, reason: $r) { id status closeReason } }`;

type Item = {
  id: string;
  status: string;
  text: string | null;
  concept?: string | null;
  escalationLevel: number;
  overdue: boolean;
  claimedBy: string | null;
};

let messaging: MessagingHarness;
let h: Harness;
let clock = Date.parse('2026-03-10T14:00:00Z');
const notified: EscalationEvent[] = [];
const t: Record<string, string> = {};

beforeAll(async () => {
  messaging = await startMessagingHarness({}, { now: () => clock, escalationNotifiers: [{ notify: async (e) => void notified.push(e) }] });
  h = messaging.h;
  t.nurse = await h.token({ sub: 'rn-rosa', roles: ['nurse'], departments: ['cardiology', 'primary-care'] });
  t.clinician = await h.token({ sub: 'dr-grey', roles: ['clinician'], departments: ['cardiology', 'primary-care'] });
  t.frontDesk = await h.token({ sub: 'fd-fran', roles: ['front-desk'] });
  t.billing = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
  const director = await h.token({ sub: 'dr-director', roles: ['clinical-admin'], mfa: true } as never);
  const roster = [{ name: 'Dr Primary', email: 'primary@acme.example' }, { name: 'Dr Backup', email: 'backup@acme.example' }];
  const set = ok<{ updateSetting: ChangeResult }>(
    await h.gql(director, UPDATE_SETTING, {
      input: { key: 'messaging.onCallRoster', environment: 'STAGING', value: roster, reason: 'on-call rota' },
    }),
  );
  expect(set.updateSetting.status).toBe('APPLIED');
}, 60_000);
afterAll(() => messaging?.stop());

type Route = {
  queue: string;
  emergency: boolean;
  communicationId: string;
  findings: { concept: string; status: string }[];
  emergencyReply: { status: string; templateId: string; locale: string; communicationId: string } | null;
};
const route = async (p: string, text: string) =>
  ok<{ routeInboundMessage: Route }>(await h.gql(t.nurse!, ROUTE, { p, t: text })).routeInboundMessage;
const list = async (who: string, q: string) => (await h.gql<{ messageQueue: Item[] }>(t[who]!, LIST, { q })).body;
const repo = () => h.running.fhir!.repository('acme');

describe('the emergency answer', () => {
  it('answers a Spanish emergency at once, in Spanish, through the channel, recorded in response to the message', async () => {
    const r = await route(GLORIA, 'tengo dolor en el pecho');
    expect(r).toMatchObject({
      queue: 'on-call',
      emergency: true,
      emergencyReply: { status: 'SENT', templateId: 'emergency-reply:emergency', locale: 'es' },
    });
    expect(messaging.peers.sms.at(-1)!.body).toContain('Llame al 911');
    const reply = await repo().readResource<Communication>('Communication', r.emergencyReply!.communicationId);
    expect(reply).toMatchObject({ status: 'completed', inResponseTo: [{ reference: `Communication/${r.communicationId}` }] });
  });

  it('gives the crisis line for self-harm, even said indirectly', async () => {
    const r = await route(DENNIS, "I'm not suicidal but I have the pills ready");
    expect(r.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ concept: 'self-harm', status: 'negated' }),
        expect.objectContaining({ concept: 'self-harm', status: 'affirmed' }),
      ]),
    );
    expect(r.emergencyReply).toMatchObject({ status: 'SENT', templateId: 'emergency-reply:crisis', locale: 'en' });
    expect(messaging.peers.sms.at(-1)!.body).toContain('988');
  });

  it('sends nothing for a negated emergency: nurse triage', async () => {
    const before = messaging.peers.sms.length;
    const r = await route(DENNIS, 'No chest pain today, just need a refill');
    expect(r).toMatchObject({ queue: 'nurse-triage', emergency: false, emergencyReply: null });
    expect(messaging.peers.sms.length).toBe(before);
  });
});

describe('work queues', () => {
  it('lists a queue with each role\'s field rules: front desk never sees a clinical message\'s text', async () => {
    const nurse = await list('nurse', 'on-call');
    // The self-harm message names suicide, so its text is sensitive (PSY); an emergency's words are read by who answers
    // on-call all the same (recorded as a sensitive read: src/resolvers/messaging.ts).
    expect(nurse.errors).toBeUndefined();
    expect(nurse.data!.messageQueue!.map((i) => i.text)).toEqual(expect.arrayContaining(['tengo dolor en el pecho']));
    const fd = await list('frontDesk', 'on-call');
    expect(fd.data!.messageQueue!.length).toBe(nurse.data!.messageQueue!.length);
    // Nor what it is about: the triage concept found in the words is read under the words' own decision.
    expect(fd.data!.messageQueue!.every((i) => i.text === null && i.concept === null && i.status === 'WAITING')).toBe(true);
    expect(nurse.data!.messageQueue!.some((i) => i.concept !== null)).toBe(true);
    const words = (e: { path?: readonly (string | number)[] }) => ['text', 'concept'].includes(String(e.path?.at(-1)));
    expect(fd.errors!.every((e) => e.extensions?.code === 'FORBIDDEN' && words(e))).toBe(true);
    // A non-clinical message's text is the front desk's to read.
    await route(DENNIS, 'Can I move my appointment to Friday?');
    const desk = await list('frontDesk', 'front-desk');
    expect(desk.errors).toBeUndefined();
    expect(desk.data!.messageQueue!.map((i) => i.text)).toContain('Can I move my appointment to Friday?');
    refused(await h.gql(t.billing!, LIST, { q: 'on-call' }), 'FORBIDDEN');
    refused(await h.gql(t.nurse!, LIST, { q: 'everything' }), 'BAD_USER_INPUT');
  });

  it('claims once: front desk may not work a clinical item, a second claimer gets CONFLICT', async () => {
    const { communicationId: id } = await route(DENNIS, 'I have a fever and a rash');
    refused(await h.gql(t.frontDesk!, CLAIM, { id }), 'FORBIDDEN');
    refused(await h.gql(t.billing!, CLAIM, { id }), 'FORBIDDEN');
    expect(ok<{ claimMessage: Item }>(await h.gql(t.nurse!, CLAIM, { id })).claimMessage).toMatchObject({
      status: 'CLAIMED',
      claimedBy: 'rn-rosa',
    });
    expect(refused(await h.gql(t.clinician!, CLAIM, { id }), 'CONFLICT').extensions).toMatchObject({ reason: 'CLAIMED_BY_OTHER' });
    refused(await h.gql(t.nurse!, CLAIM, { id: 'no-such-message' }), 'NOT_FOUND');
  });

  it('replies through the messaging channel and closes with a reason, only by the one who claimed it', async () => {
    const { communicationId: id } = await route(DENNIS, 'my knee is swollen after the run');
    expect(refused(await h.gql(t.nurse!, REPLY, { id, t: 'Rest and ice it.' }), 'CONFLICT').extensions).toMatchObject({
      reason: 'NOT_CLAIMED',
    });
    ok(await h.gql(t.nurse!, CLAIM, { id }));
    expect(refused(await h.gql(t.clinician!, REPLY, { id, t: 'Hello' }), 'CONFLICT').extensions).toMatchObject({
      reason: 'CLAIMED_BY_OTHER',
    });
    const before = messaging.peers.sms.length + messaging.peers.mails.length;
    const sent = ok<{ replyToMessage: { status: string; communicationId: string } }>(
      await h.gql(t.nurse!, REPLY, { id, t: 'Rest and ice it; call us if it gets worse.' }),
    ).replyToMessage;
    expect(sent.status).toBe('SENT');
    expect(messaging.peers.sms.length + messaging.peers.mails.length).toBe(before + 1);
    const record = await repo().readResource<Communication>('Communication', sent.communicationId);
    expect(record).toMatchObject({
      status: 'completed',
      inResponseTo: [{ reference: `Communication/${id}` }],
      payload: [{ contentString: 'Rest and ice it; call us if it gets worse.' }],
    });
    refused(await h.gql(t.nurse!, CLOSE, { id, r: '   ' }), 'BAD_USER_INPUT');
    refused(await h.gql(t.clinician!, CLOSE, { id, r: 'done' }), 'CONFLICT');
    expect(
      ok<{ closeMessage: { status: string; closeReason: string } }>(await h.gql(t.nurse!, CLOSE, { id, r: 'Advice given' })).closeMessage,
    ).toMatchObject({ status: 'CLOSED', closeReason: 'Advice given' });
    expect((await list('nurse', 'nurse-triage')).data!.messageQueue!.map((i) => i.id)).not.toContain(id);
    expect(refused(await h.gql(t.nurse!, CLAIM, { id }), 'CONFLICT').extensions).toMatchObject({ reason: 'CLOSED' });
  });

  it('audits claims, closes and sends; never a close\'s reason (the closer\'s words about the message)', async () => {
    const auditor = await h.token({ sub: 'aud-ann', roles: ['auditor'] });
    const events = ok<{ auditEvents: { edges: { node: { action: string; reason: string | null } }[] } }>(
      await h.gql(auditor, '{ auditEvents(filter: { category: "messaging" }, first: 200) { edges { node { action reason } } } }'),
    ).auditEvents.edges.map((e) => e.node);
    const actions = events.map((e) => e.action);
    for (const a of ['messaging.routed', 'messaging.sent', 'messaging.claimed', 'messaging.closed']) expect(actions).toContain(a);
    // (The category also holds the messaging settings' governed changes, whose reasons are configuration's.)
    expect(events.filter((e) => e.action.startsWith('messaging.')).every((e) => e.reason === null)).toBe(true);
    for await (const raw of h.running.audit.rawRecords('acme')) expect(raw).not.toContain('Advice given');
  });
});

describe('escalation of an unclaimed emergency (injected clock)', () => {
  it('pages the next on-call after the SLA, again each SLA later, and stops once claimed', async () => {
    clock = Date.parse('2026-03-11T02:00:00Z');
    const { communicationId: id } = await route(DENNIS, 'my husband collapsed and is not breathing');
    const item = async () => (await list('nurse', 'on-call')).data!.messageQueue!.find((i) => i.id === id)!;
    const mails = () => messaging.peers.mails.filter((m) => m.subject.startsWith('Unclaimed emergency'));

    clock += 9 * 60_000; // within the 10-minute SLA
    expect((await h.running.escalations.sweep()).filter((e) => e.communicationId === id)).toEqual([]);
    clock += 2 * 60_000;
    const first = (await h.running.escalations.sweep()).filter((e) => e.communicationId === id);
    expect(first).toEqual([
      expect.objectContaining({ level: 1, paged: { name: 'Dr Backup', email: 'backup@acme.example' }, waitedMinutes: 11 }),
    ]);
    expect(mails().at(-1)).toMatchObject({ to: ['backup@acme.example'] });
    expect(mails().at(-1)!.text).not.toContain('collapsed'); // no PHI in a page
    expect(notified.filter((e) => e.communicationId === id).map((e) => e.level)).toEqual([1]);
    expect(await item()).toMatchObject({ escalationLevel: 1, overdue: true, status: 'WAITING' });
    // The same moment again escalates nothing more.
    expect((await h.running.escalations.sweep()).filter((e) => e.communicationId === id)).toEqual([]);
    clock += 10 * 60_000;
    expect((await h.running.escalations.sweep()).filter((e) => e.communicationId === id).map((e) => e.level)).toEqual([2]);
    ok(await h.gql(t.clinician!, CLAIM, { id }));
    clock += 60 * 60_000;
    expect((await h.running.escalations.sweep()).filter((e) => e.communicationId === id)).toEqual([]);
  });

  it('follows a governed SLA change, and says so in the queue counts', async () => {
    const director = await h.token({ sub: 'dr-director', roles: ['clinical-admin'], mfa: true } as never);
    const sla = { 'on-call': 3, 'nurse-triage': 60, 'front-desk': 1440, billing: 2880 };
    ok(
      await h.gql(director, UPDATE_SETTING, {
        input: { key: 'messaging.queueSla', environment: 'STAGING', value: sla, reason: 'tighter on-call' },
      }),
    );
    const counts = ok<{ messageQueues: { queue: string; slaMinutes: number }[] }>(
      await h.gql(t.nurse!, '{ messageQueues { queue slaMinutes } }'),
    ).messageQueues;
    expect(counts.find((c) => c.queue === 'on-call')!.slaMinutes).toBe(3);
    const { communicationId: id } = await route(DENNIS, 'my chest hurts');
    clock += 4 * 60_000; // past the new 3 minutes, within the old 10
    expect((await h.running.escalations.sweep()).filter((e) => e.communicationId === id).map((e) => e.level)).toEqual([1]);
  });
});

describe('governed emergency answers', () => {
  it('sends the clinical owner\'s changed template on the next emergency', async () => {
    const director = await h.token({ sub: 'dr-director', roles: ['clinical-admin'], mfa: true } as never);
    const replies = {
      emergency: { locale: 'en', channel: 'email', subject: 'Emergency', body: 'Call 911 now. Acme on-call has been told.' },
      crisis: { locale: 'en', channel: 'sms', body: 'Call or text 988 now.', translations: { es: { body: 'Llame al 988 ahora.' } } },
    };
    const set = ok<{ updateSetting: ChangeResult }>(
      await h.gql(director, UPDATE_SETTING, {
        input: { key: 'messaging.emergencyReplies', environment: 'STAGING', value: replies, reason: 'new wording' },
      }),
    );
    expect(['APPLIED', 'PENDING_APPROVAL']).toContain(set.updateSetting.status);
    if (set.updateSetting.status !== 'APPLIED') {
      const approver = await h.token({ sub: 'dr-other', roles: ['clinical-admin'], mfa: true } as never);
      ok(
        await h.gql(approver, 'mutation($id: ID!) { approveChange(id: $id) { status } }', {
          id: (set.updateSetting as unknown as { changeRequest: { id: string } }).changeRequest.id,
        }),
      );
    }
    const r = await route(DENNIS, 'he collapsed');
    expect(r.emergencyReply).toMatchObject({ status: 'SENT', channel: 'EMAIL' });
    expect(messaging.peers.mails.at(-1)).toMatchObject({
      subject: 'Emergency',
      text: expect.stringContaining('Acme on-call has been told'),
    });
    const bad = { ...replies, crisis: { locale: 'en', channel: 'sms', body: 'Call {{number}}' } };
    refused(
      await h.gql(director, UPDATE_SETTING, {
        input: { key: 'messaging.emergencyReplies', environment: 'STAGING', value: bad, reason: 'x' },
      }),
      'BAD_USER_INPUT',
    );
  });
});
