import type { Bundle, Coding, Resource } from '@medplum/fhirtypes';
import { putBatch } from '../../connectors/ehr/seed/put-bundle.js';

// Extra records for the sensitivity tests: a Synthea-like patient of cardiology (acme) whose record carries HIV,
// opioid use disorder and depression, mostly WITHOUT security labels (as real EHR data comes), on every resource type
// the gateway reads: Condition, Observation, MedicationRequest, Encounter, DocumentReference, DiagnosticReport,
// CarePlan; a few carry only a label (on an innocuous code); controls are plainly not sensitive.

export const HANK = 'hank-sensitive-1';
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONF = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

const subject = { reference: `Patient/${HANK}` };
const concept = (system: string, code: string, display: string) => ({ coding: [{ system, code, display }], text: display });
const label = (system: string, code: string): { security: Coding[] } => ({ security: [{ system, code }] });
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Ids of the records a caller without the sensitive grant must never see, by list field of Patient. */
export const SENSITIVE_IDS: Readonly<Record<string, readonly string[]>> = {
  conditions: ['hank-cond-hiv', 'hank-cond-oud-icd', 'hank-cond-local-dep'],
  observations: ['hank-obs-viral-load', 'hank-obs-hiv-ab', 'hank-obs-labelled'],
  medications: ['hank-med-biktarvy', 'hank-med-bup-product', 'hank-med-labelled', 'hank-med-for-hiv'],
  encounters: ['hank-enc-hiv-reason', 'hank-enc-hiv-code'],
  notes: ['hank-doc-at-hiv-visit', 'hank-doc-alcohol', 'hank-doc-restricted', 'hank-report-hiv'],
  carePlans: ['hank-plan-hiv'],
};

/** Ids that every caller who reads the list sees (the controls). */
export const PLAIN_IDS: Readonly<Record<string, readonly string[]>> = {
  conditions: ['hank-cond-htn'],
  observations: ['hank-obs-weight'],
  medications: ['hank-med-lisinopril'],
  encounters: ['hank-enc-checkup'],
  notes: ['hank-doc-plain'],
  carePlans: ['hank-plan-diet'],
};

/** Words that name the sensitive content: none may reach a caller without the grant. */
export const SENSITIVE_WORDS = ['HIV', 'immunodeficiency', 'Biktarvy', 'bictegravir', 'buprenorphine', 'Opioid', 'depressive', 'alcohol use', 'viral load'];

const date = (d: string) => `${d}T09:00:00+00:00`;

