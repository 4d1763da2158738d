import { randomUUID } from 'node:crypto';
import type { PatientRow } from '../../connectors/ehr/rows.js';
import type { WriteResult } from '../../connectors/ehr/write/fhir-writer.js';
import { idempotencyToken, medicationRequestResource, noteResource, observationResource } from '../../connectors/ehr/write/write-resources.js';
import { decideMedicationRequest, decidePatientAction, type PatientAction } from '../../rules/patient-actions.js';
import { forbidden } from '../errors/forbidden.js';
import type { GatewayContext } from '../context/context.js';
import { BadUserInputError, NotFoundError } from '../errors/errors.js';
import type { MedicationProposalResult, MedicationProposalStatus, Resolvers } from '../generated/resolvers-types.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { medicationDraftSchema } from '../governance/ehr-write-target.js';

// EHR write-back. Thin: who may write is asked of the policy (rules/decide.ts: action write or propose on the data
// class, for the patient's department); whether the connector may write now is the write-back service's gate.

async function patientFor(ctx: GatewayContext, patientId: string, action: PatientAction): Promise<PatientRow> {
  // Unknown, other-tenant and invalid ids look the same: not found.
  const patient = await ctx.ehr.patient(patientId);
  if (!patient) throw new NotFoundError('Patient', 'No such patient.');
  // The kernel's decision for the action (rules/patient-actions.ts), the one `explain` gives for it.
  const decision = decidePatientAction(ctx.access, action, { ...patient.guard, patientId: patient.id });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
  return patient;
}

const author = (ctx: GatewayContext, promptTemplateVersion: string | null = null) => ({ sub: ctx.principal.sub, kind: ctx.principal.kind, promptTemplateVersion });
const nowIso = () => new Date().toISOString();

function requireKey(key: string): string {
  const k = key.trim();
  if (k.length < 8 || k.length > 200) throw new BadUserInputError('idempotencyKey must be 8 to 200 characters.', 'idempotencyKey');
  return k;
}

const STATUS: Record<ChangeRequest['status'], MedicationProposalStatus> = {
  PENDING: 'PENDING_APPROVAL', APPROVED: 'APPROVED', APPLIED: 'WRITTEN', FAILED: 'FAILED',
  REJECTED: 'FAILED', CANCELLED: 'FAILED', EXPIRED: 'FAILED', SUPERSEDED: 'FAILED',
};

function proposalResult(change: ChangeRequest): MedicationProposalResult {
  return { status: STATUS[change.status], changeRequestId: change.id, write: null };
}

const asResult = (r: WriteResult) => ({ ...r });

export const ehrWriteResolvers: Resolvers = {
  Mutation: {
    writeBackNote: async (_p, { patientId, input }, ctx) => {
      const patient = await patientFor(ctx, patientId, 'write:notes');
      const key = requireKey(input.idempotencyKey);
      const draft = { title: input.title, text: input.text, docStatus: input.final ? ('final' as const) : ('preliminary' as const) };
      const resource = noteResource(patient.id, draft, nowIso());
      if (input.documentId) {
        if (!input.expectedVersion) throw new BadUserInputError('expectedVersion is required to update a note.', 'expectedVersion');
        const op = { kind: 'update' as const, resource: { ...resource, id: input.documentId }, expectedVersion: input.expectedVersion };
        return asResult(await ctx.connectors.writeBack.write(ctx.principal, op, key, author(ctx), ctx.requestId));
      }
      return asResult(await ctx.connectors.writeBack.write(ctx.principal, { kind: 'create', resource }, key, author(ctx), ctx.requestId));
    },
    recordObservation: async (_p, { patientId, input }, ctx) => {
      const patient = await patientFor(ctx, patientId, 'write:observations');
      const key = requireKey(input.idempotencyKey);
      if (!/^\d{1,7}-\d$/.test(input.code)) throw new BadUserInputError('code must be a LOINC code such as 8867-4.', 'code');
      const resource = observationResource(patient.id, { code: input.code, display: input.display, value: input.value, unit: input.unit, effective: input.effective ?? nowIso() });
      return asResult(await ctx.connectors.writeBack.write(ctx.principal, { kind: 'create', resource }, key, author(ctx), ctx.requestId));
    },
    proposeMedicationRequest: async (_p, { patientId, input }, ctx) => {
      const key = requireKey(input.idempotencyKey);
      const parsed = medicationDraftSchema.safeParse({ medication: input.medication, rxnorm: input.rxnorm ?? null, dosage: input.dosage });
      if (!parsed.success) throw new BadUserInputError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), String(parsed.error.issues[0]?.path[0] ?? 'input'));
      const draft = parsed.data;
      const promptTemplateVersion = input.promptTemplateVersion ?? null;
      // A human with write on medications writes at once; everyone else (an agent) may only propose.
      const direct = decideMedicationRequest(ctx.access).mode === 'write';
      const patient = await patientFor(ctx, patientId, direct ? 'write:medications' : 'propose:medications');
      if (direct) {
        const resource = medicationRequestResource(patient.id, draft, nowIso());
        const write = await ctx.connectors.writeBack.write(ctx.principal, { kind: 'create', resource }, key, author(ctx), ctx.requestId);
        return { status: 'WRITTEN', changeRequestId: null, write: asResult(write) };
      }
      const draftId = `med-${idempotencyToken(ctx.principal.tenant, 'MedicationRequest', key)}`;
      const outcome = await ctx.governance.proposeEhrWrite(ctx.principal, {
        environment: ctx.connectors.writeBack.environment,
        draftId,
        draft,
        value: { resourceType: 'MedicationRequest', patientId: patient.id, promptTemplateVersion },
        reason: input.reason ?? null,
      });
      return proposalResult(outcome.change);
    },
    approveMedicationProposal: async (_p, { changeId, comment }, ctx) => {
      const change = await ctx.governance.changeRequest(ctx.principal, changeId);
      if (!change || change.target.type !== 'ehr-write') throw new NotFoundError('ChangeRequest', 'No such medication proposal.');
      const patientId = (change.after as { patientId?: string } | null)?.patientId ?? '';
      await patientFor(ctx, patientId, 'write:medications');
      return proposalResult(await ctx.governance.approve(ctx.principal, change.id, comment ?? null));
    },
  },
};

export const newIdempotencyKey = () => randomUUID();
