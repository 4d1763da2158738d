import type { Communication } from '@medplum/fhirtypes';
import { z } from 'zod';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { PatientRow } from '../../../connectors/ehr/rows.js';
import type { FhirWriter, WriteTarget } from '../../../connectors/ehr/write/fhir-writer.js';
import { inboundCommunication, QUEUES, queueSearch } from '../../../connectors/messaging/inbox.js';
import { emergencyReplyFor } from '../../../connectors/messaging/emergency-reply.js';
import { routeInbound, type Queue, type RouteDecision } from '../../../connectors/messaging/inbound-routing.js';
import {
  communicationResource,
  MessageTemplateError,
  sendPatientMessage,
  type OutboundChannel,
} from '../../../connectors/messaging/patient-messenger.js';
import { renderTemplate } from '../../../spec/template-placeholders.js';
import { recipientFor, type SendChannel } from '../../../connectors/messaging/recipient.js';
import { selectTemplate } from '../../../connectors/messaging/template-select.js';
import type { Principal } from '../../auth/principal.js';
import type { AuditService } from '../audit/audit-service.js';
import { BadUserInputError, ConflictError } from '../../errors/errors.js';
import type { MessageIdempotency } from './message-idempotency.js';
import { messagingEvent, type MessagingAuditInput } from './messaging-audit.js';
import type { MessagingSettingsReader } from './messaging-settings.js';

// Patient messaging with I/O: reads the governed settings, renders, sends over the channel, writes the
// Communication to the tenant's FHIR server (always, sent or not) and an audit event naming it. Who may message
// which patient was decided before (rules/decide.ts, `write` on `messaging`); this decides whether messaging may act
// now (automation:messaging not stopped, template and channel governed, every placeholder filled).

export interface MessagingDeps {
  readonly settings: MessagingSettingsReader;
  readonly writer: FhirWriter;
  readonly audit: AuditService;
  readonly channels: Readonly<Record<SendChannel, OutboundChannel>>;
  readonly baseUrlFor: (tenant: string) => Promise<string | null>;
  readonly messageIdDomain: string;
  readonly now: () => number;
  readonly newId: () => string;
  /** Holds the clients' idempotency keys (sendPatientMessage's `idempotencyKey`; see message-idempotency.ts). */
  readonly idempotency: MessageIdempotency;
}

export interface SendInput {
  readonly templateId: string;
  readonly channel: SendChannel | null;
  readonly variables: unknown;
  /** Fixed by callers that must send once (billing reminders): the Communication's identifier derives from it. */
  readonly messageKey?: string;
  /** The client's key (per tenant and caller, 24 h): a retry with it is answered, not sent again. */
  readonly idempotencyKey?: string | null;
}

export interface SendResult {
  readonly status: 'SENT' | 'FAILED';
  readonly channel: SendChannel;
  readonly templateId: string;
  readonly locale: string;
  readonly communicationId: string;
  /** The kind of failure (REJECTED, UNAVAILABLE, TIMEOUT); null when sent. */
  readonly failure: string | null;
}

type Actor = Pick<Principal, 'tenant' | 'sub' | 'kind'>;

export interface RouteResult extends RouteDecision {
  readonly communicationId: string;
  /** The immediate answer to an emergency (sent, or recorded as not-done with why); null for anything else. */
  readonly emergencyReply: SendResult | null;
}

/** A message already chosen and rendered by its caller (an emergency answer, a reply from a queue). */
export interface RenderedMessage {
  readonly templateId: string;
  readonly locale: string;
  readonly subject: string | null;
  readonly body: string;
  readonly variables: Readonly<Record<string, string>>;
  readonly channel: SendChannel;
  readonly to: string;
  /** The inbound Communication this answers (FHIR Communication.inResponseTo). */
  readonly inResponseTo: string;
  readonly messageKey: string;
  /** Audit detail beside template, locale and channel. */
  readonly detail: { readonly [key: string]: string };
}

const variablesSchema = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), z.union([z.string().max(500), z.number().transform(String)]));
const SENDABLE: readonly string[] = ['email', 'sms'];

export class MessagingService {
  constructor(private readonly deps: MessagingDeps) {}

