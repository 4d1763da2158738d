import type { PatientRow } from '../../connectors/ehr/rows.js';
import type { Queue } from '../../connectors/messaging/inbound-routing.js';
import { QUEUES } from '../../connectors/messaging/inbox.js';
import { isClinical, type QueueItem } from '../../connectors/messaging/queue-item.js';
import { readOf } from '../../rules/decide.js';
import type { Denial } from '../../rules/denial.js';
import { decidePatientAction } from '../../rules/patient-actions.js';
import { readSlot } from '../audit/read-slots.js';
import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import { BadUserInputError, NotFoundError } from '../errors/errors.js';
import type { MessageChannel, Resolvers } from '../generated/resolvers-types.js';

// Patient messaging. Thin: who may message the patient is asked of the policy (rules/decide.ts: `write` on
// `messaging`, and `read` on `contact`, since the gateway reads the address on the caller's behalf); whether
// messaging may act now is the messaging service's (stop state, governed templates and channels).

async function messagePatient(ctx: GatewayContext, patientId: string, action: 'message:send' | 'message:route'): Promise<PatientRow> {
  // Unknown, other-tenant and invalid ids look the same: not found.
  const patient = await ctx.ehr.patient(patientId);
  if (!patient) throw new NotFoundError('Patient', 'No such patient.');
  const decision = decidePatientAction(ctx.access, action, { ...patient.guard, patientId: patient.id });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
  return patient;
}

const toChannel = (c: 'email' | 'sms'): MessageChannel => (c === 'email' ? 'EMAIL' : 'SMS');
const fromChannel = (c: MessageChannel | null | undefined) => (c ? (c === 'EMAIL' ? ('email' as const) : ('sms' as const)) : null);

// What reading a queue item's text is, for the policy and the PHI-read audit: a clinical item's text is the patient's
// report of symptoms (observations); any other item's text is a patient message (messaging). A sensitive text (HIV,
// substance use, mental health: queue-item.ts) is clinical and needs `sensitive` besides, and is recorded as a
// sensitive read, as every field of a sensitive record is (rules/field-decision.ts).
const textClassOf = (item: { queue: string; triageLevel?: string | null }) => (isClinical(item) ? 'observations' : 'messaging');
/**
 * The fields of an item that carry the patient's words or what they are about: the text, the triage concept found in
 * it ("self-harm", "chest pain") and the reason it was closed with (free text of whoever closed it). One decision for
 * all three (textAccess): the concept of a sensitive message said what its withheld text was about (found by the
 * tester: the front desk listing on-call read `concept: "self-harm"` beside the patient's id).
 */
type Words = 'text' | 'concept' | 'closeReason';
type ReadAs = 'observations' | 'messaging' | 'sensitive';
const slotsOf = (field: Words): Readonly<Record<ReadAs, number>> => ({
  observations: readSlot('observations', `MessageQueueItem.${field}`),
  messaging: readSlot('messaging', `MessageQueueItem.${field}`),
  sensitive: readSlot('sensitive', `MessageQueueItem.${field}`),
});
const READS: Readonly<Record<Words, Readonly<Record<ReadAs, number>>>> = {
  text: slotsOf('text'),
  concept: slotsOf('concept'),
  closeReason: slotsOf('closeReason'),
};
const SENSITIVE = readOf('sensitive');
/** An emergency: triaged so, or waiting on the on-call queue (inbound-routing.ts routes emergencies there). */
const isEmergency = (item: QueueItem) => item.queue === 'on-call' || item.triageLevel === 'emergency';

/**
 * Whether the caller may read the item's text, asked of the kernel (rules/decide.ts) for the item's patient: its class,
 * then for a sensitive text (or a patient labelled sensitive) `sensitive` with that patient's row facts, so only who
 * holds the sensitive grant for the patient's department reads it. Except an emergency: whoever may read its clinical
 * class (the nurses and clinicians who answer on-call) reads its words, sensitive or not, because the person on call
 * must read what the patient wrote to answer it (a self-harm or overdose message unread for want of a grant is the
 * worse harm). That read is recorded under `sensitive` all the same. The denial to throw, or the class to record.
 */
function textAccess(ctx: GatewayContext, item: QueueItem, patient: PatientRow): { denial: Denial } | { readAs: ReadAs } {
  const sensitive = item.sensitive || patient.guard.sensitive;
  const facts = { ...patient.guard, patientId: patient.id, sensitive };
  const dataClass = textClassOf(item);
  const decision = ctx.access.decide(readOf(dataClass), facts);
  if (decision.effect === 'DENY') return { denial: decision.denial };
  if (!sensitive) return { readAs: dataClass };
  if (isEmergency(item)) return { readAs: 'sensitive' };
  const grant = ctx.access.decide(SENSITIVE, facts);
  return grant.effect === 'DENY' ? { denial: grant.denial } : { readAs: 'sensitive' };
}

