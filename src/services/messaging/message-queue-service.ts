import type { Communication } from '@medplum/fhirtypes';
import { ConnectorError } from '../../../connectors/common/connector-error.js';
import type { PatientRow } from '../../../connectors/ehr/rows.js';
import type { FhirWriter } from '../../../connectors/ehr/write/fhir-writer.js';
import type { Queue } from '../../../connectors/messaging/inbound-routing.js';
import { queueSearch } from '../../../connectors/messaging/inbox.js';
import type { OutboundChannel } from '../../../connectors/messaging/patient-messenger.js';
import {
  claim,
  close,
  dueAt,
  escalate,
  escalationDue,
  mayWork,
  queueItemOf,
  type QueueItem,
  type Refusal,
} from '../../../connectors/messaging/queue-item.js';
import { recipientFor, type SendChannel } from '../../../connectors/messaging/recipient.js';
import type { Principal } from '../../auth/principal.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors/errors.js';
import type { MessagingService, SendResult } from './messaging-service.js';
import type { MessagingSettingsReader } from './messaging-settings.js';

// Work queues of inbound patient messages: list, claim, reply, close, and the escalation of an emergency nobody
// claimed within its queue's SLA. The item is its FHIR Communication; every transition is an If-Match update, so of
// two people claiming at once exactly one wins (the other gets CONFLICT), also across replicas. Who may see an item's
// text and work it was decided by the resolver (rules/decide.ts); this decides whether the item's state allows it.

type Actor = Pick<Principal, 'tenant' | 'sub' | 'kind'>;

/** An escalation as told to whoever must hear of it (the on-call roster by email; approver channels through the hook). */
export interface EscalationEvent {
  readonly tenant: string;
  readonly communicationId: string;
  readonly queue: Queue;
  /** 1 for the first escalation. */
  readonly level: number;
  readonly receivedAt: string;
  readonly waitedMinutes: number;
  /** Who was paged (from `messaging.onCallRoster`), or null when the roster is empty. */
  readonly paged: { readonly name: string; readonly email: string } | null;
}

/**
 * The hook for other notification channels (the approver-notification channels, when they exist): handed in at
 * construction, called once per escalation after it is recorded. A failure is logged by the sweeper, never undoes it.
 */
export interface EscalationNotifier {
  notify(event: EscalationEvent): Promise<void>;
}

export interface MessageQueueDeps {
  readonly settings: MessagingSettingsReader;
  readonly writer: FhirWriter;
  readonly messaging: MessagingService;
  /** Pages go out by email to the roster's addresses (no PHI in them: the item's id and how long it waited). */
  readonly pager: OutboundChannel;
  readonly notifiers: readonly EscalationNotifier[];
  readonly now: () => number;
  readonly newId: () => string;
}

export interface ListedItem extends QueueItem {
  readonly dueAt: string;
  readonly overdue: boolean;
}

const REFUSED: Readonly<Record<Refusal, string>> = {
  CLOSED: 'This message is closed.',
  CLAIMED_BY_OTHER: 'Someone else has claimed this message.',
  NOT_CLAIMED: 'Claim this message first.',
};
const refused = (r: Refusal) => new ConflictError(r, REFUSED[r]);

const REPLY_SUBJECT: Readonly<Record<string, string>> = { en: 'A reply from your care team', es: 'Una respuesta de su equipo de atención' };
const SYSTEM_ACTOR = { sub: 'clearance-escalation', kind: 'service' } as const;

export class MessageQueueService {
  constructor(private readonly deps: MessageQueueDeps) {}

  /** The open items of a queue (at most `first`, up to 100), emergencies first, then oldest first. */
  async list(tenant: string, queue: Queue, first: number): Promise<ListedItem[]> {
    const [target, { sla }] = await Promise.all([this.deps.messaging.target(tenant), this.deps.settings.queues(tenant)]);
    const found = await this.deps.writer.search<Communication>(target, 'Communication', {
      ...queueSearch(queue),
      _count: '100',
      _sort: 'received',
    });
    const now = this.deps.now();
    return found
      .map(queueItemOf)
      .filter((i): i is QueueItem => i !== null && i.status !== 'CLOSED')
      .sort((a, b) => Number(b.priority === 'stat') - Number(a.priority === 'stat') || a.receivedAt.localeCompare(b.receivedAt))
      .slice(0, Math.max(1, Math.min(first, 100)))
      .map((i) => this.listed(i, sla[i.queue], now));
  }

