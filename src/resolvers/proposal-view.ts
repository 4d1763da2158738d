import { toInvoiceRow, toMedicationRequestRow } from '../../connectors/ehr/fhir-mapping.js';
import { medicationRequestResource } from '../../connectors/ehr/write/write-resources.js';
import { decideField, decideRow, rowReadScope } from '../../rules/field-decision.js';
import type { GatewayContext } from '../context/context.js';
import { perRequest } from '../context/per-request.js';
import type { ChangeRequest } from '../governance/change-request.js';
import { diffJson, type DiffEntry } from '../governance/diff.js';
import { medicationDraftSchema } from '../governance/ehr-write-target.js';
import type { JsonValue } from '../governance/json.js';
import { ehrDraft } from '../services/governance/reads.js';

// What an approver sees of a clinical write (issue 13 item 10): the full resource the approval would write (the
// MedicationRequest built from the stored draft exactly as the outbox effect builds it: drug, RxNorm code, dosage),
// shown as far as the caller's own field rules allow. No policy of its own: each FHIR element is shown when the
// kernel (rules/field-decision.ts decideField) lets the caller read the `MedicationRequest` field that carries it on
// that row (its patient's departments, its sensitivity decided from its codes and text as on a read), and the whole
// resource is withheld when the row is (decideRow: a sensitive drug without the `sensitive` grant). What is shown
// is recorded as a PHI read, like the same fields read on Patient.medications. The stored change keeps only
// {resourceType, patientId, promptTemplateVersion}: the draft is PHI and stays out of snapshots and the audit log.

export interface ProposalView {
  readonly after: JsonValue | null;
  readonly diff: DiffEntry[];
  readonly withheldPaths: string[];
  /** A refund's view replaces `before` too (withheld: null); absent, `before` is shown as stored. */
  readonly before?: JsonValue | null;
  /**
   * True when the change's texts are withheld with its value (a refund's from a caller without read:financial): its
   * reason, its approvers' comments, a rejection's and a failure's reason. People write amounts and diagnoses there
   * ("Duplicate charge for HIV viral load test").
   */
  readonly textsWithheld?: boolean;
}

/** FHIR element of the proposed MedicationRequest -> the field of schema/patients.graphql whose rule governs it. */
const ELEMENT_FIELD: Readonly<Record<string, string | null>> = Object.freeze({
  __proto__: null,
  resourceType: null,
  status: 'status',
  intent: 'status',
  medicationCodeableConcept: 'medication',
  subject: 'id',
  authoredOn: 'authoredOn',
  dosageInstruction: 'dosage',
  // Why the drug is proposed: part of the order's clinical content, under the drug's own rule.
  reasonCode: 'medication',
} as Record<string, string | null>);

const WITHHELD: ProposalView = Object.freeze({ after: null, diff: [], withheldPaths: [''] });
const REFUND_WITHHELD: ProposalView = Object.freeze({ after: null, before: null, diff: [], withheldPaths: [''], textsWithheld: true });
const views = perRequest<string, Promise<ProposalView | null>>();

/**
 * The caller's view of a clinical write's proposed resource, or of a refund (withheld whole, or null: shown as
 * stored); null for any other change (shown as stored). Every way a change is shown (changeRequest(s), the
 * connection, change events, the console) resolves its fields through this.
 */
export function proposalView(ctx: GatewayContext, change: ChangeRequest): Promise<ProposalView | null> {
  const type = change.target.type;
  const make =
    type === 'refund' ? refundView
    : type === 'ehr-write' ? build
    : type === 'assignment' || type === 'access-request' ? async (c: GatewayContext, ch: ChangeRequest) => accessDocView(c, ch)
    : null;
  if (!make) return Promise.resolve(null);
  // Once per request and change: before, after, diff and withheldPaths each ask it.
  return views(ctx, change.id, () => make(ctx, change));
}

/**
 * A refund change as the caller may see it (issue: its amount, invoice, the patient's unapproved totals and the
 * reason reached configuration readers without read:financial). It is financial content of the invoice's patient:
 * shown only when the kernel lets the caller read that invoice row (rules/field-decision.ts decideRow on `Invoice`,
 * the financial record rule Patient.invoices and Patient.claims are decided by), else withheld whole: no value, no
 * texts, `withheldPaths: [""]`. A caller who may read no financial row at all (support, integration-engineer) is
 * answered without reading the invoice; an invoice or patient no longer there withholds too (fails closed). What
 * is shown is recorded as a read of the patient's financial record.
 */
