import type { Communication, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENNIS } from '../connectors/ehr/helpers.js';
import type { Harness } from '../support/harness.js';
import type { MessagePeers } from '../support/message-peers.js';
import { startMessagingHarness, type MessagingHarness } from '../support/messaging-harness.js';
import { EMERGENCY_STOP, UPDATE_SETTING, ok, refused } from './governance-operations.js';

// sendPatientMessage over HTTP, against a real SMTP server and an SMS provider on loopback and the embedded FHIR
// server: the message arrives rendered (in the patient's language), a missing placeholder sends nothing, a refused
// recipient is a recorded failure, every message is a Communication, and a stopped messaging automation sends nothing.

const GLORIA = '7aa15a43-3a41-4d3d-a9c5-7ef941757531'; // acme, primary care, Spanish-speaking
const CHET = 'fcece34f-2e51-43b5-acb0-361c3472e679'; // acme, cardiology

const SEND = `mutation($p: ID!, $t: String!, $c: MessageChannel, $v: JSON) {
  sendPatientMessage(patientId: $p, templateId: $t, channel: $c, variables: $v) { status channel templateId locale communicationId ` +
    `failure } }`;

type Sent = { status: string; channel: string; templateId: string; locale: string; communicationId: string; failure: string | null };

let messaging: MessagingHarness;
let h: Harness;
let peers: MessagePeers;
let desk: string;

const TEMPLATES = {
  'lab-results-ready': {
    locale: 'en',
    channel: 'email',
    subject: 'Your results, {{name}}',
    body: 'Hello {{name}}, your {{test}} results are ready in the portal.',
  },
  'appointment-reminder': {
    locale: 'en',
    channel: 'sms',
    body: 'Reminder: you have an appointment on {{date}}.',
    translations: { es: { body: 'Recordatorio: tiene una cita el {{date}}.' } },
  },
};

beforeAll(async () => {
  messaging = await startMessagingHarness(TEMPLATES);
  ({ h, peers } = messaging);
  desk = await h.token({ sub: 'desk-dee', roles: ['front-desk'] });
}, 60_000);
afterAll(() => messaging.stop());

const repo = () => h.running.fhir!.repository('acme');
const communication = (id: string) => repo().readResource<Communication>('Communication', id);
const communications = async () =>
  (await repo().searchResources<Communication>({ resourceType: 'Communication', filters: [], count: 1000 })).length;
const send = (token: string, vars: Record<string, unknown>) => h.gql<{ sendPatientMessage: Sent }>(token, SEND, vars);

