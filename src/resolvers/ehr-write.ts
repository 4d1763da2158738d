import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { referenceId } from '../../connectors/ehr/mapping/fhir-values.js';
import type { PatientRow } from '../../connectors/ehr/rows.js';
import type { WriteResult } from '../../connectors/ehr/write/fhir-writer.js';
import { idempotencyToken } from '../../connectors/ehr/write/write-resources.js';
import type { Denial } from '../../rules/denial.js';
import { decideRow } from '../../rules/field-decision.js';
import { decideMedicationRequest, decidePatientAction, type PatientAction } from '../../rules/patient-actions.js';
import { denialContextOf, denialEvent } from '../audit/denial-event.js';
import { forbidden } from '../errors/forbidden.js';
import { assertMayReach } from './change-target-check.js';
import { fhirIdArg, versionIdArg } from './upstream-input.js';
import type { GatewayContext } from '../context/context.js';
import { BadUserInputError, NotFoundError } from '../errors/errors.js';
import type { MedicationProposalResult, MedicationProposalStatus, Resolvers } from '../generated/resolvers-types.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { PROMPT_TEMPLATE_VERSION } from '../governance/ehr-write-target.js';
import { medicationDraftOf, observationDraftOf } from '../services/write-back/write-drafts.js';
import { findChangeRequest } from '../services/governance/reads.js';
import { proposeEhrWrite } from '../services/governance/ehr-write-proposals.js';
import { approveChange } from '../services/governance/transition.js';

// EHR write-back. Thin: who may write is asked of the policy (rules/decide.ts: action write or propose on the data
// class, for the patient's department); the write-back service builds the FHIR resource (connectors/ehr/write) and
// checks whether the connector may write now.

async function patientFor(ctx: GatewayContext, patientId: string, action: PatientAction): Promise<PatientRow> {
  // A malformed id is the caller's mistake (BAD_USER_INPUT, nothing sent upstream); unknown and other-tenant ids look
  // the same: not found.
  const patient = await ctx.ehr.patient(fhirIdArg(patientId, 'patientId'));
  if (!patient) throw new NotFoundError('Patient', 'No such patient.');
  // The kernel's decision for the action (rules/patient-actions.ts), the one `explain` gives for it.
  const decision = decidePatientAction(ctx.access, action, { ...patient.guard, patientId: patient.id });
  if (decision.effect === 'DENY') throw forbidden(decision.denial);
  return patient;
}

/** Why a stored target the caller named is answered as unknown (recorded in the audit log, never answered). */
type HiddenReason = 'TARGET_PATIENT_MISMATCH' | 'TARGET_NOT_READABLE' | 'TARGET_NOT_WRITABLE';

/**
 * A stored target the caller may not act on is refused exactly as an unknown id is (the same NOT_FOUND, nothing
 * written, no version compared), so the answer never tells that it exists. The refusal is still a denial: recorded
 * as the `access.denied` failure event a FORBIDDEN answer of this path gets (src/audit/denial-event.ts), with the
 * reason, the failed scope and the stored target's patient, never a value. No audit, no answer (fail closed).
 */
async function refuseAsUnknown(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  refusal: { reason: HiddenReason; denial: Denial | null; patientId: string; target: string },
  unknown: NotFoundError,
): Promise<never> {
  const { reason, denial } = refusal;
  const p = ctx.principal;
  const event = denialEvent(
    [
      {
        path: responsePathAsArray(info.path),
        extensions: { code: 'FORBIDDEN', reason, permission: denial?.permission ?? null, failedScope: denial?.failedScope ?? null },
      },
    ],
    denialContextOf(p, {
      requestId: ctx.requestId,
      environment: ctx.connectors.writeBack.environment,
      operation: info.operation.name?.value ?? null,
      at: new Date().toISOString(),
    }),
  );
  if (event) {
    await ctx.audit.write(p.tenant, [{ ...event, detail: { ...event.detail, target: refusal.target }, patientId: refusal.patientId }]);
  }
  throw unknown;
}

/**
 * An update authorizes against the note as stored, never against its arguments: the stored note is read first and
 * its row as the read path builds it (ctx.ehr.notes: its patient's tenant and departments, its sensitivity by label,
 * code, text and what it derives from) is asked of the kernel: the read decision (rules/field-decision.ts decideRow,
 * the one `Patient.notes` withholds rows by) and the write decision on its patient (rules/patient-actions.ts). A note
 * the caller may not read or write, or of another patient than `patientId` (a write never moves a note to another
 * patient), is answered as an unknown id: NOT_FOUND, before any version is compared or anything written.
 */
