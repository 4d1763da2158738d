import type { Account, Claim, Coverage, ExplanationOfBenefit, Patient } from '@medplum/fhirtypes';
import { seedMeta } from './seed-tag.js';
import { stableDigits } from './stable-hash.js';

// Coverage and Account: Synthea writes neither. The payer exists only as Claim.insurance[].coverage.display (and a
// contained Coverage in each ExplanationOfBenefit), so the seed makes one Coverage per patient from the payer of
// the patient's latest insured claim (https://hl7.org/fhir/R4/coverage.html), and one Account
// (https://hl7.org/fhir/R4/account.html) whose balance extension is what claims billed minus what payers paid.

const ACCOUNT_BALANCE_EXTENSION = 'urn:clearance:fhir:StructureDefinition:account-balance';
const UNINSURED = new Set(['NO_INSURANCE', 'no_insurance']);

function payerOf(claim: Claim): string | undefined {
  const insurance = claim.insurance?.find((item) => item.focal) ?? claim.insurance?.[0];
  return insurance?.coverage?.display;
}

/** The payer of the latest insured claim and the first date that payer appears; undefined when never insured. */
function currentPayer(claims: readonly Claim[]): { payer: string; since: string | undefined } | undefined {
  const insured = claims
    .filter((claim) => {
      const payer = payerOf(claim);
      return payer !== undefined && !UNINSURED.has(payer);
    })
    .sort((a, b) => (a.created ?? '').localeCompare(b.created ?? ''));
  const latest = insured[insured.length - 1];
  const payer = latest && payerOf(latest);
  if (!payer) return undefined;
  return { payer, since: insured.find((claim) => payerOf(claim) === payer)?.created };
}

export function coverageForPatient(patient: Patient & { id: string }, claims: readonly Claim[]): Coverage | null {
  const current = currentPayer(claims);
  if (!current) return null;
  return {
    resourceType: 'Coverage',
    id: `coverage-${patient.id}`.slice(0, 64),
    meta: seedMeta(),
    status: 'active',
    type: { text: current.payer },
    subscriberId: `SUB${stableDigits(`subscriber:${patient.id}`, 9)}`,
    beneficiary: { reference: `Patient/${patient.id}` },
    relationship: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship', code: 'self' }] },
    period: current.since ? { start: current.since } : undefined,
    payor: [{ display: current.payer }],
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export function accountForPatient(
  patient: Patient & { id: string },
  coverage: Coverage | null,
  claims: readonly Claim[],
  eobs: readonly ExplanationOfBenefit[],
): Account {
  const billed = claims.reduce((sum, claim) => sum + (claim.total?.value ?? 0), 0);
  const paid = eobs.reduce((sum, eob) => sum + (eob.payment?.amount?.value ?? 0), 0);
  const balance = round2(Math.max(0, billed - paid));
  return {
    resourceType: 'Account',
    id: `account-${patient.id}`.slice(0, 64),
    meta: seedMeta(),
    status: 'active',
    type: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PBILLACCT', display: 'patient billing account' }],
    },
    name: 'Patient billing account',
    subject: [{ reference: `Patient/${patient.id}` }],
    owner: patient.managingOrganization,
    coverage: coverage ? [{ coverage: { reference: `Coverage/${coverage.id}` }, priority: 1 }] : undefined,
    description: `Balance ${balance.toFixed(2)} USD: seeded claims billed minus payer payments`,
    extension: [{ url: ACCOUNT_BALANCE_EXTENSION, valueMoney: { value: balance, currency: 'USD' } }],
  };
}
