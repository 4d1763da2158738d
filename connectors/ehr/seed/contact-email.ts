import type { Patient } from '@medplum/fhirtypes';

// An email address for every sample patient: Synthea writes only a home phone, and the email channel of patient
// messaging needs an address to send to. Derived from the name (Synthea's digit suffixes dropped) under the
// reserved `.example` domain, so no real mailbox is ever addressed. Added after the phone: telecom[0] stays Synthea's.

const SAMPLE_EMAIL_DOMAIN = 'patients.example';

function sampleEmail(patient: Patient & { id: string }): string {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  const part = (s: string | undefined) => (s ?? '').normalize('NFKD').toLowerCase().replace(/[^a-z]+/g, '');
  const local = [part(name?.given?.[0]), part(name?.family)].filter(Boolean).join('.') || `patient.${patient.id.slice(0, 8)}`;
  return `${local}@${SAMPLE_EMAIL_DOMAIN}`;
}

/** Adds the sample email to the patient (in place, like the other seed steps on the PUT bundle's copy). */
export function addSampleEmail(patient: Patient & { id: string }): void {
  if (patient.telecom?.some((t) => t.system === 'email')) return;
  patient.telecom = [...(patient.telecom ?? []), { system: 'email', value: sampleEmail(patient), use: 'home' }];
}
