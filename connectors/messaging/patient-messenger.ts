import type { Communication } from '@medplum/fhirtypes';
import { ConnectorError } from '../common/connector-error.js';
import type { EmailChannel } from './smtp-channel.js';
import { renderTemplate } from './template-render.js';

// Sends one patient message: render (every placeholder required: a missing one is an error and nothing is sent),
// send over the channel, and always record what happened as a FHIR Communication (completed, or not-done with the
// kind of failure). A stopped messaging automation sends nothing. I/O comes in: the channel and the recorder.

export interface MessageTemplate {
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

export function communicationResource(req: SendRequest, text: string, sent: boolean, failure: string | null): Communication {
  return {
    resourceType: 'Communication',
    status: sent ? 'completed' : 'not-done',
    ...(failure ? { statusReason: { text: failure } } : {}),
    subject: { reference: `Patient/${req.patientId}` },
    recipient: [{ reference: `Patient/${req.patientId}` }],
    medium: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'EMAILWRIT' }] }],
    sent: req.now,
    topic: { text: req.templateId },
    payload: [{ contentString: text }],
  };
}

export async function sendPatientEmail(
  req: SendRequest,
  deps: { channel: EmailChannel; record: (c: Communication, key: string) => Promise<void>; messageIdDomain: string },
): Promise<SendOutcome> {
  if (req.stopped) throw new MessagingStoppedError();
  const rendered = renderTemplate(req.template.body, req.variables);
  if (!rendered.ok) throw new MessageTemplateError(rendered.missing);
  const subject = req.template.subject ?? 'A message from your care team';
  try {
    await deps.channel.send({ to: req.to, subject, text: rendered.text, messageId: `<${req.messageKey}@${deps.messageIdDomain}>` });
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    const communication = communicationResource(req, rendered.text, false, `${e.connector} ${e.kind}`);
    await deps.record(communication, req.messageKey);
    return { status: 'FAILED', kind: e.kind, communication };
  }
  const communication = communicationResource(req, rendered.text, true, null);
  await deps.record(communication, req.messageKey);
  return { status: 'SENT', communication };
}