  async send(actor: Actor, patient: PatientRow, input: SendInput, requestId: string | null): Promise<SendResult> {
    if (input.idempotencyKey == null) return this.deliver(actor, patient, input, requestId, () => undefined);
    const request = { patientId: patient.id, templateId: input.templateId, channel: input.channel, variables: input.variables };
    return this.deps.idempotency.once(
      actor,
      input.idempotencyKey,
      request,
      (attempt) => this.deliver(actor, patient, input, requestId, attempt),
      (r) =>
        // A replay sent nothing: its own event names the first answer's Communication, never a second "sent".
        this.audit(actor, requestId, {
          action: 'messaging.replayed',
          communicationId: r.communicationId,
          patientId: patient.id,
          at: new Date(this.deps.now()).toISOString(),
          detail: { templateId: r.templateId, locale: r.locale, channel: r.channel, replayedStatus: r.status },
        }),
    );
  }

  /** `attempt` is called right before the message goes to the channel (what an idempotent send must know). */
  private async deliver(
    actor: Actor,
    patient: PatientRow,
    input: SendInput,
    requestId: string | null,
    attempt: () => void,
  ): Promise<SendResult> {
    const settings = await this.deps.settings.forSending(actor.tenant);
    const env = this.deps.settings.environment;
    if (settings.stopped) throw stoppedError(env);
    const variables = variablesSchema.safeParse(input.variables ?? {});
    if (!variables.success)
      throw new BadUserInputError('variables must be an object of placeholder names to text (at most 500 characters each).', 'variables');
    const template = selectTemplate(settings.templates, input.templateId, patient.language);
    if (!template)
      throw new BadUserInputError(`No message template "${input.templateId.slice(0, 64)}" in messaging.templates (${env}).`, 'templateId');
    const channel = input.channel ?? template.channel;
    if (!SENDABLE.includes(channel) || !settings.channels.includes(channel)) {
      throw new BadUserInputError(`The ${channel} channel is not enabled in messaging.channels (${env}).`, 'channel');
    }
    const sendChannel = channel as SendChannel;
    const to = recipientFor(patient.telecom, sendChannel);
    if (!to)
      throw new BadUserInputError(
        `The patient has no ${sendChannel === 'sms' ? 'phone number' : 'email address'} in the EHR: choose another channel.`,
        'channel',
      );
    // Before anything goes out: a message whose Communication could not be recorded must not be sent (nor its key kept).
    await this.deps.settings.assertEhrRunning(actor.tenant);
    const target = await this.target(actor.tenant);
    const at = new Date(this.deps.now()).toISOString();
    let communicationId = '';
    const record = async (c: Communication, key: string) => {
      communicationId = (await this.deps.writer.create(target, c, key, { sub: actor.sub, kind: actor.kind }, at)).id;
    };
    try {
      const outcome = await sendPatientMessage(
        {
          tenant: actor.tenant,
          patientId: patient.id,
          to,
          templateId: input.templateId,
          template: { body: template.body, ...(template.subject ? { subject: template.subject } : {}) },
          variables: variables.data,
          messageKey: input.messageKey ?? this.deps.newId(),
          stopped: false,
          now: at,
        },
        { channel: attempting(this.deps.channels[sendChannel], attempt), record, messageIdDomain: this.deps.messageIdDomain },
      );
      const failure = outcome.status === 'FAILED' ? outcome.kind : null;
      await this.audit(actor, requestId, {
        action: failure ? 'messaging.failed' : 'messaging.sent',
        communicationId,
        patientId: patient.id,
        at,
        detail: { templateId: input.templateId, locale: template.locale, channel: sendChannel, failure },
      });
      return {
        status: outcome.status,
        channel: sendChannel,
        templateId: input.templateId,
        locale: template.locale,
        communicationId,
        failure,
      };
    } catch (e) {
      if (e instanceof MessageTemplateError) throw new BadUserInputError(e.message, 'variables');
      throw e;
    }
  }

