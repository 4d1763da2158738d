import { referenceId } from '../../connectors/ehr/mapping/fhir-values.js';
import type { PatientRow } from '../../connectors/ehr/rows.js';
import type { WriteResult } from '../../connectors/ehr/write/fhir-writer.js';
import { idempotencyToken } from '../../connectors/ehr/write/write-resources.js';
import { decideMedicationRequest, decidePatientAction, type PatientAction } from '../../rules/patient-actions.js';
import { forbidden } from '../errors/forbidden.js';
import { assertTargetRight } from './change-target-check.js';
import type { GatewayContext } from '../context/context.js';
import { BadUserInputError, ClearanceError, NotFoundError } from '../errors/errors.js';
import type { MedicationProposalResult, MedicationProposalStatus, Resolvers } from '../generated/resolvers-types.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { medicationDraftOf, observationDraftOf } from '../services/write-back/write-drafts.js';
import { findChangeRequest } from '../services/governance/reads.js';
import { proposeEhrWrite } from '../services/governance/ehr-write-proposals.js';
import { approveChange } from '../services/governance/transition.js';

// EHR write-back. Thin: who may write is asked of the policy (rules/decide.ts: action write or propose on the data
// class, for the patient's department); the write-back service builds the FHIR resource (connectors/ehr/write) and
// checks whether the connector may write now.

async function patientFor(ctx: GatewayContext, patientId: string, action: PatientAction): Promise<PatientRow> {
  // Unknown, other-tenant and invalid ids look the same: not found.
  const patient = await ctx.ehr.patient(patientId);
  if (!patient) throw new NotFoundError('Patient', 'No such patient.');
  // The kernel's decision for the action (rules/patient-actions.ts), the one `explain` gives for it.
  const decision = decidePatientAction(ctx.access, action, { ...patient.guard, patientId: patient.id });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
  return patient;
}

/**
 * An update authorizes against the resource as stored, never against its arguments: the stored resource is read
 * first, the caller is checked against ITS patient's tenant and departments (the same decision as any write), and
 * a `patientId` argument naming another patient is refused (TARGET_PATIENT_MISMATCH): a write never moves a
 * resource to another subject. Another tenant's resource is not found, like an unknown one.
 */
async function storedTargetFor(
  ctx: GatewayContext,
  resourceType: string,
  id: string,
  patientId: string,
  action: PatientAction,
): Promise<PatientRow> {
  const stored = (await ctx.connectors.writeBack.readTarget(ctx.principal.tenant, resourceType, id)) as {
    subject?: { reference?: string };
  } | null;
  const ownerId = stored ? referenceId(stored.subject, 'Patient') : null;
  const owner = ownerId ? await ctx.ehr.patient(ownerId) : null;
  if (!owner) throw new NotFoundError(resourceType, `No such ${resourceType}.`);
  const decision = decidePatientAction(ctx.access, action, { ...owner.guard, patientId: owner.id });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
  if (owner.id !== patientId) {
    throw new ClearanceError(
      'BAD_USER_INPUT',
      `${resourceType}/${id} belongs to another patient than patientId: nothing was written. A write never changes a resource's patient.`,
      {
        field: 'patientId',
        reason: 'TARGET_PATIENT_MISMATCH',
      },
    );
  }
  return owner;
}

const author = (ctx: GatewayContext, promptTemplateVersion: string | null = null) => ({
  sub: ctx.principal.sub,
  kind: ctx.principal.kind,
  promptTemplateVersion,
});

const STATUS: Record<ChangeRequest['status'], MedicationProposalStatus> = {
  PENDING: 'PENDING_APPROVAL', APPROVED: 'APPROVED', APPLIED: 'WRITTEN', FAILED: 'FAILED',
  REJECTED: 'FAILED', CANCELLED: 'FAILED', EXPIRED: 'FAILED', SUPERSEDED: 'FAILED',
};

function proposalResult(change: ChangeRequest): MedicationProposalResult {
  return { status: STATUS[change.status], changeRequestId: change.id, write: null };
}

const asResult = (r: WriteResult) => ({ resourceType: r.resourceType, id: r.id, versionId: r.versionId, created: r.created });
/** A replayed write answers the first write, which this request did not create. */
const replayed = async (r: WriteResult) => ({ ...asResult(r), created: false });
const NOTHING_WRITTEN = 'nothing was written';