export function sensitiveRecords(): Resource[] {
  return [
    {
      resourceType: 'Patient', id: HANK, name: [{ use: 'official', given: ['Hank'], family: 'Sensitive' }], gender: 'male', birthDate: '1970-02-03',
      managingOrganization: { reference: 'Organization/dept-cardiology', display: 'Cardiology' },
    },
    // Conditions: SNOMED without label, ICD-10 without label, a local system known only by its display; a control.
    { resourceType: 'Condition', id: 'hank-cond-hiv', subject, code: concept(SNOMED, '86406008', 'Human immunodeficiency virus infection'), onsetDateTime: date('2015-01-01'), clinicalStatus: concept('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active', 'Active') },
    { resourceType: 'Condition', id: 'hank-cond-oud-icd', subject, code: concept(ICD10, 'F11.20', 'Opioid dependence, uncomplicated'), onsetDateTime: date('2016-01-01') },
    { resourceType: 'Condition', id: 'hank-cond-local-dep', subject, code: concept('urn:local:problems', 'P-77', 'Major depressive disorder, recurrent'), onsetDateTime: date('2017-01-01') },
    { resourceType: 'Condition', id: 'hank-cond-htn', subject, code: concept(SNOMED, '59621000', 'Essential hypertension'), onsetDateTime: date('2014-01-01') },
    // Observations: HIV viral load and antibody by LOINC, an innocuous code with a PSY label; a control.
    { resourceType: 'Observation', id: 'hank-obs-viral-load', status: 'final', subject, code: concept(LOINC, '25836-8', 'HIV 1 RNA [#/volume] (viral load) in Serum or Plasma by NAA with probe detection'), valueQuantity: { value: 40, unit: 'copies/mL' }, effectiveDateTime: date('2024-01-01') },
    { resourceType: 'Observation', id: 'hank-obs-hiv-ab', status: 'final', subject, code: concept(LOINC, '75622-1', 'HIV 1+2 Ab+HIV 1 p24 Ag [Presence] in Serum or Plasma by Immunoassay'), valueCodeableConcept: concept(SNOMED, '10828004', 'Positive'), effectiveDateTime: date('2015-01-01') },
    { resourceType: 'Observation', id: 'hank-obs-labelled', status: 'final', meta: label(ACT, 'PSY'), subject, code: concept(LOINC, '8867-4', 'Heart rate'), valueQuantity: { value: 70, unit: '/min' }, effectiveDateTime: date('2024-01-02') },
    { resourceType: 'Observation', id: 'hank-obs-weight', status: 'final', subject, code: concept(LOINC, '29463-7', 'Body Weight'), valueQuantity: { value: 80, unit: 'kg' }, effectiveDateTime: date('2024-01-03') },
    // Medications: an antiretroviral by RxNorm code, buprenorphine by a product code not listed (by its name), one
    // labelled ETH, one whose reason is the HIV condition (derived); a control.
    { resourceType: 'MedicationRequest', id: 'hank-med-biktarvy', status: 'active', intent: 'order', subject, medicationCodeableConcept: concept(RXNORM, '1999563', 'Biktarvy'), authoredOn: date('2020-01-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-bup-product', status: 'active', intent: 'order', subject, medicationCodeableConcept: concept(RXNORM, '351266', 'buprenorphine 8 MG / naloxone 2 MG Sublingual Tablet'), authoredOn: date('2020-02-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-labelled', status: 'active', intent: 'order', meta: label(ACT, 'SUD'), subject, medicationCodeableConcept: concept(RXNORM, '197361', 'Amlodipine 5 MG Oral Tablet'), authoredOn: date('2020-03-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-for-hiv', status: 'active', intent: 'order', subject, medicationCodeableConcept: concept(RXNORM, '308182', 'Amoxicillin 250 MG Oral Capsule'), reasonReference: [{ reference: 'Condition/hank-cond-hiv' }], authoredOn: date('2020-04-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-lisinopril', status: 'active', intent: 'order', subject, medicationCodeableConcept: concept(RXNORM, '314076', 'lisinopril 10 MG Oral Tablet'), authoredOn: date('2020-05-01') },
    // Encounters: one whose reason is the HIV condition (derived), one coded by its reason; a control.
    { resourceType: 'Encounter', id: 'hank-enc-hiv-reason', status: 'finished', class: { code: 'AMB' }, subject, type: [concept(SNOMED, '185349003', 'Encounter for check up (procedure)')], reasonReference: [{ reference: 'Condition/hank-cond-hiv' }], period: { start: date('2024-01-01'), end: date('2024-01-01') } },
    { resourceType: 'Encounter', id: 'hank-enc-hiv-code', status: 'finished', class: { code: 'AMB' }, subject, type: [concept(SNOMED, '185345009', 'Encounter for symptom')], reasonCode: [concept(SNOMED, '165816005', 'HIV positive')], period: { start: date('2023-01-01'), end: date('2023-01-01') } },
    { resourceType: 'Encounter', id: 'hank-enc-checkup', status: 'finished', class: { code: 'AMB' }, subject, type: [concept(SNOMED, '162673000', 'General examination of patient (procedure)')], period: { start: date('2022-01-01'), end: date('2022-01-01') } },
    // Notes: one written at the HIV visit (derived, neutral text), one naming alcohol use disorder, one restricted
    // (label only), a diagnostic report whose conclusion names HIV; a control.
    { resourceType: 'DocumentReference', id: 'hank-doc-at-hiv-visit', status: 'current', subject, description: 'Visit note', date: date('2024-01-01'), content: [{ attachment: { contentType: 'text/plain', data: b64('Follow-up visit. Adherent to therapy. Stable.') } }], context: { encounter: [{ reference: 'Encounter/hank-enc-hiv-reason' }] } },
    { resourceType: 'DocumentReference', id: 'hank-doc-alcohol', status: 'current', subject, description: 'Counselling note', date: date('2023-06-01'), content: [{ attachment: { contentType: 'text/plain', data: b64('Discussed alcohol use disorder and treatment options.') } }] },
    { resourceType: 'DocumentReference', id: 'hank-doc-restricted', status: 'current', meta: label(CONF, 'R'), subject, description: 'Note', date: date('2023-05-01'), content: [{ attachment: { contentType: 'text/plain', data: b64('Patient asked for privacy.') } }] },
    { resourceType: 'DiagnosticReport', id: 'hank-report-hiv', status: 'final', subject, code: concept(LOINC, '11502-2', 'Laboratory report'), conclusion: 'HIV-1 RNA detected at low level.', effectiveDateTime: date('2024-01-01') },
    { resourceType: 'DocumentReference', id: 'hank-doc-plain', status: 'current', subject, description: 'Progress note', date: date('2022-01-01'), content: [{ attachment: { contentType: 'text/plain', data: b64('Blood pressure well controlled.') } }] },
    // Care plans: one addressing the HIV condition (derived); a control.
    { resourceType: 'CarePlan', id: 'hank-plan-hiv', status: 'active', intent: 'plan', subject, title: 'Care plan', addresses: [{ reference: 'Condition/hank-cond-hiv' }], period: { start: date('2020-01-01') } },
    { resourceType: 'CarePlan', id: 'hank-plan-diet', status: 'active', intent: 'plan', subject, title: 'Diet and exercise', period: { start: date('2019-01-01') } },
  ] as Resource[];
}

/** The extra records as a PUT batch, to append to a tenant's seed. */
export function sensitiveRecordsBundle(): Bundle {
  return putBatch(sensitiveRecords());
}
