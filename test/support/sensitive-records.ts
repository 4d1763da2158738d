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
  observations: [
    'hank-obs-viral-load', 'hank-obs-hiv-ab', 'hank-obs-labelled', 'hank-obs-local-hiv1', 'hank-obs-local-hiv-2', 'hank-obs-local-hiv-space',
    'hank-obs-local-vl-labelled', 'hank-obs-phq9', 'hank-obs-phq9-total', 'hank-obs-gad7', 'hank-obs-gad7-total', 'hank-obs-auditc', 'hank-obs-dast',
    'hank-obs-phq9-labelled',
  ],
  medications: [
    'hank-med-biktarvy', 'hank-med-bup-product', 'hank-med-labelled', 'hank-med-for-hiv', 'hank-med-text-sertraline', 'hank-med-reason-text',
    'hank-med-text-labelled', 'hank-med-text-methadone',
  ],
  encounters: ['hank-enc-hiv-reason', 'hank-enc-hiv-code'],
  notes: ['hank-doc-at-hiv-visit', 'hank-doc-alcohol', 'hank-doc-restricted', 'hank-report-hiv'],
  carePlans: ['hank-plan-hiv', 'hank-plan-alcohol-counsel', 'hank-plan-alcohol-text', 'hank-plan-counsel-labelled'],
};

/** Ids that every caller who reads the list sees (the controls). */
export const PLAIN_IDS: Readonly<Record<string, readonly string[]>> = {
  conditions: ['hank-cond-htn'],
  observations: ['hank-obs-weight', 'hank-obs-local-plain', 'hank-obs-st-segment'],
  medications: ['hank-med-lisinopril', 'hank-med-text-oxycodone', 'hank-med-text-plain'],
  encounters: ['hank-enc-checkup'],
  notes: ['hank-doc-plain'],
  carePlans: ['hank-plan-diet', 'hank-plan-exercise'],
};

/** Words that name the sensitive content: none may reach a caller without the grant. */
export const SENSITIVE_WORDS = ['HIV', 'immunodeficiency', 'Biktarvy', 'bictegravir', 'buprenorphine', 'Opioid', 'depressive', 'alcohol use', 'viral load',
  'Hiv1', 'viral ld', 'Sertraline', 'depression', 'PHQ', 'GAD-7', 'AUDIT-C', 'DAST', 'alcohol consumption', 'Trazodone', 'Methadone', '1200 copies', 'score 22'];

const date = (d: string) => `${d}T09:00:00+00:00`;

