import type { Condition, DocumentReference, Encounter, MedicationRequest, Patient } from '@medplum/fhirtypes';
import { hasSensitiveLabel } from '../sensitivity.js';
import { seedMeta } from './seed-tag.js';

// Clinical notes: the Synthea DiagnosticReports here carry neither presentedForm nor conclusion, and there are no
// DocumentReferences, so there is no free text at all. The seed writes one short progress note per patient as a
// DocumentReference (https://hl7.org/fhir/R4/documentreference.html) with the text base64-encoded in
// content.attachment.data, built from the patient's own record. A note that names a sensitive condition copies
// that condition's security labels: free text is where sensitive facts leak.

function latest<T>(items: readonly T[], date: (item: T) => string | undefined): T | undefined {
  return [...items].sort((a, b) => (date(b) ?? '').localeCompare(date(a) ?? ''))[0];
}

function conceptText(concept: { text?: string; coding?: { display?: string }[] } | undefined): string | undefined {
  return concept?.text ?? concept?.coding?.[0]?.display;
}

export function progressNoteForPatient(
  patient: Patient & { id: string },
  encounters: readonly Encounter[],
  conditions: readonly Condition[],
  medications: readonly MedicationRequest[],
): DocumentReference {
  const encounter = latest(encounters, (e) => e.period?.start);
  const active = conditions.filter((c) => c.clinicalStatus?.coding?.[0]?.code === 'active');
  const activeMeds = medications.filter((m) => m.status === 'active');
  const name = patient.name?.[0];
  const fullName = [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  const seen = encounter?.period?.start?.slice(0, 10) ?? 'an unknown date';
  const lines = [
    `Progress note for ${fullName}, ${patient.gender ?? 'unknown gender'}, born ${patient.birthDate ?? 'unknown'}.`,
    `Last seen ${seen} (${conceptText(encounter?.type?.[0]) ?? 'visit'}).`,
    `Active problems: ${active.map((c) => conceptText(c.code)).filter(Boolean).join('; ') || 'none recorded'}.`,
    `Active medications: ${activeMeds.map((m) => conceptText(m.medicationCodeableConcept)).filter(Boolean).join('; ') || 'none'}.`,
  ];
  const sensitiveLabels = active.filter((c) => hasSensitiveLabel(c.meta)).flatMap((c) => c.meta?.security ?? []);
  const uniqueLabels = [...new Map(sensitiveLabels.map((label) => [label.code, label])).values()];
  return {
    resourceType: 'DocumentReference',
    id: `note-${patient.id}`.slice(0, 64),
    meta: seedMeta(uniqueLabels.length > 0 ? { security: uniqueLabels } : {}),
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: 'Progress note' },
    subject: { reference: `Patient/${patient.id}` },
    date: encounter?.period?.end ?? encounter?.period?.start,
    description: 'Progress note',
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          title: 'Progress note',
          data: Buffer.from(lines.join('\n'), 'utf8').toString('base64'),
        },
      },
    ],
    context: encounter?.id ? { encounter: [{ reference: `Encounter/${encounter.id}` }] } : undefined,
  };
}