export const ehrWriteResolvers: Resolvers = {
  Mutation: {
    writeBackNote: async (_p, { patientId, input }, ctx) => {
      const patient = await patientFor(ctx, patientId, 'write:notes');
      const { documentId, expectedVersion } = input;
      // The target is read and authorized before the key is looked at: a caller without access is refused, not replayed to.
      if (documentId) await storedTargetFor(ctx, 'DocumentReference', documentId, patient.id, 'write:notes');
      if (documentId && !expectedVersion) throw new BadUserInputError('expectedVersion is required to update a note.', 'expectedVersion');
      const draft = { title: input.title, text: input.text, docStatus: input.final ? ('final' as const) : ('preliminary' as const) };
      const request = { patientId: patient.id, ...draft, documentId: documentId ?? null, expectedVersion: expectedVersion ?? null };
      return ctx.connectors.idempotency.once(ctx.principal, {
        operation: 'writeBackNote',
        key: input.idempotencyKey,
        request,
        nothingDone: NOTHING_WRITTEN,
        replay: replayed,
        run: async (_attempt, scope) => {
          const update = documentId && expectedVersion ? { id: documentId, expectedVersion } : null;
          const writeBack = ctx.connectors.writeBack;
          const written = await writeBack.writeNote(ctx.principal, patient.id, draft, update, scope, author(ctx), ctx.requestId);
          return asResult(written);
        },
      });
    },
    recordObservation: async (_p, { patientId, input }, ctx) => {
      const patient = await patientFor(ctx, patientId, 'write:observations');
      const draft = observationDraftOf(input);
      return ctx.connectors.idempotency.once(ctx.principal, {
        operation: 'recordObservation',
        key: input.idempotencyKey,
        request: { patientId: patient.id, ...draft },
        nothingDone: NOTHING_WRITTEN,
        replay: replayed,
        run: async (_attempt, scope) =>
          asResult(await ctx.connectors.writeBack.writeObservation(ctx.principal, patient.id, draft, scope, author(ctx), ctx.requestId)),
      });
    },
    proposeMedicationRequest: async (_p, { patientId, input }, ctx) => {
      const draft = medicationDraftOf(input);
      const promptTemplateVersion = input.promptTemplateVersion ?? null;
      // A human with write on medications writes at once; everyone else (an agent) may only propose.
      const direct = decideMedicationRequest(ctx.access).mode === 'write';
      const patient = await patientFor(ctx, patientId, direct ? 'write:medications' : 'propose:medications');
      const request = {
        patientId: patient.id,
        ...draft,
        rxnorm: draft.rxnorm ?? null,
        promptTemplateVersion,
        reason: input.reason ?? null,
      };
      return ctx.connectors.idempotency.once<MedicationProposalResult>(ctx.principal, {
        operation: 'proposeMedicationRequest',
        key: input.idempotencyKey,
        request,
        nothingDone: NOTHING_WRITTEN,
        // A replayed proposal answers its change as it stands now (it may have been approved since).
        replay: async (first) => {
          if (first.changeRequestId) {
            const change = await findChangeRequest(ctx.governance, ctx.principal, first.changeRequestId);
            if (change) return proposalResult(change);
          }
          return { ...first, write: first.write ? { ...first.write, created: false } : null };
        },
        run: async (_attempt, scope) => {
          if (direct) {
            const writeBack = ctx.connectors.writeBack;
            const write = await writeBack.writeMedicationRequest(ctx.principal, patient.id, draft, scope, author(ctx), ctx.requestId);
            return { status: 'WRITTEN' as const, changeRequestId: null, write: asResult(write) };
          }
          const draftId = `med-${idempotencyToken(ctx.principal.tenant, 'MedicationRequest', scope)}`;
          const outcome = await proposeEhrWrite(ctx.governance, ctx.principal, {
            environment: ctx.connectors.writeBack.environment,
            draftId,
            draft,
            value: { resourceType: 'MedicationRequest', patientId: patient.id, promptTemplateVersion },
            reason: input.reason ?? null,
          });
          return proposalResult(outcome.change);
        },
      });
    },
    approveMedicationProposal: async (_p, { changeId, comment }, ctx) => {
      const change = await findChangeRequest(ctx.governance, ctx.principal, changeId);
      if (!change || change.target.type !== 'ehr-write') throw new NotFoundError('ChangeRequest', 'No such medication proposal.');
      // The same path as approveChange: the target's own check, then the governance decision.
      await assertTargetRight(ctx, change);
      return proposalResult(await approveChange(ctx.governance, ctx.principal, change.id, comment ?? null));
    },
  },
};
