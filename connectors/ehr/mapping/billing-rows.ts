import type { Claim, Coverage, ExplanationOfBenefit, Resource } from '@medplum/fhirtypes';
import type { ClaimRow, CoverageRow, ExplanationOfBenefitRow, PatientRow, RowGuard } from '../rows.js';
import { hasSensitiveLabel } from '../sensitivity.js';
import { firstCode, orNull, referenceId, text } from './fhir-values.js';

// Financial resources → rows (https://hl7.org/fhir/R4/financial-module.html). Synthea leaves Claim.insurer empty
// and names the payer only in Claim.insurance[].coverage.display, so that is the fallback for `insurer`.

function guard(patient: PatientRow, resource: Resource): RowGuard {
  return {
    tenant: patient.guard.tenant,
    patientId: patient.id,
    departments: patient.guard.departments,
    sensitive: hasSensitiveLabel(resource.meta),
  };
}

export function toCoverageRow(coverage: Coverage, patient: PatientRow): CoverageRow {
  return {
    guard: guard(patient, coverage),
    id: coverage.id ?? '',
    payer: coverage.payor?.find((payor) => payor.display)?.display ?? text(coverage.type),
    status: orNull(coverage.status),
    subscriberId: orNull(coverage.subscriberId),
    periodStart: orNull(coverage.period?.start),
  };
}

export function toClaimRow(claim: Claim, patient: PatientRow): ClaimRow {
  const insurance = claim.insurance?.find((item) => item.focal) ?? claim.insurance?.[0];
  return {
    guard: guard(patient, claim),
    id: claim.id ?? '',
    status: orNull(claim.status),
    type: firstCode(claim.type),
    created: orNull(claim.created),
    provider: claim.provider?.display ?? null,
    insurer: claim.insurer?.display ?? insurance?.coverage?.display ?? null,
    total: claim.total?.value ?? null,
    currency: claim.total?.currency ?? null,
    patientId: referenceId(claim.patient, 'Patient') ?? patient.id,
  };
}

export function toExplanationOfBenefitRow(eob: ExplanationOfBenefit, patient: PatientRow): ExplanationOfBenefitRow {
  // EOB.total[] holds one amount per adjudication category; "submitted" is what the provider billed
  // (https://hl7.org/fhir/R4/explanationofbenefit-definitions.html#ExplanationOfBenefit.total).
  const submitted = eob.total?.find((total) => total.category?.coding?.some((coding) => coding.code === 'submitted'));
  return {
    guard: guard(patient, eob),
    id: eob.id ?? '',
    status: orNull(eob.status),
    created: orNull(eob.created),
    insurer: eob.insurer?.display ?? null,
    totalSubmitted: submitted?.amount?.value ?? null,
    payment: eob.payment?.amount?.value ?? null,
    currency: submitted?.amount?.currency ?? eob.payment?.amount?.currency ?? null,
  };
}
