import type { Bundle, Resource } from '@medplum/fhirtypes';
import { EmbeddedFhirServer } from '../../../connectors/ehr/embedded-fhir-server.js';
import { defaultTenantSeed } from '../../../connectors/ehr/seed.js';

// Shared by the EHR connector tests: named fixture patients and the default two-tenant server.

export const CARROLL = '274f5452-2a39-44c4-a7cb-f36de467762e'; // acme, oncology, synthetic PSY condition
export const CHET = 'fcece34f-2e51-43b5-acb0-361c3472e679'; // acme, cardiology
export const DENNIS = '0ac13d55-d566-450a-aea0-f6a71f1ad73b'; // acme, cardiology, allergies, SMART file
export const FRANKIE = 'a5b737fb-1f94-4767-802b-1112051f5101'; // acme, primary care, synthetic HIV condition
export const LEAN = '3e36b31d-3c32-43b4-b016-b46a90c2e50f'; // globex, oncology, synthetic ETH condition
export const KARENA = '58f620b1-910c-41b8-81cf-f8c7afd828b6'; // globex

export async function startDefaultServer(): Promise<EmbeddedFhirServer> {
  return new EmbeddedFhirServer({ tenants: await defaultTenantSeed() }).start();
}

export function resourcesOf(bundles: readonly Bundle[]): Resource[] {
  return bundles.flatMap((bundle) => (bundle.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : [])));
}

export function patientIdOf(bundle: Bundle): string {
  const patient = resourcesOf([bundle]).find((resource) => resource.resourceType === 'Patient');
  if (!patient?.id) throw new Error('bundle without a Patient');
  return patient.id;
}

