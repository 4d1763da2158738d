import type { Patient } from '@medplum/fhirtypes';
import { stableDigits } from './stable-hash.js';

// Synthea writes a Patient's medical record number (identifier of type MR,
// https://terminology.hl7.org/CodeSystem-v2-0203.html) as a UUID: the Patient's own resource id in plain Synthea
// output, the Synthea id (also in the file name) in SMART's files. A hospital's MRN is its own number, never the FHIR
// server's logical id: with the two equal, `Patient.id` (readable with demographics) carried the whole MRN that the
// `identifiers` mask hides. The seed gives each patient a stable eight-digit MRN instead, derived from its id; an
// MR identifier that is not a UUID (a real EHR's number, a patient created later) is left as it is.

/** The seed's MRN for a patient id: eight digits, stable across runs. */
export const hospitalMrn = (patientId: string): string => stableDigits(`mrn:${patientId}`, 8);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Replaces Synthea's UUID MRN by the seed's MRN. Mutates the seed's copy. */
export function giveHospitalMrn(patient: Patient & { id: string }): void {
  for (const identifier of patient.identifier ?? []) {
    const isMrn = identifier.type?.coding?.some((coding) => coding.code === 'MR') ?? false;
    if (isMrn && UUID.test(identifier.value ?? '')) identifier.value = hospitalMrn(patient.id);
  }
}