/** A words field of an item (Words), answered under textAccess and recorded as the PHI read it is. */
const wordsOf =
  (field: Words) =>
  async (parent: unknown, _a: unknown, ctx: GatewayContext): Promise<string | null> => {
    const item = parent as QueueItem;
    const value = item[field];
    if (value === null) return null;
    const patient = await ctx.ehr.patient(item.patientId);
    if (!patient) return null;
    const access = textAccess(ctx, item, patient);
    if ('denial' in access) throw forbidden(access.denial);
    ctx.phiReads.record(patient.guard.patientId, READS[field][access.readAs]);
    return value;
  };

function queueOf(queue: string): Queue {
  if (!(QUEUES as readonly string[]).includes(queue)) throw new BadUserInputError(`queue must be one of ${QUEUES.join(', ')}.`, 'queue');
  return queue as Queue;
}

/**
 * The patient of a queue item, who the caller must be allowed to message and whose text the caller must be allowed to
 * read (a clinical item's, a sensitive one's): who may not read a message does not work it.
 */
async function workItem(ctx: GatewayContext, item: QueueItem): Promise<PatientRow> {
  const patient = await messagePatient(ctx, item.patientId, 'message:send');
  const access = textAccess(ctx, item, patient);
  if ('denial' in access) throw forbidden(access.denial);
  return patient;
}

export const messagingResolvers: Resolvers = {
  Query: {
    messageQueues: async (_p, _a, ctx) => {
      const [counts, { sla }] = await Promise.all([
        ctx.connectors.messaging.queues(ctx.principal.tenant),
        ctx.connectors.messaging.queueSettings(ctx.principal.tenant),
      ]);
      return counts.map((c) => ({ ...c, slaMinutes: sla[c.queue] }));
    },
    messageQueue: (_p, { queue, first }, ctx) => ctx.connectors.messageQueue.list(ctx.principal.tenant, queueOf(queue), first ?? 50),
  },
  MessageQueueItem: {
    // Decided per item and patient (rules/decide.ts): a front-desk user gets FORBIDDEN for a clinical item's text, and
    // whoever lacks the sensitive grant for the patient for a sensitive one's. Every path that answers an item (the
    // queue list, claimMessage, closeMessage) answers its text here.
    text: wordsOf('text'),
    concept: wordsOf('concept'),
    closeReason: wordsOf('closeReason'),
  },
  Mutation: {
    sendPatientMessage: async (_p, { patientId, templateId, channel, variables, idempotencyKey }, ctx) => {
      // Asked before the idempotency key is looked at: a caller who lost access is refused, not replayed to.
      const patient = await messagePatient(ctx, patientId, 'message:send');
      const input = { templateId, channel: fromChannel(channel), variables, idempotencyKey: idempotencyKey ?? null };
      const result = await ctx.connectors.messaging.send(ctx.principal, patient, input, ctx.requestId);
      return { ...result, channel: toChannel(result.channel) };
    },
    routeInboundMessage: async (_p, { patientId, text }, ctx) => {
      const patient = await messagePatient(ctx, patientId, 'message:route');
      const r = await ctx.connectors.messaging.route(ctx.principal, patient, text, ctx.requestId);
      return {
        ...r,
        triageLevel: r.triage.level,
        explanation: r.triage.explanation,
        findings: [...r.triage.findings],
        emergencyReply: r.emergencyReply ? { ...r.emergencyReply, channel: toChannel(r.emergencyReply.channel) } : null,
      };
    },
    // Each asks the policy for the item's patient before its state is touched: who may not work it learns nothing more.
    claimMessage: async (_p, { id }, ctx) => {
      await workItem(ctx, await ctx.connectors.messageQueue.item(ctx.principal.tenant, id));
      return ctx.connectors.messageQueue.claim(ctx.principal, id, ctx.requestId);
    },
    replyToMessage: async (_p, { id, text, channel }, ctx) => {
      const patient = await workItem(ctx, await ctx.connectors.messageQueue.item(ctx.principal.tenant, id));
      const result = await ctx.connectors.messageQueue.reply(ctx.principal, patient, id, text, fromChannel(channel), ctx.requestId);
      return { ...result, channel: toChannel(result.channel) };
    },
    closeMessage: async (_p, { id, reason }, ctx) => {
      await workItem(ctx, await ctx.connectors.messageQueue.item(ctx.principal.tenant, id));
      return ctx.connectors.messageQueue.close(ctx.principal, id, reason, ctx.requestId);
    },
  },
};
