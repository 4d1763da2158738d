import type { Communication } from '@medplum/fhirtypes';
import { ConnectorError } from '../common/connector-error.js';
import type { EmailChannel } from './smtp-channel.js';
import { renderTemplate } from '../../spec/template-placeholders.js';

// Sends one patient message: render (every placeholder required: a missing one is an error and nothing is sent),
// send over the channel (email or SMS), and always record what happened as a FHIR Communication (completed, or
// not-done with the kind of failure). A stopped messaging automation sends nothing. I/O comes in: the channel and
// the recorder.

export type Medium = 'email' | 'sms';

/** One outbound channel as the messenger sees it (SMS ignores the subject). */
export interface OutboundChannel {
  readonly medium: Medium;
  send(message: { to: string; subject: string; text: string; messageId: string }): Promise<unknown>;
}

// v3-ParticipationMode: how the message was written to the patient.
const MEDIUM_CODE: Readonly<Record<Medium, string>> = { email: 'EMAILWRIT', sms: 'SMSWRIT' };

interface MessageTemplate {
  readonly body: string;
  readonly subject?: string;
}

export interface SendRequest {
  readonly tenant: string;
  readonly patientId: string;
  readonly to: string;
  readonly templateId: string;
  readonly template: MessageTemplate;
  readonly variables: Readonly<Record<string, string>>;
  /** Unique per message: the Message-ID and the Communication's idempotency key derive from it. */
  readonly messageKey: string;
  readonly stopped: boolean;
  readonly now: string;
}

export type SendOutcome =
  | { readonly status: 'SENT'; readonly communication: Communication }
  | { readonly status: 'FAILED'; readonly kind: string; readonly communication: Communication };

export class MessageTemplateError extends Error {
  override readonly name = 'MessageTemplateError';
  constructor(readonly missing: readonly string[]) {
    super(`The template needs values for: ${missing.join(', ')}. Nothing was sent.`);
  }
}

export class MessagingStoppedError extends Error {
  override readonly name = 'MessagingStoppedError';
  constructor() {
    super('Messaging automation is stopped: nothing was sent.');
  }
}

export function communicationResource(
  req: SendRequest,
  text: string,
  sent: boolean,
  failure: string | null,
  medium: Medium = 'email',
): Communication {
  return {
    resourceType: 'Communication',
    status: sent ? 'completed' : 'not-done',
    ...(failure ? { statusReason: { text: failure } } : {}),
    subject: { reference: `Patient/${req.patientId}` },
    recipient: [{ reference: `Patient/${req.patientId}` }],
    medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: MEDIUM_CODE[medium] }] }],
    sent: req.now,
    topic: { text: req.templateId },
    payload: [{ contentString: text }],
  };
}

export async function sendPatientEmail(
  req: SendRequest,
  deps: { channel: EmailChannel; record: (c: Communication, key: string) => Promise<void>; messageIdDomain: string },
): Promise<SendOutcome> {
  return sendPatientMessage(req, { ...deps, channel: { medium: 'email', send: (m) => deps.channel.send(m) } });
}

export async function sendPatientMessage(
  req: SendRequest,
  deps: { channel: OutboundChannel; record: (c: Communication, key: string) => Promise<void>; messageIdDomain: string },
): Promise<SendOutcome> {
  if (req.stopped) throw new MessagingStoppedError();
  const rendered = renderTemplate(req.template.body, req.variables);
  const subjectRendered = renderTemplate(req.template.subject ?? 'A message from your care team', req.variables);
  const missing = [...new Set([...(subjectRendered.ok ? [] : subjectRendered.missing), ...(rendered.ok ? [] : rendered.missing)])];
  if (!rendered.ok || !subjectRendered.ok) throw new MessageTemplateError(missing);
  const medium = deps.channel.medium;
  try {
    await deps.channel.send({
      to: req.to,
      subject: subjectRendered.text,
      text: rendered.text,
      messageId: `<${req.messageKey}@${deps.messageIdDomain}>`,
    });
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    const communication = communicationResource(req, rendered.text, false, `${e.connector} ${e.kind}`, medium);
    await deps.record(communication, req.messageKey);
    return { status: 'FAILED', kind: e.kind, communication };
  }
  const communication = communicationResource(req, rendered.text, true, null, medium);
  await deps.record(communication, req.messageKey);
  return { status: 'SENT', communication };
}
