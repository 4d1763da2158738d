import type { Organization } from '@medplum/fhirtypes';
import { fnv1a } from './stable-hash.js';

// Departments: the Synthea files have none (their Organizations are hospitals and practices), and the gateway's
// department rule needs one per patient. Decision: four department Organizations with fixed ids `dept-<code>`, and
// each Patient's managingOrganization (https://hl7.org/fhir/R4/patient-definitions.html#Patient.managingOrganization)
// points at one of them. The 16 shipped patients are assigned by the table below, chosen by their conditions (a
// cardiac history goes to cardiology, the only child to pediatrics) so every department has patients in both
// demo tenants; any other patient (clones, patients created at run time) by a stable FNV-1a hash of its id.

export const DEPARTMENT_CODES = ['cardiology', 'oncology', 'pediatrics', 'primary-care'] as const;
export type DepartmentCode = (typeof DEPARTMENT_CODES)[number];

const NAMES: Readonly<Record<DepartmentCode, string>> = {
  cardiology: 'Cardiology department',
  oncology: 'Oncology department',
  pediatrics: 'Pediatrics department',
  'primary-care': 'Primary care department',
};

/** Synthea Patient id → department. Tenant acme holds the first eight files by name, globex the other eight. */
const DEPARTMENT_ASSIGNMENTS: Readonly<Record<string, DepartmentCode>> = {
  // acme
  'fcece34f-2e51-43b5-acb0-361c3472e679': 'cardiology', // Chet Hoeger: cardiac arrest
  '0ac13d55-d566-450a-aea0-f6a71f1ad73b': 'cardiology', // Dennis Durgan: heart failure
  '274f5452-2a39-44c4-a7cb-f36de467762e': 'oncology', // Carroll471 O'Hara248
  '9a0d7938-4f49-43f6-8eea-b22e1bbe1b74': 'oncology', // Kallie862 Frami345: polyp of colon
  'b0223c9b-0019-42b0-99b8-7d689d7f8414': 'pediatrics', // Gabriele201 Rohan584: born 2009
  'a5b737fb-1f94-4767-802b-1112051f5101': 'primary-care', // Frankie174 Jast432
  '7aa15a43-3a41-4d3d-a9c5-7ef941757531': 'primary-care', // Gloria Covarrubias
  '98671a34-1c6e-4569-a1bc-6ee40c8d03a5': 'primary-care', // Jacki Feil
  // globex
  '25603bc3-a2e8-4208-8375-3d2162a005fe': 'cardiology', // Max Kris: coronary heart disease
  'd4cdc6d2-f3f1-48c0-96d6-b64b68d79eb9': 'cardiology', // Reginald Auer: myocardial infarction
  '3e36b31d-3c32-43b4-b016-b46a90c2e50f': 'oncology', // Lean294 Davis923
  '1b1cbdc7-7187-49f2-8607-c9325cffb004': 'oncology', // Stanford Windler
  '1f456f0a-acb1-4728-82af-01ca57083c7b': 'pediatrics', // Kermit Trantow: childhood asthma
  '58f620b1-910c-41b8-81cf-f8c7afd828b6': 'primary-care', // Karena Pfeffer
  '76bc2bcd-3074-46b9-bc18-18daf50825a2': 'primary-care', // Louis Erdman
  '29428a22-5f03-492e-83bb-da34bb2a12c9': 'primary-care', // Margie619 Hettinger594
};

export function departmentOrganizationId(code: DepartmentCode): string {
  return `dept-${code}`;
}

export function departmentName(code: DepartmentCode): string {
  return NAMES[code];
}

/** The department of a patient: the table for the shipped patients, a stable hash for everyone else. */
export function departmentForPatient(patientId: string): DepartmentCode {
  return DEPARTMENT_ASSIGNMENTS[patientId] ?? (DEPARTMENT_CODES[fnv1a(patientId) % DEPARTMENT_CODES.length] as DepartmentCode);
}

/** The four department Organizations every tenant gets. */
export function departmentOrganizations(): Organization[] {
  return DEPARTMENT_CODES.map((code) => ({
    resourceType: 'Organization',
    id: departmentOrganizationId(code),
    active: true,
    type: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'dept', display: 'Hospital Department' }] },
    ],
    name: NAMES[code],
    identifier: [{ system: 'urn:clearance:department', value: code }],
  }));
}