  /** The item (open or closed), or NOT_FOUND; the resolver asks the policy before anything else is done with it. */
  async item(tenant: string, id: string): Promise<QueueItem> {
    const c = await this.read(tenant, id);
    const item = queueItemOf(c);
    if (!item) throw new NotFoundError('MessageQueueItem', 'No such message.');
    return item;
  }

  async claim(actor: Actor, id: string, requestId: string | null): Promise<ListedItem> {
    return this.transition(actor, id, requestId, 'messaging.claimed', (c, at) => claim(c, actor.sub, at));
  }

  async close(actor: Actor, id: string, reason: string, requestId: string | null): Promise<ListedItem> {
    const why = reason.trim();
    if (why.length === 0 || why.length > 500) throw new BadUserInputError('reason must be 1 to 500 characters.', 'reason');
    // The reason stays on the Communication (read as the item's `closeReason`, decided as its text is), never in the
    // audit event: it is the closer's words about the patient's message (found by the tester: "Refilled Biktarvy for
    // HIV" in `messaging.closed`, beside the patient, for any auditor).
    return this.transition(actor, id, requestId, 'messaging.closed', (c, at) => close(c, actor.sub, why, at));
  }

  /** Replies to the patient through the messaging channel; only the one who claimed the item may. */
  async reply(
    actor: Actor,
    patient: PatientRow,
    id: string,
    text: string,
    channel: SendChannel | null,
    requestId: string | null,
  ): Promise<SendResult> {
    const body = text.trim();
    if (body.length === 0 || body.length > 2_000) throw new BadUserInputError('text must be 1 to 2000 characters.', 'text');
    const c = await this.read(actor.tenant, id);
    const refusal = mayWork(c, actor.sub);
    if (refusal) throw refused(refusal);
    const settings = await this.deps.settings.forSending(actor.tenant);
    if (settings.stopped)
      throw new ConflictError('STOPPED', `Messaging automation is stopped in ${this.deps.settings.environment}: nothing was sent.`);
    const order = (channel ? [channel] : (['sms', 'email'] as const)).filter((x) => settings.channels.includes(x));
    const reachable = order.map((ch) => ({ ch, to: recipientFor(patient.telecom, ch) })).find((x) => x.to !== null);
    if (!reachable?.to)
      throw new BadUserInputError(
        'The patient cannot be reached on an enabled channel (messaging.channels) with the address in the EHR.',
        'channel',
      );
    const language = patient.language?.split('-')[0] === 'es' ? 'es' : 'en';
    return this.deps.messaging.sendRendered(
      actor,
      patient,
      {
        templateId: 'queue-reply',
        locale: language,
        subject: REPLY_SUBJECT[language] ?? null,
        body: '{{reply}}',
        variables: { reply: body },
        channel: reachable.ch,
        to: reachable.to,
        inResponseTo: id,
        messageKey: this.deps.newId(),
        detail: { kind: 'queue-reply' },
      },
      requestId,
    );
  }