describe('sendPatientMessage', () => {
  it('delivers the rendered template by email and records a completed Communication', async () => {
    const r = ok(await send(desk, { p: DENNIS, t: 'lab-results-ready', v: { name: 'Dennis', test: 'lipid panel' } })).sendPatientMessage;
    expect(r).toMatchObject({ status: 'SENT', channel: 'EMAIL', locale: 'en', failure: null });
    const mail = peers.mails.at(-1)!;
    expect(mail).toMatchObject({
      to: ['dennis.durgan@patients.example'],
      subject: 'Your results, Dennis',
      text: 'Hello Dennis, your lipid panel results are ready in the portal.',
    });
    const c = await communication(r.communicationId);
    expect(c).toMatchObject({ status: 'completed', subject: { reference: `Patient/${DENNIS}` }, payload: [{ contentString: mail.text }] });
    expect(c.medium?.[0]?.coding?.[0]?.code).toBe('EMAILWRIT');
  });

  it('sends SMS in the patient\'s language through the provider', async () => {
    const r = ok(await send(desk, { p: GLORIA, t: 'appointment-reminder', v: { date: '2026-04-01 09:30' } })).sendPatientMessage;
    expect(r).toMatchObject({ status: 'SENT', channel: 'SMS', locale: 'es' });
    expect(peers.sms.at(-1)).toMatchObject({ to: '555-996-1043', body: 'Recordatorio: tiene una cita el 2026-04-01 09:30.' });
    expect((await communication(r.communicationId)).medium?.[0]?.coding?.[0]?.code).toBe('SMSWRIT');
  });

  it('refuses a missing placeholder with BAD_USER_INPUT and sends and records nothing', async () => {
    const [mails, records] = [peers.mails.length, await communications()];
    const e = refused(await send(desk, { p: DENNIS, t: 'lab-results-ready', v: { name: 'Dennis' } }), 'BAD_USER_INPUT');
    expect(e.message).toBe('The template needs values for: test. Nothing was sent.');
    expect(e.extensions).toMatchObject({ field: 'variables' });
    expect(peers.mails.length).toBe(mails);
    expect(await communications()).toBe(records);
    refused(await send(desk, { p: DENNIS, t: 'no-such-template', v: {} }), 'BAD_USER_INPUT');
  });

  it('records a refused recipient as a failure (Communication not-done), without the peer reply', async () => {
    const patient = await repo().readResource<Patient>('Patient', CHET);
    await repo().updateResource<Patient>({
      ...patient,
      telecom: [...(patient.telecom ?? []).filter((t) => t.system !== 'email'), { system: 'email', value: 'ghost@refused.example' }],
    });
    const before = peers.mails.length;
    const body = (await send(desk, { p: CHET, t: 'lab-results-ready', v: { name: 'Chet', test: 'CBC' } })).body;
    expect(body.errors).toBeUndefined();
    const r = (body.data as { sendPatientMessage: Sent }).sendPatientMessage;
    expect(r).toMatchObject({ status: 'FAILED', failure: 'REJECTED' });
    expect(peers.mails.length).toBe(before);
    const c = await communication(r.communicationId);
    expect(c).toMatchObject({ status: 'not-done', statusReason: { text: 'smtp REJECTED' } });
    expect(JSON.stringify(c)).not.toContain('No such user');
  });

  it('is refused to roles without messaging, and to another tenant\'s patient', async () => {
    const bill = await h.token({ sub: 'bill-lee', roles: ['billing-manager'] });
    expect(
      refused(await send(bill, { p: DENNIS, t: 'lab-results-ready', v: { name: 'D', test: 'x' } }), 'FORBIDDEN').extensions,
    ).toMatchObject({ dataClass: 'messaging' });
    const other = await h.token({ sub: 'desk-globex', roles: ['front-desk'], tenant: 'globex' });
    refused(await send(other, { p: DENNIS, t: 'lab-results-ready', v: { name: 'D', test: 'x' } }), 'NOT_FOUND');
  });

  it('rejects a template translation whose placeholders differ from the original', async () => {
    const ops = await h.token({ sub: 'ops-olga', roles: ['ops-manager'] });
    const bad = { ...TEMPLATES, x: { locale: 'en', channel: 'sms', body: 'Hi {{name}}', translations: { es: { body: 'Hola' } } } };
    const e = refused(
      await h.gql(ops, UPDATE_SETTING, { input: { key: 'messaging.templates', environment: 'STAGING', value: bad } }),
      'BAD_USER_INPUT',
    );
    expect(JSON.stringify(e)).toContain('same placeholders');
  });

  it('sends nothing while automation:messaging is stopped, and says so', async () => {
    const ops = await h.token({ sub: 'ops-olga', roles: ['ops-manager'] });
    ok(await h.gql(ops, EMERGENCY_STOP, { target: 'automation:messaging', environment: 'STAGING', reason: 'Reminder loop' }));
    const [mails, records] = [peers.mails.length, await communications()];
    const e = refused(await send(desk, { p: DENNIS, t: 'lab-results-ready', v: { name: 'Dennis', test: 'CBC' } }), 'CONFLICT', 'STOPPED');
    expect(e.message).toMatch(/stopped in STAGING: nothing was sent/);
    expect(peers.mails.length).toBe(mails);
    expect(await communications()).toBe(records);
  });
});