async function refundView(ctx: GatewayContext, change: ChangeRequest): Promise<ProposalView | null> {
  if (rowReadScope(ctx.access, 'Invoice').kind === 'none') return REFUND_WITHHELD;
  const invoiceId = (change.after as { invoiceId?: unknown } | null)?.invoiceId;
  const row = typeof invoiceId === 'string' ? await invoiceRowOf(ctx, invoiceId) : null;
  if (!row) return REFUND_WITHHELD;
  const { patient, guard } = row;
  const decision = decideRow(ctx.access, 'Invoice', guard);
  if (decision.outcome === 'deny') return REFUND_WITHHELD;
  if (decision.slot != null) ctx.phiReads.record(patient.id, decision.slot);
  return null;
}

/**
 * A person's access document as a change of it shows it (an assignment, an access request): it holds every
 * break-glass opening of that person, with the patient and the clinician's own words about the emergency, which are
 * access-review data (`accessOf`, `accessReview`: read:audit). A caller the kernel does not let read `Query.accessOf`
 * sees each break-glass entry as null, in place (the other entries keep their index), listed in `withheldPaths`, and
 * a diff of what is shown; null (shown as stored) for a caller who may, or a document without one.
 */
function accessDocView(ctx: GatewayContext, change: ChangeRequest): ProposalView | null {
  if (decideField(ctx.access, 'Query', 'accessOf').outcome !== 'deny') return null;
  const withheld = new Set<string>();
  const shown = (doc: JsonValue | null): JsonValue | null => {
    const entries = (doc as { entries?: unknown } | null)?.entries;
    if (!Array.isArray(entries)) return doc;
    const kept = entries.map((e: JsonValue, i) => {
      if ((e as { kind?: unknown } | null)?.kind !== 'break-glass') return e;
      withheld.add(`/entries/${i}`);
      return null;
    });
    return { ...(doc as Record<string, JsonValue>), entries: kept };
  };
  const before = shown(change.before);
  const after = shown(change.after);
  if (withheld.size === 0) return null;
  return { before, after, diff: diffJson(before, after), withheldPaths: [...withheld].sort() };
}

/**
 * The resource a clinical write would create and the row facts it would have once written (its patient's
 * departments, its sensitivity from its codes and text): what both the view and the approval check decide on.
 */
export async function proposedRow(ctx: GatewayContext, change: ChangeRequest) {
  if (change.target.type !== 'ehr-write') return null;
  const patientId = (change.after as { patientId?: unknown } | null)?.patientId;
  const patient = typeof patientId === 'string' ? await ctx.ehr.patient(patientId) : null;
  const draft = medicationDraftSchema.safeParse(
    await ehrDraft(ctx.governance, ctx.principal.tenant, change.environment, change.target.draftId),
  );
  if (!patient || !draft.success) return null;
  const resource = medicationRequestResource(patient.id, draft.data, change.createdAt);
  return { patient, resource, guard: toMedicationRequestRow(resource, patient).guard };
}

const invoiceRows = perRequest<string, ReturnType<typeof readInvoiceRow>>();

/** The invoice's row facts and patient, read once per request (a queue lists many refunds of a few invoices). */
const invoiceRowOf = (ctx: GatewayContext, invoiceId: string) => invoiceRows(ctx, invoiceId, () => readInvoiceRow(ctx, invoiceId));

async function readInvoiceRow(ctx: GatewayContext, invoiceId: string) {
  const found = await ctx.connectors.billing.invoice(ctx.principal.tenant, invoiceId);
  const patient = found ? await ctx.ehr.patient(found.patientId) : null;
  return found && patient ? { patient, guard: toInvoiceRow(found.invoice, patient).guard } : null;
}

async function build(ctx: GatewayContext, change: ChangeRequest): Promise<ProposalView> {
  const proposed = await proposedRow(ctx, change);
  if (!proposed) return WITHHELD;
  const { patient, resource, guard } = proposed;
  if (decideRow(ctx.access, 'MedicationRequest', guard).outcome === 'deny') return WITHHELD;
  const shown: Record<string, JsonValue> = {};
  const withheldPaths: string[] = [];
  for (const [element, value] of Object.entries(resource)) {
    const field = ELEMENT_FIELD[element];
    const decision = typeof field === 'string' ? decideField(ctx.access, 'MedicationRequest', field, guard) : null;
    // An element with no field mapped (field undefined) is withheld: a new element is shown only once it has a rule.
    if (field === undefined || decision?.outcome === 'deny') {
      withheldPaths.push(`/${element}`);
      continue;
    }
    shown[element] = value as JsonValue;
    if (decision?.slot != null) ctx.phiReads.record(patient.id, decision.slot);
  }
  // Nothing exists before a create: every shown element is an addition.
  return { after: shown, diff: diffJson({}, shown), withheldPaths };
}
