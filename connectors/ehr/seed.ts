import type { Bundle, Claim, Condition, Encounter, ExplanationOfBenefit, MedicationRequest, Patient, Resource } from '@medplum/fhirtypes';
import { readFile, readdir } from 'node:fs/promises';
import { accountForPatient, coverageForPatient } from './seed/billing.js';
import { addSampleEmail } from './seed/contact-email.js';
import { invoicesForPatient } from './seed/invoices.js';
import { departmentForPatient, departmentName, departmentOrganizationId, departmentOrganizations } from './seed/departments.js';
import { giveHospitalMrn } from './seed/hospital-mrn.js';
import { progressNoteForPatient } from './seed/progress-note.js';
import { putBatch, toPutBundle } from './seed/put-bundle.js';
import { labelSensitiveCondition, syntheticSensitiveCondition } from './seed/sensitive-conditions.js';

// What the embedded FHIR server is loaded with: the Synthea bundles under fixtures/synthea/, turned into PUT
// batches that keep Synthea's ids, plus what the product needs and Synthea lacks (fixtures/synthea/README.md,
// "How Clearance uses these files"): department Organizations and Patient.managingOrganization, sensitivity
// labels, Coverage, Account, Invoices, a progress note, a sample email address and a hospital MRN per patient.
// Pure apart from reading the fixture files.

export { syntheticPatients } from './seed/synthetic-patients.js';
export { DEPARTMENT_CODES, departmentForPatient } from './seed/departments.js';
export { SEED_TAG } from './seed/seed-tag.js';
export { toPutBundle } from './seed/put-bundle.js';

const FIXTURES_DIR = new URL('../../fixtures/synthea/', import.meta.url);

type WithId<T> = T & { id: string };

function ofType<K extends Resource['resourceType']>(resources: readonly Resource[], type: K): Extract<Resource, { resourceType: K }>[] {
  return resources.filter((resource): resource is Extract<Resource, { resourceType: K }> => resource.resourceType === type);
}

/** One Synthea patient bundle → a PUT batch with the seed's additions. The input is not modified. */
export function seedPatientBundle(bundle: Bundle): Bundle {
  const put = toPutBundle(bundle);
  const resources = (put.entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : []));
  const patient = ofType(resources, 'Patient')[0] as WithId<Patient> | undefined;
  if (!patient) return put;

  const department = departmentForPatient(patient.id);
  patient.managingOrganization = { reference: `Organization/${departmentOrganizationId(department)}`, display: departmentName(department) };
  addSampleEmail(patient);
  giveHospitalMrn(patient);
  for (const resource of resources) labelSensitiveCondition(resource);

  const conditions: Condition[] = ofType(resources, 'Condition');
  const synthetic = syntheticSensitiveCondition(patient.id);
  if (synthetic) conditions.push(synthetic);
  const claims: Claim[] = ofType(resources, 'Claim');
  const eobs: ExplanationOfBenefit[] = ofType(resources, 'ExplanationOfBenefit');
  const encounters: Encounter[] = ofType(resources, 'Encounter');
  const medications: MedicationRequest[] = ofType(resources, 'MedicationRequest');

  const coverage = coverageForPatient(patient, claims);
  const account = accountForPatient(patient, coverage, claims, eobs);
  const added: Resource[] = [
    ...(synthetic ? [synthetic] : []),
    ...(coverage ? [coverage] : []),
    account,
    ...invoicesForPatient(patient, account, claims, eobs),
    progressNoteForPatient(patient, encounters, conditions, medications),
  ];
  return { ...put, entry: [...(put.entry ?? []), ...(putBatch(added).entry ?? [])] };
}

/** A tenant's whole seed: the department Organizations first, then each patient bundle. */
export function seedBundles(bundles: readonly Bundle[]): Bundle[] {
  return [putBatch(departmentOrganizations()), ...bundles.map(seedPatientBundle)];
}

/** The Synthea bundles under fixtures/synthea/, sorted by file name. Fresh objects on every call. */
export async function loadSyntheaFixtures(dir: URL = FIXTURES_DIR): Promise<Bundle[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(new URL(name, dir), 'utf8')) as Bundle));
}

/** The raw split of the fixtures between the demo tenants (half each, in file-name order). */
export function splitBetweenDefaultTenants(bundles: readonly Bundle[]): Record<string, Bundle[]> {
  const half = Math.ceil(bundles.length / 2);
  return { acme: bundles.slice(0, half), globex: bundles.slice(half) };
}

/** The seed of the default embedded server: tenants acme and globex, eight Synthea patients each. */
export async function defaultTenantSeed(): Promise<Record<string, Bundle[]>> {
  const split = splitBetweenDefaultTenants(await loadSyntheaFixtures());
  return Object.fromEntries(Object.entries(split).map(([tenant, bundles]) => [tenant, seedBundles(bundles)]));
}
