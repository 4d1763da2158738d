import type { Communication } from '@medplum/fhirtypes';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import {
  MessageTemplateError,
  MessagingStoppedError,
  sendPatientEmail,
  type SendRequest,
} from '../../../connectors/messaging/patient-messenger.js';
import { SmtpChannel } from '../../../connectors/messaging/smtp-channel.js';
import { DENNIS, startDefaultServer } from '../ehr/helpers.js';

// Against a real SMTP peer on loopback (smtp-server) and the embedded FHIR server: the message arrives rendered,
// a missing placeholder sends nothing, a refused recipient is a recorded failure (a not-done Communication).

const received: { to: string[]; subject: string; text: string; messageId: string }[] = [];
let smtp: SMTPServer;
let port: number;
let fhir: EmbeddedFhirServer;
const writer = new FhirWriter({ timeoutMs: 2_000, retry: { attempts: 1 } });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@refused.example')) return cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = ((smtp as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  fhir = await startDefaultServer();
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await fhir.stop();
});

const channel = () => new SmtpChannel({ url: `smtp://127.0.0.1:${port}`, from: 'Clinic <clinic@example.org>', timeoutMs: 3_000 });
const record = (c: Communication, key: string) =>
  writer
    .create({ tenant: 'acme', baseUrl: fhir.baseUrl('acme') }, c, key, { sub: 'messaging', kind: 'service' }, new Date().toISOString())
    .then(() => undefined);
const request = (over: Partial<SendRequest> = {}): SendRequest => ({
  tenant: 'acme',
  patientId: DENNIS,
  to: 'dennis@patients.example',
  templateId: 'appointment-reminder',
  template: { body: 'Hello {{name}}, you have an appointment on {{date}}.', subject: 'Appointment reminder' },
  variables: { name: 'Dennis', date: '2026-04-01 09:30' },
  messageKey: `m-${Math.random().toString(36).slice(2)}`,
  stopped: false,
  now: new Date().toISOString(),
  ...over,
});
const communications = async () =>
  (await fhir.repository('acme').searchResources({ resourceType: 'Communication', filters: [], count: 1000 })) as Communication[];

describe('patient email over SMTP', () => {
  it('arrives with the rendered template, and a completed Communication records it', async () => {
    const req = request();
    const outcome = await sendPatientEmail(req, { channel: channel(), record, messageIdDomain: 'clearance.local' });
    expect(outcome.status).toBe('SENT');
    const mail = received.find((m) => m.messageId.includes(req.messageKey))!;
    expect(mail).toMatchObject({ to: ['dennis@patients.example'], subject: 'Appointment reminder' });
    expect(mail.text.trim()).toBe('Hello Dennis, you have an appointment on 2026-04-01 09:30.');
    expect(
      (await communications()).filter((c) => c.status === 'completed' && c.payload?.[0]?.contentString === mail.text.trim()),
    ).toHaveLength(1);
  });

  it('refuses a missing placeholder with a clear error and sends nothing', async () => {
    const before = received.length;
    const e = await sendPatientEmail(request({ variables: { name: 'Dennis' } }), {
      channel: channel(),
      record,
      messageIdDomain: 'x',
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MessageTemplateError);
    expect((e as Error).message).toBe('The template needs values for: date. Nothing was sent.');
    expect(received.length).toBe(before);
  });

  it('records a refused recipient as a failure, without the peer reply', async () => {
    const before = (await communications()).length;
    const outcome = await sendPatientEmail(request({ to: 'ghost@refused.example' }), { channel: channel(), record, messageIdDomain: 'x' });
    expect(outcome).toMatchObject({ status: 'FAILED', kind: 'REJECTED' });
    const all = await communications();
    expect(all.length).toBe(before + 1);
    const failed = all.find((c) => c.status === 'not-done')!;
    expect(failed.statusReason?.text).toBe('smtp REJECTED');
    expect(JSON.stringify(failed)).not.toContain('No such user');
  });

  it('sends nothing while messaging automation is stopped', async () => {
    const before = received.length;
    await expect(sendPatientEmail(request({ stopped: true }), { channel: channel(), record, messageIdDomain: 'x' })).rejects.toBeInstanceOf(
      MessagingStoppedError,
    );
    expect(received.length).toBe(before);
  });

  it('classifies a dead SMTP peer as UNAVAILABLE', async () => {
    const dead = new SmtpChannel({ url: 'smtp://127.0.0.1:1', from: 'a@b.c', timeoutMs: 1_000 });
    const e = await dead.send({ to: 'x@y.z', subject: 's', text: 't', messageId: '<a@b>' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'UNAVAILABLE', connector: 'smtp' });
  });
});
