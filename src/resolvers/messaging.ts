import type { PatientRow } from '../../connectors/ehr/rows.js';
import type { Queue } from '../../connectors/messaging/inbound-routing.js';
import { QUEUES } from '../../connectors/messaging/inbox.js';
import { isClinical, type QueueItem } from '../../connectors/messaging/queue-item.js';
import { readOf } from '../../rules/decide.js';
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
// report of symptoms (observations); any other item's text is a patient message (messaging).
const textClassOf = (item: { queue: string; triageLevel?: string | null }) => (isClinical(item) ? 'observations' : 'messaging');
const TEXT_READ = {
  observations: readSlot('observations', 'MessageQueueItem.text'),
  messaging: readSlot('messaging', 'MessageQueueItem.text'),
} as const;

function queueOf(queue: string): Queue {
  if (!(QUEUES as readonly string[]).includes(queue)) throw new BadUserInputError(`queue must be one of ${QUEUES.join(', ')}.`, 'queue');
  return queue as Queue;
}

/** The patient of a queue item, who the caller must be allowed to message (and, for a clinical item, read the text of). */
async function workItem(ctx: GatewayContext, item: QueueItem): Promise<PatientRow> {
  const patient = await messagePatient(ctx, item.patientId, 'message:send');
  const decision = ctx.access.decide(readOf(textClassOf(item)), { ...patient.guard, patientId: patient.id });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
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
    // Decided per item and patient (rules/decide.ts): a front-desk user gets FORBIDDEN for a clinical item's text.
    text: async (item, _a, ctx) => {
      const patient = await ctx.ehr.patient(item.patientId);
      if (!patient) return null;
      const dataClass = textClassOf(item);
      const decision = ctx.access.decide(readOf(dataClass), { ...patient.guard, patientId: patient.id });
      if (decision.effect === 'DENY') throw forbidden(decision.denial);
      ctx.phiReads.record(patient.guard.patientId, TEXT_READ[dataClass]);
      return (item as unknown as QueueItem).text;
    },
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