  async route(actor: Actor, patient: PatientRow, text: string, requestId: string | null): Promise<RouteResult> {
    const body = text.trim();
    if (body.length === 0 || body.length > 5_000) throw new BadUserInputError('text must be 1 to 5000 characters.', 'text');
    const rules = await this.deps.settings.routingRules(actor.tenant);
    const now = new Date(this.deps.now());
    const decision = routeInbound(body, rules, { at: now, language: patient.language?.split('-')[0] ?? null });
    const at = now.toISOString();
    const written = await this.deps.writer.create(
      await this.target(actor.tenant),
      inboundCommunication(patient.id, body, decision, at),
      this.deps.newId(),
      { sub: actor.sub, kind: actor.kind },
      at,
    );
    // The concepts and what qualified them, never the patient's words.
    const findings = [...new Set(decision.triage.findings.map((f) => `${f.concept}:${f.status}`))];
    await this.audit(actor, requestId, {
      action: 'messaging.routed',
      communicationId: written.id,
      patientId: patient.id,
      at,
      detail: {
        queue: decision.queue,
        rule: decision.rule,
        emergency: decision.emergency,
        triageLevel: decision.triage.level,
        findings,
        // Whether the text is sensitive (its queue item is labelled so), never which words made it so.
        sensitive: decision.sensitive !== null,
      },
    });
    const emergencyReply = decision.emergency ? await this.answerEmergency(actor, patient, decision, written.id, requestId) : null;
    return { ...decision, communicationId: written.id, emergencyReply };
  }

  /**
   * The governed emergency answer, at once, in the language the patient wrote in, on the template's channel (else the
   * other one the patient can be reached on). Never throws for want of a channel: the message is already routed and
   * on-call paged; when nothing can go out (messaging stopped, no address) a not-done Communication says why.
   */
  private async answerEmergency(
    actor: Actor,
    patient: PatientRow,
    decision: RouteDecision,
    inboundId: string,
    requestId: string | null,
  ): Promise<SendResult> {
    const [settings, replies] = await Promise.all([
      this.deps.settings.forSending(actor.tenant),
      this.deps.settings.emergencyReplies(actor.tenant),
    ]);
    const chosen = emergencyReplyFor(decision.triage, replies, patient.language);
    const kind = chosen?.kind ?? 'emergency';
    const template = chosen?.template ?? {
      locale: replies.emergency.locale,
      subject: replies.emergency.subject ?? null,
      body: replies.emergency.body,
      channel: replies.emergency.channel,
    };
    const order = [template.channel, 'sms', 'email'].filter(
      (c, i, xs): c is SendChannel => SENDABLE.includes(c) && settings.channels.includes(c as SendChannel) && xs.indexOf(c) === i,
    );
    const reachable = order.map((channel) => ({ channel, to: recipientFor(patient.telecom, channel) })).find((x) => x.to !== null);
    const message: RenderedMessage = {
      templateId: `emergency-reply:${kind}`,
      locale: template.locale,
      subject: template.subject,
      body: template.body,
      variables: {},
      channel: reachable?.channel ?? order[0] ?? 'sms',
      to: reachable?.to ?? '',
      inResponseTo: inboundId,
      messageKey: `emergency-reply-${inboundId}`,
      detail: { kind: 'emergency-reply' },
    };
    const unsent = settings.stopped ? 'STOPPED' : reachable ? null : 'NO_ADDRESS';
    if (unsent) return this.recordUnsent(actor, patient, message, unsent, requestId);
    return this.sendRendered(actor, patient, message, requestId);
  }