  /**
   * Escalates every on-call emergency of the tenant left unclaimed past its SLA: each escalation pages the next person
   * of `messaging.onCallRoster` (the first escalation the second person: the first is on call already), calls the
   * notifiers and is audited. Idempotent across replicas: the If-Match update of the item decides who escalates.
   */
  async escalateOverdue(tenant: string): Promise<EscalationEvent[]> {
    const [target, { sla, roster }] = await Promise.all([this.deps.messaging.target(tenant), this.deps.settings.queues(tenant)]);
    const waiting = await this.deps.writer.search<Communication>(target, 'Communication', { ...queueSearch('on-call'), _count: '100' });
    const now = this.deps.now();
    const at = new Date(now).toISOString();
    const events: EscalationEvent[] = [];
    for (const c of waiting) {
      const item = queueItemOf(c);
      if (!item || !escalationDue(item, sla['on-call'], now)) continue;
      const level = item.escalationLevel + 1;
      try {
        await this.deps.writer.update(target, escalate(c, level, at), item.versionId, `escalate-${item.id}-${level}`, SYSTEM_ACTOR, at);
      } catch (e) {
        if (e instanceof ConnectorError && e.kind === 'CONFLICT') continue; // claimed or escalated meanwhile
        throw e;
      }
      const paged = roster.length === 0 ? null : (roster[Math.min(level, roster.length - 1)] ?? null);
      const event: EscalationEvent = {
        tenant,
        communicationId: item.id,
        queue: item.queue,
        level,
        receivedAt: item.receivedAt,
        waitedMinutes: Math.floor((now - Date.parse(item.receivedAt)) / 60_000),
        paged,
      };
      let pageFailure: string | null = null;
      if (paged) {
        try {
          await this.deps.pager.send({
            to: paged.email,
            subject: `Unclaimed emergency message (escalation ${level})`,
            text: `An emergency patient message has waited ${event.waitedMinutes} minutes unclaimed in the on-call queue (item ` +
              `${item.id}). Open the on-call queue and claim it.`,
            messageId: `<escalation-${item.id}-${level}@clearance.local>`,
          });
        } catch (e) {
          pageFailure = e instanceof ConnectorError ? e.kind : 'UNAVAILABLE';
        }
      }
      await this.deps.messaging.audit({ tenant, ...SYSTEM_ACTOR }, null, {
        action: 'messaging.escalated',
        communicationId: item.id,
        patientId: item.patientId,
        at,
        detail: {
          queue: item.queue,
          level,
          waitedMinutes: event.waitedMinutes,
          slaMinutes: sla['on-call'],
          paged: paged?.name ?? null,
          pageFailure,
        },
      });
      for (const n of this.deps.notifiers) await n.notify(event);
      events.push(event);
    }
    return events;
  }

  private listed(i: QueueItem, slaMinutes: number, now: number): ListedItem {
    const due = dueAt(i, slaMinutes);
    return { ...i, dueAt: due, overdue: i.status === 'WAITING' && now > Date.parse(due) };
  }

  private async read(tenant: string, id: string): Promise<Communication & { id: string }> {
    if (!/^[A-Za-z0-9.-]{1,64}$/.test(id)) throw new NotFoundError('MessageQueueItem', 'No such message.');
    try {
      return (await this.deps.writer.read(await this.deps.messaging.target(tenant), 'Communication', id)) as Communication & { id: string };
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'NOT_FOUND') throw new NotFoundError('MessageQueueItem', 'No such message.');
      throw e;
    }
  }

  private async transition(
    actor: Actor,
    id: string,
    requestId: string | null,
    action: 'messaging.claimed' | 'messaging.closed',
    step: (c: Communication & { id: string }, at: string) => ReturnType<typeof claim>,
  ): Promise<ListedItem> {
    const c = await this.read(actor.tenant, id);
    const before = queueItemOf(c);
    if (!before) throw new NotFoundError('MessageQueueItem', 'No such message.');
    const at = new Date(this.deps.now()).toISOString();
    const result = step(c, at);
    if (!result.ok) throw refused(result.refusal);
    const target = await this.deps.messaging.target(actor.tenant);
    try {
      await this.deps.writer.update(target, result.resource, before.versionId, this.deps.newId(), { sub: actor.sub, kind: actor.kind }, at);
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'CONFLICT')
        throw new ConflictError('CHANGED', 'This message changed meanwhile (claimed or closed by someone else): list the queue again.');
      throw e;
    }
    await this.deps.messaging.audit(actor, requestId, {
      action,
      communicationId: id,
      patientId: before.patientId,
      at,
      detail: { queue: before.queue },
    });
    const after = queueItemOf(await this.read(actor.tenant, id))!;
    const { sla } = await this.deps.settings.queues(actor.tenant);
    return this.listed(after, sla[after.queue], this.deps.now());
  }
}
