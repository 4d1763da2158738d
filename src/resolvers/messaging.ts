import type { PatientRow } from '../../connectors/ehr/rows.js';
import { decidePatientAction } from '../../rules/patient-actions.js';
import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import { NotFoundError } from '../errors/errors.js';
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

export const messagingResolvers: Resolvers = {
  Query: {
    messageQueues: (_p, _a, ctx) => ctx.connectors.messaging.queues(ctx.principal.tenant),
  },
  Mutation: {
    sendPatientMessage: async (_p, { patientId, templateId, channel, variables, idempotencyKey }, ctx) => {
      // Asked before the idempotency key is looked at: a caller who lost access is refused, not replayed to.
      const patient = await messagePatient(ctx, patientId, 'message:send');
      const input = { templateId, channel: channel ? (channel === 'EMAIL' ? ('email' as const) : ('sms' as const)) : null, variables, idempotencyKey: idempotencyKey ?? null };
      const result = await ctx.connectors.messaging.send(ctx.principal, patient, input, ctx.requestId);
      return { ...result, channel: toChannel(result.channel) };
    },
    routeInboundMessage: async (_p, { patientId, text }, ctx) => {
      const patient = await messagePatient(ctx, patientId, 'message:route');
      return ctx.connectors.messaging.route(ctx.principal, patient, text, ctx.requestId);
    },
  },
};
