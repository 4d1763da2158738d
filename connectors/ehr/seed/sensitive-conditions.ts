import type { Condition, Resource } from '@medplum/fhirtypes';
import { SNOMED_SYSTEM, securityLabel, sensitivityOfCoding } from '../sensitivity.js';
import type { SensitivityCode } from '../sensitivity.js';
import { seedMeta } from './seed-tag.js';

// Sensitive marking at seed time: a Condition whose SNOMED code is in SENSITIVE_SNOMED gets the matching v3 ActCode
// label in meta.security (https://hl7.org/fhir/R4/security-labels.html). None of the 16 shipped bundles has such a
// code (checked: their 110 Conditions are sinusitis, hypertension, fractures, pregnancy...), so the seed also adds
// one synthetic sensitive Condition to three named patients, tagged SEED_TAG, one per label, in both tenants.

interface SyntheticCondition {
  readonly code: string;
  readonly display: string;
  readonly onset: string;
}

/** Synthea Patient id → the sensitive Condition the seed adds. */
const SYNTHETIC_SENSITIVE_CONDITIONS: Readonly<Record<string, SyntheticCondition>> = {
  // acme: Carroll471 O'Hara248 (oncology)
  '274f5452-2a39-44c4-a7cb-f36de467762e': {
    code: '36923009',
    display: 'Major depression, single episode',
    onset: '2016-03-14T09:00:00+00:00',
  },
  // acme: Frankie174 Jast432 (primary care)
  'a5b737fb-1f94-4767-802b-1112051f5101': {
    code: '86406008',
    display: 'Human immunodeficiency virus infection',
    onset: '2012-06-02T09:00:00+00:00',
  },
  // globex: Lean294 Davis923 (oncology)
  '3e36b31d-3c32-43b4-b016-b46a90c2e50f': { code: '7200002', display: 'Alcoholism', onset: '2010-11-20T09:00:00+00:00' },
};

/** Adds the sensitivity label to a Condition with a sensitive code (in place); returns the label or null. */
export function labelSensitiveCondition(resource: Resource): SensitivityCode | null {
  if (resource.resourceType !== 'Condition') return null;
  const label = (resource.code?.coding ?? []).map(sensitivityOfCoding).find((code) => code !== null) ?? null;
  if (!label) return null;
  const meta = (resource.meta ??= {});
  const security = (meta.security ??= []);
  if (!security.some((existing) => existing.code === label)) security.push(securityLabel(label));
  return label;
}

/** The synthetic sensitive Condition for this patient, already labelled, or null when the table has none. */
export function syntheticSensitiveCondition(patientId: string): Condition | null {
  const spec = SYNTHETIC_SENSITIVE_CONDITIONS[patientId];
  if (!spec) return null;
  const condition: Condition = {
    resourceType: 'Condition',
    id: `seed-sensitive-${patientId}`.slice(0, 64),
    meta: seedMeta(),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [{ system: SNOMED_SYSTEM, code: spec.code, display: spec.display }], text: spec.display },
    subject: { reference: `Patient/${patientId}` },
    onsetDateTime: spec.onset,
    recordedDate: spec.onset,
  };
  labelSensitiveCondition(condition);
  return condition;
}

