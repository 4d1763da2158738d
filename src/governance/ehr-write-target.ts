import { z } from 'zod';
import type { Category, Environment, Risk } from './environment.js';
import type { JsonValue } from './json.js';
import { FHIR_ID_PATTERN } from '../../spec/fhir-id.js';

// The governed change of a clinical write an AI agent proposes (a MedicationRequest): owned by the clinical function,
// proposed by the agent (or a clinician), approved by a clinician. LOW risk on purpose: the approval rules raise an
// agent's proposal to one approval from the owner function (clinical), and never let a technical or security
// approver stand in for it (a MEDIUM rule would take any one approver). The value names the stored draft; the
// draft itself (PHI) is kept beside the change, not in it.

const CLINICAL = 'clinical';

export const EHR_WRITE_TARGET: {
  readonly category: Category;
  readonly ownerFunction: string;
  readonly risk: Readonly<Record<Environment, Risk>>;
  readonly editorRoles: readonly string[];
  readonly approversOf: (base: readonly string[]) => readonly string[];
} = {
  category: 'ai-behavior',
  ownerFunction: CLINICAL,
  risk: { STAGING: 'LOW', PRODUCTION: 'LOW' },
  editorRoles: ['ai-agent', 'clinician'],
  // Only the owner function: approving also needs write on the patient's medications (change-target-check.ts), which
  // no technical or security role holds, so naming them would promise approvals nobody of them can give.
  approversOf: (base) => base.filter((f) => f === CLINICAL),
};

/**
 * A prompt template and its version, `triage@3`: an id, never prose. It is kept on the change (its snapshot reaches
 * configuration readers, change events and the audit log), so free text here would carry clinical words there (found
 * by the tester: "HIV viral load rising v2" as a version).
 */
export const PROMPT_TEMPLATE_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,59}@[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/;

export const ehrWriteValueSchema = z.strictObject({
  resourceType: z.literal('MedicationRequest'),
  patientId: z.string().regex(FHIR_ID_PATTERN),
  /** The prompt template (and version) the agent drafted with, for the Provenance. */
  promptTemplateVersion: z.string().regex(PROMPT_TEMPLATE_VERSION).nullable(),
}) as unknown as z.ZodType<JsonValue>;

export const medicationDraftSchema = z.strictObject({
  medication: z.string().trim().min(1).max(200),
  rxnorm: z.string().regex(/^\d{1,12}$/).nullable(),
  dosage: z.string().trim().min(1).max(500),
  /**
   * Why it is proposed, in the proposer's words: clinical text (it can name a diagnosis), so it is part of the draft and
   * of the resource (MedicationRequest.reasonCode.text), never of the change, whose snapshot reaches configuration
   * readers, change events and the audit log. Absent in drafts stored before it existed.
   */
  reason: z.string().trim().min(1).max(1000).nullable().default(null),
});
export type MedicationDraftValue = z.infer<typeof medicationDraftSchema>;