  /** Sends a message its caller chose and checked (not stopped, address known), recording and auditing it. */
  async sendRendered(actor: Actor, patient: PatientRow, m: RenderedMessage, requestId: string | null): Promise<SendResult> {
    await this.deps.settings.assertEhrRunning(actor.tenant); // as deliver: nothing goes out that cannot be recorded
    const target = await this.target(actor.tenant);
    const at = new Date(this.deps.now()).toISOString();
    let communicationId = '';
    const record = async (c: Communication, key: string) => {
      communicationId = (
        await this.deps.writer.create(
          target,
          { ...c, inResponseTo: [{ reference: `Communication/${m.inResponseTo}` }] },
          key,
          { sub: actor.sub, kind: actor.kind },
          at,
        )
      ).id;
    };
    const outcome = await sendPatientMessage(
      {
        tenant: actor.tenant,
        patientId: patient.id,
        to: m.to,
        templateId: m.templateId,
        template: { body: m.body, ...(m.subject ? { subject: m.subject } : {}) },
        variables: m.variables,
        messageKey: m.messageKey,
        stopped: false,
        now: at,
      },
      { channel: this.deps.channels[m.channel], record, messageIdDomain: this.deps.messageIdDomain },
    );
    const failure = outcome.status === 'FAILED' ? outcome.kind : null;
    await this.audit(actor, requestId, {
      action: failure ? 'messaging.failed' : 'messaging.sent',
      communicationId,
      patientId: patient.id,
      at,
      detail: { templateId: m.templateId, locale: m.locale, channel: m.channel, failure, inResponseTo: m.inResponseTo, ...m.detail },
    });
    return { status: outcome.status, channel: m.channel, templateId: m.templateId, locale: m.locale, communicationId, failure };
  }

  private async recordUnsent(
    actor: Actor,
    patient: PatientRow,
    m: RenderedMessage,
    failure: 'STOPPED' | 'NO_ADDRESS',
    requestId: string | null,
  ): Promise<SendResult> {
    const at = new Date(this.deps.now()).toISOString();
    const rendered = renderTemplate(m.body, m.variables);
    const req = {
      tenant: actor.tenant,
      patientId: patient.id,
      to: '',
      templateId: m.templateId,
      template: { body: m.body },
      variables: m.variables,
      messageKey: m.messageKey,
      stopped: false,
      now: at,
    };
    const c = communicationResource(req, rendered.ok ? rendered.text : m.body, false, `messaging ${failure}`, m.channel);
    const written = await this.deps.writer.create(
      await this.target(actor.tenant),
      { ...c, inResponseTo: [{ reference: `Communication/${m.inResponseTo}` }] },
      m.messageKey,
      { sub: actor.sub, kind: actor.kind },
      at,
    );
    await this.audit(actor, requestId, {
      action: 'messaging.failed',
      communicationId: written.id,
      patientId: patient.id,
      at,
      detail: { templateId: m.templateId, locale: m.locale, channel: m.channel, failure, inResponseTo: m.inResponseTo, ...m.detail },
    });
    return { status: 'FAILED', channel: m.channel, templateId: m.templateId, locale: m.locale, communicationId: written.id, failure };
  }

  /** The queues' SLA and on-call roster (governed). */
  queueSettings(tenant: string) {
    return this.deps.settings.queues(tenant);
  }

  /** Waiting inbound messages per queue (one FHIR count per queue). */
  async queues(tenant: string): Promise<{ queue: Queue; count: number }[]> {
    const target = await this.target(tenant);
    return Promise.all(
      QUEUES.map(async (queue) => ({ queue, count: await this.deps.writer.count(target, 'Communication', queueSearch(queue)) })),
    );
  }

  async target(tenant: string): Promise<WriteTarget> {
    const baseUrl = await this.deps.baseUrlFor(tenant);
    if (!baseUrl) throw new ConnectorError('ehr', 'REJECTED', null, 'ehr: no FHIR base URL is configured for this tenant');
    return { tenant, baseUrl };
  }

  audit(
    actor: Actor,
    requestId: string | null,
    e: Omit<MessagingAuditInput, 'tenant' | 'environment' | 'actor' | 'requestId'>,
  ): Promise<void> {
    return this.deps.audit.write(actor.tenant, [
      messagingEvent({
        ...e,
        tenant: actor.tenant,
        environment: this.deps.settings.environment,
        actor: { sub: actor.sub, kind: actor.kind },
        requestId,
      }),
    ]);
  }
}

const attempting = (channel: OutboundChannel, attempt: () => void): OutboundChannel => ({
  medium: channel.medium,
  send: (m) => {
    attempt();
    return channel.send(m);
  },
});

const stoppedError = (env: string) =>
  new ConflictError(
    'STOPPED',
    `Messaging automation is stopped in ${env}: nothing was sent. Resuming it (resume target automation:messaging) is a governed change.`,
  );
