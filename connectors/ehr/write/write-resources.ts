import type { DocumentReference, MedicationRequest, Observation, Provenance, Resource } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';

// Pure builders of the FHIR resources write-back creates: no I/O, no clock (times come in). Every created resource
// carries an identifier derived from the caller's idempotency key, so a conditional create (`If-None-Exist`) of a
// retried write finds the first one instead of creating a second.

export const IDEMPOTENCY_SYSTEM = 'urn:clearance:idempotency';
const PRINCIPAL_SYSTEM = 'urn:clearance:principal';
const PROMPT_TEMPLATE_SYSTEM = 'urn:clearance:prompt-template';

/** A short stable token for an idempotency key, per tenant and resource type (the raw key never leaves). */
export function idempotencyToken(tenant: string, resourceType: string, key: string): string {
  return createHash('sha256').update(`${tenant}\u0000${resourceType}\u0000${key}`).digest('hex').slice(0, 40);
}

export const ifNoneExistFor = (token: string) => `identifier=${IDEMPOTENCY_SYSTEM}|${token}`;

export interface NoteDraft {
  readonly title: string;
  readonly text: string;
  /** preliminary (a draft for review) or final. */
  readonly docStatus: 'preliminary' | 'final';
}

export function noteResource(patientId: string, draft: NoteDraft, nowIso: string): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: draft.docStatus,
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: draft.title },
    subject: { reference: `Patient/${patientId}` },
    date: nowIso,
    description: draft.title,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          title: draft.title,
          data: Buffer.from(draft.text, 'utf8').toString('base64'),
        },
      },
    ],
  };
}

/** LOINC code syntax: up to seven digits, a hyphen, the check digit (https://loinc.org/kb/users-guide/). */
export function isLoincCode(code: string): boolean {
  return /^\d{1,7}-\d$/.test(code);
}

export interface ObservationDraft {
  /** LOINC code (isLoincCode). */
  readonly code: string;
  readonly display: string;
  readonly value: number;
  readonly unit: string;
  readonly effective: string;
}

export function observationResource(patientId: string, draft: ObservationDraft): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: draft.code, display: draft.display }], text: draft.display },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: draft.effective,
    valueQuantity: { value: draft.value, unit: draft.unit, system: 'http://unitsofmeasure.org', code: draft.unit },
  };
}

export interface MedicationDraft {
  readonly medication: string;
  /** RxNorm code, when known. */
  readonly rxnorm?: string | null;
  readonly dosage: string;
  /** Why it is proposed (MedicationRequest.reasonCode.text): clinical text, read under the same rules as the drug. */
  readonly reason?: string | null;
}

/** A medication proposal: status draft, intent proposal; a clinician turns it into an order in the EHR. */
export function medicationRequestResource(patientId: string, draft: MedicationDraft, nowIso: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: 'proposal',
    medicationCodeableConcept: {
      ...(draft.rxnorm ? { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: draft.rxnorm }] } : {}),
      text: draft.medication,
    },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: nowIso,
    dosageInstruction: [{ text: draft.dosage }],
    ...(draft.reason ? { reasonCode: [{ text: draft.reason }] } : {}),
  };
}

export interface WriteAuthor {
  readonly sub: string;
  readonly kind: 'user' | 'agent' | 'service';
  /** For an agent: the prompt template and version it drafted with (`triage@3`). */
  readonly promptTemplateVersion?: string | null;
  /** Who approved it, when a human approved an agent's proposal. */
  readonly approvedBy?: readonly string[];
}

/** The Provenance of one write; its id is derived from the write's token, so a retried write updates the same one. */
export function provenanceResource(
  target: { resourceType: string; id: string; versionId?: string | undefined },
  author: WriteAuthor,
  token: string,
  nowIso: string,
): Provenance & { id: string } {
  const who = (sub: string, display: string) => ({ identifier: { system: PRINCIPAL_SYSTEM, value: sub }, display });
  const versioned = target.versionId ? `/_history/${target.versionId}` : '';
  return {
    resourceType: 'Provenance',
    id: `prov-${token}`.slice(0, 64),
    target: [{ reference: `${target.resourceType}/${target.id}${versioned}` }],
    recorded: nowIso,
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
        who: who(author.sub, `${author.kind} ${author.sub}`),
      },
      ...(author.approvedBy ?? []).map((sub) => ({
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'verifier' }] },
        who: who(sub, `user ${sub}`),
      })),
    ],
    ...(author.promptTemplateVersion
      ? {
          entity: [
            { role: 'source' as const, what: { identifier: { system: PROMPT_TEMPLATE_SYSTEM, value: author.promptTemplateVersion } } },
          ],
        }
      : {}),
  };
}

type WithIdentifier = Resource & { identifier?: { system?: string; value?: string }[] };

/** The resource with the idempotency identifier added (any previous one of that system replaced). */
export function withIdempotencyIdentifier<T extends Resource>(resource: T, token: string): T {
  const r = resource as WithIdentifier;
  const others = (r.identifier ?? []).filter((i) => i.system !== IDEMPOTENCY_SYSTEM);
  return { ...resource, identifier: [...others, { system: IDEMPOTENCY_SYSTEM, value: token }] };
}