function sensitiveRecords(): Resource[] {
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
    // Issue 13 item 1, what a tester posted: local lab codes named in run-together or abbreviated words ("Hiv1 viral ld"),
    // screening instruments with a result, text-only medications (no coding) and a reason given only as text, each
    // also once with a label on innocuous content; controls: an opioid analgesic in an abuse-deterrent product, an ECG
    // finding, a plain local code, a plain text-only drug.
    { resourceType: 'Observation', id: 'hank-obs-local-hiv1', status: 'final', subject, code: { coding: [{ system: 'urn:local:lab', code: 'VL1', display: 'Hiv1 viral ld' }] }, valueString: '1200 copies', effectiveDateTime: date('2024-02-01') },
    { resourceType: 'Observation', id: 'hank-obs-local-hiv-2', status: 'final', subject, code: { coding: [{ code: 'H2', display: 'hiv-2 ab screen' }] }, valueString: 'reactive', effectiveDateTime: date('2024-02-02') },
    { resourceType: 'Observation', id: 'hank-obs-local-hiv-space', status: 'final', subject, code: { text: 'CD4 count (hiv 1 monitoring)' }, valueString: '350 cells', effectiveDateTime: date('2024-02-03') },
    { resourceType: 'Observation', id: 'hank-obs-local-vl-labelled', status: 'final', meta: label(ACT, 'HIV'), subject, code: { coding: [{ system: 'urn:local:lab', code: 'VL', display: 'VL' }] }, valueString: '1200 copies', effectiveDateTime: date('2024-02-04') },
    { resourceType: 'Observation', id: 'hank-obs-phq9', status: 'final', subject, code: concept(LOINC, '44249-1', 'PHQ-9 quick depression assessment panel'), valueString: 'score 22 severe', effectiveDateTime: date('2024-02-05') },
    { resourceType: 'Observation', id: 'hank-obs-phq9-total', status: 'final', subject, code: { coding: [{ system: LOINC, code: '44261-6' }] }, valueQuantity: { value: 22, unit: '{score}' }, effectiveDateTime: date('2024-02-06') },
    { resourceType: 'Observation', id: 'hank-obs-gad7', status: 'final', subject, code: { coding: [{ system: LOINC, code: '69737-5' }] }, valueQuantity: { value: 15, unit: '{score}' }, effectiveDateTime: date('2024-02-07') },
    { resourceType: 'Observation', id: 'hank-obs-gad7-total', status: 'final', subject, code: { coding: [{ system: 'urn:local:screens', code: 'G7', display: 'GAD-7 total' }] }, valueQuantity: { value: 15, unit: '{score}' }, effectiveDateTime: date('2024-02-08') },
    { resourceType: 'Observation', id: 'hank-obs-auditc', status: 'final', subject, code: { coding: [{ system: LOINC, code: '72109-2' }] }, valueQuantity: { value: 9, unit: '{score}' }, effectiveDateTime: date('2024-02-09') },
    { resourceType: 'Observation', id: 'hank-obs-dast', status: 'final', subject, code: { text: 'DAST-10 total score' }, valueQuantity: { value: 7, unit: '{score}' }, effectiveDateTime: date('2024-02-10') },
    { resourceType: 'Observation', id: 'hank-obs-phq9-labelled', status: 'final', meta: label(ACT, 'BH'), subject, code: { coding: [{ system: 'urn:local:screens', code: 'S1', display: 'Screen' }] }, valueString: 'score 22 severe', effectiveDateTime: date('2024-02-11') },
    { resourceType: 'Observation', id: 'hank-obs-local-plain', status: 'final', subject, code: { coding: [{ system: 'urn:local:lab', code: 'NA', display: 'Sodium' }] }, valueString: '140 mmol/L', effectiveDateTime: date('2024-02-12') },
    { resourceType: 'Observation', id: 'hank-obs-st-segment', status: 'final', subject, code: { text: 'ECG interpretation' }, valueString: 'No ST elevation in V5', effectiveDateTime: date('2024-02-13') },
    { resourceType: 'MedicationRequest', id: 'hank-med-text-sertraline', status: 'active', intent: 'order', subject, medicationCodeableConcept: { text: 'Sertraline 100mg for depression' }, authoredOn: date('2021-01-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-reason-text', status: 'active', intent: 'order', subject, medicationCodeableConcept: { text: 'Trazodone 50mg' }, reasonCode: [{ text: 'Major depression' }], authoredOn: date('2021-02-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-text-labelled', status: 'active', intent: 'order', meta: label(ACT, 'PSY'), subject, medicationCodeableConcept: { text: 'Vitamin D 1000 IU' }, authoredOn: date('2021-03-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-text-methadone', status: 'active', intent: 'order', subject, medicationCodeableConcept: { text: 'Methadone 40mg daily dose' }, authoredOn: date('2021-04-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-text-oxycodone', status: 'active', intent: 'order', subject, medicationCodeableConcept: { text: 'Oxycodone 10mg abuse-deterrent extended release tablet' }, reasonCode: [{ text: 'Post-operative pain' }], authoredOn: date('2021-05-01') },
    { resourceType: 'MedicationRequest', id: 'hank-med-text-plain', status: 'active', intent: 'order', subject, medicationCodeableConcept: { text: 'Atorvastatin 20mg' }, authoredOn: date('2021-06-01') },
    { resourceType: 'CarePlan', id: 'hank-plan-alcohol-counsel', status: 'active', intent: 'plan', subject, title: 'Lifestyle', activity: [{ detail: { status: 'in-progress', code: concept(SNOMED, '413473000', 'Counseling about alcohol consumption') } }], period: { start: date('2021-01-01') } },
    { resourceType: 'CarePlan', id: 'hank-plan-alcohol-text', status: 'active', intent: 'plan', subject, title: 'Follow-up', activity: [{ detail: { status: 'in-progress', code: { text: 'Counselling about alcohol consumption' } } }], period: { start: date('2021-02-01') } },
    { resourceType: 'CarePlan', id: 'hank-plan-counsel-labelled', status: 'active', intent: 'plan', meta: label(ACT, 'ETH'), subject, title: 'Plan', period: { start: date('2021-03-01') } },
    { resourceType: 'CarePlan', id: 'hank-plan-exercise', status: 'active', intent: 'plan', subject, title: 'Exercise', activity: [{ detail: { status: 'in-progress', code: concept(SNOMED, '229065009', 'Exercise therapy') } }], period: { start: date('2021-04-01') } },
    // Care plans: one addressing the HIV condition (derived); a control.
    { resourceType: 'CarePlan', id: 'hank-plan-hiv', status: 'active', intent: 'plan', subject, title: 'Care plan', addresses: [{ reference: 'Condition/hank-cond-hiv' }], period: { start: date('2020-01-01') } },
    { resourceType: 'CarePlan', id: 'hank-plan-diet', status: 'active', intent: 'plan', subject, title: 'Diet and exercise', period: { start: date('2019-01-01') } },
  ] as Resource[];
}

/** The extra records as a PUT batch, to append to a tenant's seed. */
export function sensitiveRecordsBundle(): Bundle {
  return putBatch(sensitiveRecords());
}