async function storedNoteFor(ctx: GatewayContext, info: GraphQLResolveInfo, id: string, patient: PatientRow): Promise<void> {
  const unknown = new NotFoundError('DocumentReference', 'No such DocumentReference.');
  const stored = await ctx.connectors.writeBack.readTarget(ctx.principal.tenant, 'DocumentReference', id);
  const ownerId = stored ? referenceId((stored as { subject?: { reference?: string } }).subject, 'Patient') : null;
  const owner = ownerId ? await ctx.ehr.patient(ownerId) : null;
  if (!owner) throw unknown;
  // The note as the read path has it; a stored note the read path does not show is unknown to the caller too.
  const row = (await ctx.ehr.notes(owner)).find((n) => n.kind === 'DOCUMENT_REFERENCE' && n.id === id);
  if (!row) throw unknown;
  const target = `ehr:DocumentReference/${id}`;
  const read = decideRow(ctx.access, 'ClinicalNote', row.guard).decision;
  const write = decidePatientAction(ctx.access, 'write:notes', { ...row.guard, patientId: owner.id });
  const denial = read.effect === 'DENY' ? read.denial : write.effect === 'DENY' ? write.denial : null;
  const reason: HiddenReason | null =
    read.effect === 'DENY'
      ? 'TARGET_NOT_READABLE'
      : write.effect === 'DENY'
        ? 'TARGET_NOT_WRITABLE'
        : owner.id !== patient.id
          ? 'TARGET_PATIENT_MISMATCH'
          : null;
  if (reason) await refuseAsUnknown(ctx, info, { reason, denial, patientId: owner.id, target }, unknown);
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
    writeBackNote: async (_p, { patientId, input }, ctx, info) => {
      // The input first: a malformed id or version is BAD_USER_INPUT before anything is read upstream.
      const documentId = input.documentId == null ? null : fhirIdArg(input.documentId, 'documentId');
      const expectedVersion = input.expectedVersion == null ? null : versionIdArg(input.expectedVersion, 'expectedVersion');
      if (documentId && !expectedVersion) throw new BadUserInputError('expectedVersion is required to update a note.', 'expectedVersion');
      const patient = await patientFor(ctx, patientId, 'write:notes');
      // The target is read and authorized before the key is looked at: a caller without access is refused, not replayed to.
      if (documentId) await storedNoteFor(ctx, info, documentId, patient);
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
      if (promptTemplateVersion !== null && !PROMPT_TEMPLATE_VERSION.test(promptTemplateVersion)) {
        throw new BadUserInputError('promptTemplateVersion must be a template and its version, such as triage@3.', 'promptTemplateVersion');
      }
      // A human with write on medications writes at once; everyone else (an agent) may only propose.
      const direct = decideMedicationRequest(ctx.access).mode === 'write';
      const patient = await patientFor(ctx, patientId, direct ? 'write:medications' : 'propose:medications');
      const request = { patientId: patient.id, ...draft, rxnorm: draft.rxnorm ?? null, promptTemplateVersion };
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
          // A proposal meets the gate its write will meet, as the clinician's own write does (FORBIDDEN with the same
          // reason), before its draft is stored or anything queued; its approval asks again (ehr-write-effect.ts).
          await ctx.connectors.writeBack.assertOpen(ctx.principal.tenant, 'MedicationRequest', 'c');
          const draftId = `med-${idempotencyToken(ctx.principal.tenant, 'MedicationRequest', scope)}`;
          const outcome = await proposeEhrWrite(ctx.governance, ctx.principal, {
            environment: ctx.connectors.writeBack.environment,
            draftId,
            draft,
            // The reason is in the draft (clinical text): the change carries none of its own.
            value: { resourceType: 'MedicationRequest', patientId: patient.id, promptTemplateVersion },
          });
          return proposalResult(outcome.change);
        },
      });
    },
    approveMedicationProposal: async (_p, { changeId, comment }, ctx) => {
      const change = await findChangeRequest(ctx.governance, ctx.principal, changeId);
      if (!change || change.target.type !== 'ehr-write') throw new NotFoundError('ChangeRequest', 'No such medication proposal.');
      // The same path as approveChange: the reach and target check, then the governance decision.
      await assertMayReach(ctx, change, 'act');
      return proposalResult(await approveChange(ctx.governance, ctx.principal, change.id, comment ?? null));
    },
  },
};
