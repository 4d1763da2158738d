import type { Patient } from '@medplum/fhirtypes';
import { createHmac, randomBytes } from 'node:crypto';
import { digitsOf } from './stable-hash.js';

// Synthea writes a Patient's medical record number (identifier of type MR,
// https://terminology.hl7.org/CodeSystem-v2-0203.html) as a UUID: the Patient's own resource id in plain Synthea
// output, the Synthea id (also in the file name) in SMART's files. A hospital's MRN is its own number, never the FHIR
// server's logical id: with the two equal, `Patient.id` (readable with demographics) carried the whole MRN that the
// `identifiers` mask hides. The seed gives each patient an eight-digit MRN instead. It must not be computable from
// the id either (a tester derived every MRN of a first version, a hash of the id, from the ids): it is keyed by a
// secret this process draws at start, so a patient keeps its MRN for the life of the process (the embedded FHIR
// server is seeded anew at each start) and nobody outside it can compute one. An MR identifier that is not a UUID
// (a real EHR's number, a patient created later) is left as it is.

const KEY = randomBytes(32);

/** The seed's MRN for a patient id in this process: eight digits. */
export function hospitalMrn(patientId: string): string {
  return digitsOf(createHmac('sha256', KEY).update(patientId).digest('hex'), 8);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Replaces Synthea's UUID MRN by the seed's MRN. Mutates the seed's copy. */
export function giveHospitalMrn(patient: Patient & { id: string }): void {
  for (const identifier of patient.identifier ?? []) {
    const isMrn = identifier.type?.coding?.some((coding) => coding.code === 'MR') ?? false;
    if (isMrn && UUID.test(identifier.value ?? '')) identifier.value = hospitalMrn(patient.id);
  }
}
